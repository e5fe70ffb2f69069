import { SERVICE_WINDOW_MS, conversationView, isWindowOpen } from "../../lambda/conversation";

const NOW = new Date("2026-11-26T10:00:00Z");
const ago = (ms: number) => NOW.getTime() - ms;

describe("isWindowOpen", () => {
  test.each([
    ["never written", undefined, false],
    ["written a minute ago", ago(60_000), true],
    ["written 23h59m ago", ago(SERVICE_WINDOW_MS - 60_000), true],
    ["written exactly 24h ago", ago(SERVICE_WINDOW_MS), false],
    ["written two days ago", ago(2 * SERVICE_WINDOW_MS), false],
  ])("is %s => %p", (_name, last, expected) => {
    expect(isWindowOpen(last, NOW)).toBe(expected);
  });
});

describe("conversationView", () => {
  test("marks a first contact as a new session", () => {
    const view = conversationView(
      { id: "wa:1", lastInboundAt: NOW.getTime(), inboundCount: 1 },
      NOW,
    );
    expect(view).toMatchObject({
      isNewSession: true,
      previousInboundAt: undefined,
      inboundCount: 1,
    });
    expect(view.windowClosesAt.getTime()).toBe(NOW.getTime() + SERVICE_WINDOW_MS);
  });

  test("continues a session when the previous message was inside the window", () => {
    const view = conversationView(
      {
        id: "wa:1",
        lastInboundAt: NOW.getTime(),
        previousInboundAt: ago(3600_000),
        inboundCount: 5,
      },
      NOW,
    );
    expect(view.isNewSession).toBe(false);
    expect(view.previousInboundAt?.getTime()).toBe(ago(3600_000));
  });

  test("starts a new session when the previous message was over 24 hours ago", () => {
    const view = conversationView(
      {
        id: "wa:1",
        lastInboundAt: NOW.getTime(),
        previousInboundAt: ago(SERVICE_WINDOW_MS + 1),
        inboundCount: 2,
      },
      NOW,
    );
    expect(view.isNewSession).toBe(true);
  });
});

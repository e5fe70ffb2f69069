import { formatHandoff, handoffEvent } from "../../../lambda/handoff/event";
import {
  DEFAULT_HANDOFF_TIMEOUT_MINUTES,
  HandoffConfigError,
  cloudWatchLogsUrl,
  isPaused,
  readHandoffEnv,
} from "../../../lambda/handoff/settings";
import {
  RECENT_TEXT_MAX,
  describeMessage,
  withRecentMessage,
} from "../../../lambda/recentMessages";
import type { IncomingMessage } from "../../../lambda/message";

const NOW = new Date("2026-12-02T10:00:00Z");
const base = {
  messageSid: "SM" + "1".repeat(32),
  from: { address: "whatsapp:+34600111222" },
  to: "whatsapp:+14155238886",
  body: "",
};

describe("the hand-off notification", () => {
  const event = (profileName: string | undefined) =>
    handoffEvent({
      kind: "handoff",
      conversationId: "wa:34600111222",
      address: "whatsapp:+34600111222",
      profileName,
      messageSid: base.messageSid,
      now: NOW,
      pausedUntil: new Date(NOW.getTime() + 3600_000),
      recentMessages: [{ at: NOW.getTime(), text: "4" }],
      logsUrl: undefined,
      publicBaseUrl: "https://api.example",
    });

  test("has an SNS-safe subject (ASCII, one line, under 100 characters) whatever the profile name", () => {
    const { subject } = formatHandoff(event(`José 👋\n${"ñ".repeat(200)}`));
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.length).toBeLessThan(100);
    expect(subject.startsWith("WhatsApp user asks for a person: Jose n")).toBe(true);
  });

  test("the e-mail text says who, until when, the messages and how to release; the JSON is the event", () => {
    const e = event(undefined);
    const { text, json } = formatHandoff(e);
    expect(text).toContain("whatsapp:+34600111222 asked to talk to a person");
    expect(text).toContain("2026-12-02T11:00:00.000Z");
    expect(text).toContain("2026-12-02T10:00:00.000Z  4");
    expect(text).toContain(
      "npm run handoff -- release --to whatsapp:+34600111222 --url https://api.example",
    );
    expect(text).not.toContain("Bot logs");
    expect(JSON.parse(json)).toEqual(e);
    expect(e.profileName).toBeNull();
    expect(e.logsUrl).toBeNull();
  });
});

describe("hand-off settings", () => {
  test("a hand-off pauses from handoffAt up to, not including, handoffAt + timeout", () => {
    const at = NOW.getTime();
    expect(isPaused({ handoffAt: at }, new Date(at), 1000)).toBe(true);
    expect(isPaused({ handoffAt: at }, new Date(at + 999), 1000)).toBe(true);
    expect(isPaused({ handoffAt: at }, new Date(at + 1000), 1000)).toBe(false);
    expect(isPaused({}, NOW, 1000)).toBe(false);
    expect(isPaused(undefined, NOW, 1000)).toBe(false);
  });

  test("reads HANDOFF_TOPIC_ARN and HANDOFF_TIMEOUT_MINUTES, with the default timeout", () => {
    expect(readHandoffEnv({})).toEqual({
      topicArn: undefined,
      timeoutMs: DEFAULT_HANDOFF_TIMEOUT_MINUTES * 60_000,
    });
    expect(readHandoffEnv({ HANDOFF_TOPIC_ARN: " arn:t ", HANDOFF_TIMEOUT_MINUTES: "15" })).toEqual(
      {
        topicArn: "arn:t",
        timeoutMs: 15 * 60_000,
      },
    );
  });

  test.each(["0", "-5", "1.5", "soon"])("refuses HANDOFF_TIMEOUT_MINUTES=%s naming it", (value) => {
    expect(() => readHandoffEnv({ HANDOFF_TIMEOUT_MINUTES: value })).toThrow(HandoffConfigError);
    expect(() => readHandoffEnv({ HANDOFF_TIMEOUT_MINUTES: value })).toThrow(
      /HANDOFF_TIMEOUT_MINUTES/,
    );
  });

  test("links the CloudWatch console's log group, filtered on the MessageSid", () => {
    expect(cloudWatchLogsUrl("eu-west-1", "/aws/lambda/whatsapp-bot-dev", "SMabc")).toBe(
      "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1" +
        "#logsV2:log-groups/log-group/$252Faws$252Flambda$252Fwhatsapp-bot-dev/log-events" +
        "$3FfilterPattern$3D$2522SMabc$2522",
    );
  });
});

describe("recent messages", () => {
  test.each<[IncomingMessage, string]>([
    [{ ...base, kind: "text", body: "hola" }, "hola"],
    [
      {
        ...base,
        kind: "image",
        body: "mi factura",
        media: [
          { kind: "image", contentType: "image/jpeg", key: "u" },
          { kind: "image", contentType: "image/png", key: "v" },
        ],
      },
      "[image ×2] mi factura",
    ],
    [
      { ...base, kind: "location", latitude: 40.4, longitude: -3.7, label: "Sol" },
      "[location 40.4, -3.7 Sol]",
    ],
    [{ ...base, kind: "button", text: "Precios", payload: "prices" }, "[button] Precios"],
    [{ ...base, kind: "unsupported", messageType: "sticker", media: [] }, "[sticker]"],
  ])("describes %j as %j", (message, expected) => {
    expect(describeMessage(message)).toBe(expected);
  });

  test("keeps the newest entries up to the limit, each cut to RECENT_TEXT_MAX characters", () => {
    let list = withRecentMessage(
      undefined,
      { ...base, kind: "text", body: "x".repeat(2000) },
      NOW,
      3,
    );
    expect(list[0].text).toHaveLength(RECENT_TEXT_MAX);
    for (const body of ["a", "b", "c"]) {
      list = withRecentMessage(list, { ...base, kind: "text", body }, NOW, 3);
    }
    expect(list.map((m) => m.text)).toEqual(["a", "b", "c"]);
  });

  test("never cuts an emoji in half, so the text stays valid UTF-8", () => {
    const [entry] = withRecentMessage(
      undefined,
      { ...base, kind: "text", body: "a" + "😀".repeat(600) },
      NOW,
    );
    expect(Array.from(entry.text)).toHaveLength(RECENT_TEXT_MAX);
    expect(Buffer.from(entry.text, "utf8").toString("utf8")).toBe(entry.text);
  });
});

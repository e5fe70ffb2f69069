import { previousConversation, splitChange } from "../../../lambda/queue/deliver";

describe("splitChange", () => {
  test.each([
    ["no change", undefined, {}],
    [
      "an opt-out goes after the sends, the rest before",
      { optedOutAt: 5, consentMessageSid: "SMa", handoffAt: null },
      { beforeSends: { consentMessageSid: "SMa", handoffAt: null }, afterSends: { optedOutAt: 5 } },
    ],
    [
      "an opt-in goes before, so its confirmation may be sent",
      { optedOutAt: null, consentMessageSid: "SMb" },
      { beforeSends: { optedOutAt: null, consentMessageSid: "SMb" }, afterSends: undefined },
    ],
    [
      "a bare opt-out leaves nothing before",
      { optedOutAt: 7 },
      { beforeSends: undefined, afterSends: { optedOutAt: 7 } },
    ],
  ])("%s", (_title, change, expected) => {
    expect(splitChange(change)).toEqual(expected);
  });
});

describe("previousConversation", () => {
  test("takes times from the webhook's snapshot and consent, hand-off and recent messages from the store", () => {
    const snapshot = { id: "wa:1", lastInboundAt: 100, inboundCount: 3, profileName: "Ana" };
    const fresh = {
      id: "wa:1",
      lastInboundAt: 900,
      inboundCount: 5,
      optedOutAt: 50,
      consentMessageSid: "SMc",
      handoffAt: 60,
      recentMessages: [{ at: 100, text: "hola" }],
    };
    expect(previousConversation(snapshot, fresh)).toEqual({
      id: "wa:1",
      profileName: "Ana",
      lastInboundAt: 100,
      previousInboundAt: undefined,
      inboundCount: 3,
      optedOutAt: 50,
      consentMessageSid: "SMc",
      handoffAt: 60,
      recentMessages: [{ at: 100, text: "hola" }],
    });
  });

  test("treats a first contact as one, although the webhook already recorded it", () => {
    expect(
      previousConversation(undefined, { id: "wa:1", lastInboundAt: 900, inboundCount: 1 }),
    ).toEqual({
      id: "wa:1",
      profileName: undefined,
      lastInboundAt: undefined,
      previousInboundAt: undefined,
      inboundCount: 0,
    });
    expect(previousConversation(undefined, undefined)).toBeUndefined();
  });
});

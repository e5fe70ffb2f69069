import { expect } from "@jest/globals";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { createMenuBot } from "../../lambda/bot";
import { scripts, type Language } from "../../lambda/botScript";
import { createHandler } from "../../lambda/handler";
import type { HandoffEvent } from "../../lambda/handoff/event";
import { snsHandoffPublisher } from "../../lambda/handoff/publisher";
import { handleHandoffRelease } from "../../lambda/handoff/release";
import { HANDOFF_KIND_ATTRIBUTE } from "../../lambda/handoff/sns";
import { createJsonLogger } from "../../lambda/logger";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { HANDOFF_RELEASE_ROUTE } from "../../lambda/routes";
import { MemoryStore } from "../../lambda/store/memory";
import { RECENT_MESSAGES_MAX } from "../../lambda/store/store";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  USER_ADDRESS,
  formBody,
  httpApiEvent,
  mediaParams,
  signedTwilioEvent,
  textParams,
} from "../helpers/events";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:whatsapp-bot-unit-handoff";
const T0 = new Date("2026-12-02T10:00:00Z");
const TIMEOUT_MS = 60 * 60_000;
const CONVERSATION = "wa:34600111222";
const sns = mockClient(SNSClient);

/** The handler as lambda/index.ts builds it, over a memory store, a settable clock and mocked SNS. */
function harness(language: Language = "es") {
  const store = new MemoryStore();
  let now = T0;
  const logs: Array<Record<string, unknown>> = [];
  const clock = () => now;
  const logger = createJsonLogger({
    level: "info",
    now: clock,
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const handler = createHandler({
    store,
    authToken: async () => TEST_AUTH_TOKEN,
    bot: createMenuBot({ language }),
    publicBaseUrl: TEST_BASE_URL,
    clock,
    logger,
    language,
    errorReply: scripts[language].error,
    handoff: {
      publisher: snsHandoffPublisher(TOPIC_ARN),
      timeoutMs: TIMEOUT_MS,
      publicBaseUrl: TEST_BASE_URL,
      logsUrl: (messageSid) => `https://logs.example/${messageSid}`,
    },
    extraRoutes: {
      [HANDOFF_RELEASE_ROUTE]: (params, url) =>
        handleHandoffRelease({ params, url }, { store, logger, clock }),
    },
  });
  return {
    store,
    logs,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    now: () => now,
    /** Sends a text and returns the reply bodies. */
    async say(body: string): Promise<string[]> {
      const result = await handler(signedTwilioEvent({ params: textParams(body) }));
      expect(result.statusCode).toBe(200);
      return readTwimlReplies(result.body ?? "").map((r) => r.body);
    },
    async release(init: { authToken?: string; timestamp?: number; to?: string } = {}) {
      const params = {
        To: init.to ?? USER_ADDRESS,
        Timestamp: String(init.timestamp ?? Math.floor(now.getTime() / 1000)),
      };
      return handler(
        signedTwilioEvent({
          params,
          path: HANDOFF_RELEASE_ROUTE,
          authToken: init.authToken,
          base64: false,
        }),
      );
    },
    handler,
  };
}

/** Every event published so far: the JSON every non-e-mail subscriber gets. */
function published(): Array<{ event: HandoffEvent; email: string; subject: string; kind: string }> {
  return sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(input.MessageStructure).toBe("json");
    const message = JSON.parse(input.Message ?? "") as { default: string; email: string };
    return {
      event: JSON.parse(message.default) as HandoffEvent,
      email: message.email,
      subject: input.Subject ?? "",
      kind: input.MessageAttributes?.[HANDOFF_KIND_ATTRIBUTE]?.StringValue ?? "",
    };
  });
}

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
});

describe("consent through the handler", () => {
  test.each(["STOP", "baja", "Baja.", "ALTO", "cancelar", "UNSUBSCRIBE", "  Stop!  "])(
    "%s opts the user out, confirmed once; the bot then answers nothing and still records each message",
    async (word) => {
      const h = harness();
      expect(await h.say("hola")).toHaveLength(1);
      const confirmation = await h.say(word);
      expect(confirmation).toHaveLength(1);
      expect([scripts.es.consent.optedOut, scripts.en.consent.optedOut]).toContain(confirmation[0]);
      expect((await h.store.getConversation(CONVERSATION))?.optedOutAt).toBe(T0.getTime());

      expect(await h.say(word)).toEqual([]);
      expect(await h.say("1")).toEqual([]);
      expect(await h.say("menú")).toEqual([]);
      const conversation = await h.store.getConversation(CONVERSATION);
      expect(conversation?.inboundCount).toBe(5);
      expect(conversation?.recentMessages?.map((m) => m.text).slice(-2)).toEqual(["1", "menú"]);
    },
  );

  test.each([
    ["es", "BAJA", scripts.es.consent.optedOut],
    ["es", "STOP", scripts.es.consent.optedOut],
    ["es", "unsubscribe", scripts.en.consent.optedOut],
    ["en", "STOP", scripts.en.consent.optedOut],
    ["en", "cancelar", scripts.es.consent.optedOut],
  ] as const)(
    "a %s bot confirms %s in the keyword's language",
    async (language, word, expected) => {
      const h = harness(language);
      expect(await h.say(word)).toEqual([expected]);
    },
  );

  test.each(["START", "alta", "Subscribe", "ÁLTA"])(
    "%s while opted out resumes the bot, confirmed once",
    async (word) => {
      const h = harness();
      await h.say("BAJA");
      h.advance(60_000);
      const confirmation = await h.say(word);
      expect([scripts.es.consent.optedIn, scripts.en.consent.optedIn]).toContain(confirmation[0]);
      expect((await h.store.getConversation(CONVERSATION))?.optedOutAt).toBeUndefined();
      expect(await h.say("1")).toEqual([scripts.es.options[0].answer]);
    },
  );

  test("English START is the menu while the user is opted in, and an opt-in only while opted out", async () => {
    const h = harness("en");
    const first = await h.say("start");
    expect(first[0]).toContain(scripts.en.menuIntro);
    expect(await h.say("STOP")).toEqual([scripts.en.consent.optedOut]);
    expect(await h.say("start")).toEqual([scripts.en.consent.optedIn]);
    // Opted in again: START is a menu word once more, not a second confirmation.
    const again = await h.say("START");
    expect(again[0]).toContain(scripts.en.menuIntro);
    expect(again).not.toContain(scripts.en.consent.optedIn);
  });

  test("a keyword inside a sentence is not a consent change", async () => {
    const h = harness();
    const reply = await h.say("el precio es alto");
    expect(reply).not.toContain(scripts.es.consent.optedOut);
    expect((await h.store.getConversation(CONVERSATION))?.optedOutAt).toBeUndefined();
  });

  test("Twilio's fallback for an opt-out gets the same confirmation, and the opt-out stands", async () => {
    const h = harness();
    const params = textParams("STOP");
    const first = await h.handler(signedTwilioEvent({ params }));
    const fallback = await h.handler(signedTwilioEvent({ params, path: "/whatsapp/fallback" }));
    expect(fallback.body).toBe(first.body);
    expect((await h.store.getConversation(CONVERSATION))?.optedOutAt).toBe(T0.getTime());
  });

  test("an opt-out whose conversation write fails is still confirmed, and the error line says it was an opt-out", async () => {
    const h = harness();
    jest.spyOn(h.store, "recordInbound").mockRejectedValueOnce(new Error("throttled"));
    expect(await h.say("STOP")).toEqual([scripts.es.consent.optedOut]);
    const line = h.logs.find((l) => l.msg === "conversation not recorded");
    expect(line).toMatchObject({ level: "error", optedOut: true });
    expect(JSON.stringify(line)).not.toContain("STOP");
  });

  test("media from an opted-out user is recorded but not acknowledged", async () => {
    const h = harness();
    await h.say("BAJA");
    const result = await h.handler(
      signedTwilioEvent({ params: mediaParams([{ contentType: "image/jpeg" }], "mira") }),
    );
    expect(readTwimlReplies(result.body ?? "")).toEqual([]);
    const conversation = await h.store.getConversation(CONVERSATION);
    expect(conversation?.recentMessages?.at(-1)?.text).toBe("[image] mira");
  });
});

describe("hand-off through the handler", () => {
  test("the person option publishes who, the last messages and a log link, and answers the hand-off text", async () => {
    const h = harness();
    await h.say("hola");
    h.advance(1000);
    await h.say("quiero cambiar mi plan");
    h.advance(1000);
    expect(await h.say("4")).toEqual([scripts.es.options[3].answer]);

    const [one, ...rest] = published();
    expect(rest).toEqual([]);
    expect(one.kind).toBe("handoff");
    expect(one.event).toEqual({
      kind: "handoff",
      conversationId: CONVERSATION,
      address: USER_ADDRESS,
      profileName: "Ana",
      messageSid: expect.stringMatching(/^SM/),
      at: "2026-12-02T10:00:02.000Z",
      pausedUntil: "2026-12-02T11:00:02.000Z",
      recentMessages: [
        { at: "2026-12-02T10:00:00.000Z", text: "hola" },
        { at: "2026-12-02T10:00:01.000Z", text: "quiero cambiar mi plan" },
        { at: "2026-12-02T10:00:02.000Z", text: "4" },
      ],
      logsUrl: `https://logs.example/${one.event.messageSid}`,
      releaseCommand: `npm run handoff -- release --to ${USER_ADDRESS} --url ${TEST_BASE_URL}`,
    });
    expect(one.subject).toBe(`WhatsApp user asks for a person: Ana (${USER_ADDRESS})`);
    expect(one.email).toContain("quiero cambiar mi plan");
    expect(one.email).toContain(one.event.releaseCommand);
    expect((await h.store.getConversation(CONVERSATION))?.handoffAt).toBe(T0.getTime() + 2000);
  });

  test.each(["quiero hablar con una persona", "AGENTE"])(
    "the hand-off words (%s) hand off too",
    async (words) => {
      const h = harness();
      expect(await h.say(words)).toEqual([scripts.es.options[3].answer]);
      expect(published().map((p) => p.kind)).toEqual(["handoff"]);
    },
  );

  test("while paused, messages are stored and forwarded to the topic, and the bot says nothing", async () => {
    const h = harness();
    await h.say("4");
    h.advance(5 * 60_000);
    expect(await h.say("¿hay alguien?")).toEqual([]);
    expect(await h.say("1")).toEqual([]);
    const forwarded = published().slice(1);
    expect(forwarded.map((p) => [p.kind, p.event.recentMessages.at(-1)?.text])).toEqual([
      ["message", "¿hay alguien?"],
      ["message", "1"],
    ]);
    // The pause still ends when the hand-off's timeout says, not later.
    expect(forwarded[0].event.pausedUntil).toBe("2026-12-02T11:00:00.000Z");
    const conversation = await h.store.getConversation(CONVERSATION);
    expect(conversation?.recentMessages?.map((m) => m.text)).toEqual(["4", "¿hay alguien?", "1"]);
    expect(conversation?.inboundCount).toBe(3);
  });

  test("after handoffTimeoutMinutes the bot answers again, and publishes nothing", async () => {
    const h = harness();
    await h.say("4");
    h.advance(TIMEOUT_MS - 1);
    expect(await h.say("1")).toEqual([]);
    h.advance(1);
    expect(await h.say("1")).toEqual([scripts.es.options[0].answer]);
    expect(published().map((p) => p.kind)).toEqual(["handoff", "message"]);
  });

  test("a signed release resumes the bot at once; a second release finds nothing", async () => {
    const h = harness();
    await h.say("4");
    h.advance(60_000);
    const release = await h.release();
    expect(release.statusCode).toBe(200);
    expect(JSON.parse(release.body ?? "")).toEqual({
      released: true,
      conversationId: CONVERSATION,
    });
    expect(await h.say("1")).toEqual([scripts.es.options[0].answer]);
    expect(JSON.parse((await h.release()).body ?? "")).toEqual({
      released: false,
      conversationId: CONVERSATION,
    });
  });

  test.each([
    ["signed with another token", { authToken: "f".repeat(32) }, 403],
    ["signed ten minutes ago", { timestamp: Math.floor(T0.getTime() / 1000) - 600 }, 403],
    ["for a malformed address", { to: "+34600111222" }, 400],
  ])("a release %s is refused and the pause stays", async (_title, init, status) => {
    const h = harness();
    await h.say("4");
    expect((await h.release(init)).statusCode).toBe(status);
    expect(await h.say("1")).toEqual([]);
  });

  test("an unsigned release is refused with 403", async () => {
    const h = harness();
    await h.say("4");
    const unsigned = await h.handler(
      httpApiEvent({
        rawPath: HANDOFF_RELEASE_ROUTE,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: formBody({ To: USER_ADDRESS, Timestamp: String(T0.getTime() / 1000) }),
      }),
    );
    expect(unsigned.statusCode).toBe(403);
    expect((await h.store.getConversation(CONVERSATION))?.handoffAt).toBe(T0.getTime());
  });

  test("STOP during a hand-off is forwarded, opts out and ends the hand-off", async () => {
    const h = harness();
    await h.say("4");
    expect(await h.say("STOP")).toEqual([scripts.es.consent.optedOut]);
    expect(published().map((p) => [p.kind, p.event.recentMessages.at(-1)?.text])).toEqual([
      ["handoff", "4"],
      ["message", "STOP"],
    ]);
    const conversation = await h.store.getConversation(CONVERSATION);
    expect(conversation?.handoffAt).toBeUndefined();
    expect(conversation?.optedOutAt).toBe(T0.getTime());
  });

  test("a failed publish answers 500 and records nothing, so Twilio's fallback tries again", async () => {
    const h = harness();
    sns.on(PublishCommand).rejectsOnce(new Error("SNS down")).resolves({ MessageId: "m-2" });
    const params = textParams("4");
    expect((await h.handler(signedTwilioEvent({ params }))).statusCode).toBe(500);
    expect(await h.store.getConversation(CONVERSATION)).toBeUndefined();
    const fallback = await h.handler(signedTwilioEvent({ params, path: "/whatsapp/fallback" }));
    expect(readTwimlReplies(fallback.body ?? "").map((r) => r.body)).toEqual([
      scripts.es.options[3].answer,
    ]);
    expect((await h.store.getConversation(CONVERSATION))?.handoffAt).toBe(T0.getTime());
  });

  test(`the conversation keeps only the last ${RECENT_MESSAGES_MAX} messages`, async () => {
    const h = harness();
    for (let i = 1; i <= RECENT_MESSAGES_MAX + 3; i++) await h.say(`mensaje ${i}`);
    await h.say("4");
    const texts = published()[0].event.recentMessages.map((m) => m.text);
    expect(texts).toHaveLength(RECENT_MESSAGES_MAX);
    expect(texts[0]).toBe("mensaje 5");
    expect(texts.at(-1)).toBe("4");
  });
});

import { expect } from "@jest/globals";
import {
  OptedOutError,
  OutboundCredentialsError,
  TwilioSendError,
  WindowClosedError,
} from "../../../lambda/outbound/errors";
import {
  staticOutboundCredentials,
  secretOutboundCredentials,
  type OutboundCredentials,
} from "../../../lambda/outbound/credentials";
import { createTwilioOutbound } from "../../../lambda/outbound/twilioOutbound";
import type { LogFields, Logger } from "../../../lambda/logger";
import { MemoryStore } from "../../../lambda/store/memory";
import type { Conversation } from "../../../lambda/store/store";
import { createTwilioStandIn, type TwilioStandIn } from "../../helpers/twilio";

const NOW = new Date("2026-12-02T10:00:00Z");
const TO = "whatsapp:+34600111222";
const HX = `HX${"c".repeat(32)}`;
const STATUS_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/status";

/** A logger that keeps every line, to check what is logged and that no content is. */
function recordingLogger(): Logger & {
  lines: { level: string; msg: string; fields?: LogFields }[];
} {
  const lines: { level: string; msg: string; fields?: LogFields }[] = [];
  const at =
    (level: string) =>
    (msg: string, fields?: LogFields): void => {
      lines.push({ level, msg, fields });
    };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

interface Setup {
  standIn: TwilioStandIn;
  store: MemoryStore;
  credentials: OutboundCredentials;
  logger: ReturnType<typeof recordingLogger>;
  send: ReturnType<typeof createTwilioOutbound>["send"];
}

/** A stand-in account with a Messaging Service and an API key created through Keys.json. */
async function setup(): Promise<Setup> {
  const standIn = createTwilioStandIn();
  const serviceSid = standIn.seedService("whatsapp-bot-test");
  const key = await standIn
    .client()
    .api.v2010.accounts(standIn.accountSid)
    .newKeys.create({ friendlyName: "whatsapp-bot-test send" });
  const credentials = {
    accountSid: standIn.accountSid,
    apiKeySid: key.sid,
    apiKeySecret: key.secret,
    messagingServiceSid: serviceSid,
  };
  const store = new MemoryStore();
  const logger = recordingLogger();
  const outbound = createTwilioOutbound({
    credentials: staticOutboundCredentials(credentials),
    conversations: store,
    statusCallbackUrl: STATUS_URL,
    clock: () => NOW,
    logger,
    api: { fetch: standIn.fetch },
  });
  return { standIn, store, credentials, logger, send: (m) => outbound.send(m) };
}

/** The user wrote `hoursAgo` hours before NOW (stored under their WaId, as the webhook does). */
async function userWrote(store: MemoryStore, hoursAgo: number): Promise<void> {
  await store.recordInbound(
    "wa:34600111222",
    `SM${"1".repeat(32)}`,
    new Date(NOW.getTime() - hoursAgo * 3600 * 1000),
  );
}

describe("the Twilio send path", () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(() => {
    expect(s.standIn.violations).toEqual([]);
  });

  test("sends free-form text inside the window through the Messaging Service, with the status callback", async () => {
    await userWrote(s.store, 2);
    const sent = await s.send({ to: TO, body: "Tu pedido ha salido" });
    expect(sent.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe("accepted");
    expect(s.standIn.sentMessages()).toEqual([
      {
        sid: sent.messageSid,
        status: "accepted",
        authenticatedAs: s.credentials.apiKeySid,
        to: TO,
        messagingServiceSid: s.credentials.messagingServiceSid,
        from: undefined,
        body: "Tu pedido ha salido",
        mediaUrls: [],
        contentSid: undefined,
        contentVariables: undefined,
        statusCallback: STATUS_URL,
      },
    ]);
  });

  test("sends media as one MediaUrl each", async () => {
    await userWrote(s.store, 1);
    const urls = ["https://e.x/a.jpg", "https://e.x/b.png?size=2"];
    const sent = await s.send({ to: TO, body: "fotos", mediaUrls: urls });
    expect(sent.messageSid).toMatch(/^MM/);
    expect(s.standIn.sentMessages()[0].mediaUrls).toEqual(urls);
  });

  test("sends a template with ContentSid and ContentVariables as JSON, outside the window too", async () => {
    const sent = await s.send({
      to: TO,
      template: { contentSid: HX, variables: { "1": "Ana", "2": "3 €" } },
    });
    const [record] = s.standIn.sentMessages();
    expect(record.sid).toBe(sent.messageSid);
    expect(record.contentSid).toBe(HX);
    expect(record.contentVariables).toEqual({ "1": "Ana", "2": "3 €" });
    expect(record.body).toBeUndefined();
    // The form carries the variables as a JSON string, as Twilio's description requires.
    const call = s.standIn.writes({ path: /Messages\.json$/ })[0];
    expect((call.body as Record<string, unknown>).ContentVariables).toBe('{"1":"Ana","2":"3 €"}');
  });

  test("refuses free-form text outside the window without calling Twilio, and logs the refusal", async () => {
    await userWrote(s.store, 25);
    await expect(s.send({ to: TO, body: "¿Sigues ahí?" })).rejects.toBeInstanceOf(
      WindowClosedError,
    );
    expect(s.standIn.calls.filter((c) => c.path.endsWith("/Messages.json"))).toEqual([]);
    expect(s.logger.lines).toEqual([
      {
        level: "warn",
        msg: "outbound refused",
        fields: { reason: "WindowClosedError", refusedBy: "bot", kind: "freeform" },
      },
    ]);
  });

  test("sends nothing to a user who opted out, and logs it without their number or the text", async () => {
    const optedOut: Conversation = {
      id: "wa:34600111222",
      lastInboundAt: NOW.getTime() - 60_000,
      inboundCount: 3,
      optedOutAt: NOW.getTime() - 30_000,
    };
    const outbound = createTwilioOutbound({
      credentials: staticOutboundCredentials(s.credentials),
      conversations: { getConversation: async (id) => (id === optedOut.id ? optedOut : undefined) },
      statusCallbackUrl: STATUS_URL,
      clock: () => NOW,
      logger: s.logger,
      api: { fetch: s.standIn.fetch },
    });
    for (const message of [
      { to: TO, body: "hola" },
      { to: TO, template: { contentSid: HX } },
    ]) {
      await expect(outbound.send(message)).rejects.toBeInstanceOf(OptedOutError);
    }
    expect(s.standIn.sentMessages()).toEqual([]);
    expect(s.logger.lines.map((l) => [l.level, l.msg, l.fields?.reason])).toEqual([
      ["warn", "outbound refused", "OptedOutError"],
      ["warn", "outbound refused", "OptedOutError"],
    ]);
    expect(JSON.stringify(s.logger.lines)).not.toMatch(/34600111222|hola/);
  });

  test("finds a conversation stored under the address when Twilio sent no WaId", async () => {
    await s.store.recordInbound(TO, `SM${"2".repeat(32)}`, new Date(NOW.getTime() - 3600_000));
    await expect(s.send({ to: TO, body: "hi" })).resolves.toHaveProperty("status", "accepted");
  });

  test("Twilio's 21610 becomes an OptedOutError refused by Twilio, with its code", async () => {
    s.standIn.failSend({ code: 21610 });
    const error = await s.send({ to: TO, template: { contentSid: HX } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptedOutError);
    expect(error).toMatchObject({ refusedBy: "twilio", code: 21610, retryable: false });
    expect((error as Error).message).toContain("Attempt to send to unsubscribed recipient");
    expect(s.logger.lines.at(-1)).toMatchObject({
      level: "warn",
      msg: "outbound failed",
      fields: { reason: "OptedOutError", refusedBy: "twilio", code: 21610, retryable: false },
    });
  });

  test("Twilio's 63016 at create becomes a WindowClosedError refused by Twilio", async () => {
    // The stored conversation says the window is open; Twilio knows better (a clock apart, a
    // user whose last message reached another stack): its refusal maps to the same class.
    await userWrote(s.store, 1);
    s.standIn.failSend({ code: 63016 });
    await expect(s.send({ to: TO, body: "hi" })).rejects.toMatchObject({
      name: "WindowClosedError",
      refusedBy: "twilio",
      code: 63016,
    });
  });

  test("63016 reported later by status callback: the send succeeds and the callback carries the code", async () => {
    await userWrote(s.store, 1);
    s.standIn.failSend({ code: 63016, delivery: "callback" });
    const sent = await s.send({ to: TO, body: "hi" });
    expect(s.standIn.statusCallbacks).toEqual([
      {
        url: STATUS_URL,
        params: expect.objectContaining({
          MessageSid: sent.messageSid,
          MessageStatus: "failed",
          ErrorCode: "63016",
        }),
      },
    ]);
  });

  test("a rate limit is a retryable TwilioSendError; a 500 is not (the message may have gone)", async () => {
    await userWrote(s.store, 1);
    s.standIn.failNext({ status: 429, match: { path: "/Messages.json" } });
    await expect(s.send({ to: TO, body: "a" })).rejects.toMatchObject({
      name: "TwilioSendError",
      status: 429,
      code: 20429,
      retryable: true,
    });
    s.standIn.failNext({ status: 500, match: { path: "/Messages.json" } });
    await expect(s.send({ to: TO, body: "b" })).rejects.toMatchObject({
      status: 500,
      retryable: false,
    });
    s.standIn.failNext({ timeout: true, match: { path: "/Messages.json" } });
    const timedOut = await s.send({ to: TO, body: "c" }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TwilioSendError);
    expect(timedOut).toMatchObject({ retryable: false });
    expect((timedOut as Error).message).toContain("may have been sent");
  });

  test("a refused API key makes it read the credentials again and try once more", async () => {
    await userWrote(s.store, 1);
    // The secret still holds a key that was since revoked; the next read finds the new one.
    const revoked = { ...s.credentials, apiKeySid: `SK${"9".repeat(32)}` };
    const reads = [JSON.stringify(revoked), JSON.stringify(s.credentials)];
    const read = jest.fn(async () => reads.shift());
    const outbound = createTwilioOutbound({
      credentials: secretOutboundCredentials("arn:aws:secretsmanager:eu-west-1:1:secret:x", {
        read,
      }),
      conversations: s.store,
      statusCallbackUrl: STATUS_URL,
      clock: () => NOW,
      api: { fetch: s.standIn.fetch },
    });
    await expect(outbound.send({ to: TO, body: "hi" })).resolves.toHaveProperty(
      "status",
      "accepted",
    );
    expect(read).toHaveBeenCalledTimes(2);
    expect(s.standIn.sentMessages()).toHaveLength(1);
  });

  test("a key refused twice is a TwilioSendError that says how to fix it", async () => {
    await userWrote(s.store, 1);
    const outbound = createTwilioOutbound({
      credentials: staticOutboundCredentials({
        ...s.credentials,
        apiKeySecret: "not-the-secret-0000",
      }),
      conversations: s.store,
      statusCallbackUrl: STATUS_URL,
      clock: () => NOW,
      api: { fetch: s.standIn.fetch },
    });
    const error = await outbound.send({ to: TO, body: "hi" }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "TwilioSendError",
      status: 401,
      code: 20003,
      retryable: false,
    });
    expect((error as Error).message).toContain("pulumi up");
    expect((error as Error).message).not.toContain("not-the-secret-0000");
  });

  test("a Messaging Service that does not exist is Twilio's 404, not retried", async () => {
    await userWrote(s.store, 1);
    const outbound = createTwilioOutbound({
      credentials: staticOutboundCredentials({
        ...s.credentials,
        messagingServiceSid: `MG${"0".repeat(32)}`,
      }),
      conversations: s.store,
      statusCallbackUrl: STATUS_URL,
      clock: () => NOW,
      api: { fetch: s.standIn.fetch },
    });
    await expect(outbound.send({ to: TO, body: "hi" })).rejects.toMatchObject({
      status: 404,
      code: 20404,
      retryable: false,
    });
  });

  test("an unreadable outbound secret is an OutboundCredentialsError, and nothing is sent", async () => {
    await userWrote(s.store, 1);
    const outbound = createTwilioOutbound({
      credentials: secretOutboundCredentials("the-secret", {
        read: async () => '{"accountSid":"AC1"}',
      }),
      conversations: s.store,
      statusCallbackUrl: STATUS_URL,
      clock: () => NOW,
      api: { fetch: s.standIn.fetch },
    });
    await expect(outbound.send({ to: TO, body: "hi" })).rejects.toBeInstanceOf(
      OutboundCredentialsError,
    );
    expect(s.standIn.calls.filter((c) => c.path.endsWith("/Messages.json"))).toEqual([]);
  });
});

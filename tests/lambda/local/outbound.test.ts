import { expect } from "@jest/globals";
import type { Bot } from "../../../lambda/bot";
import { chatOnce, outboxReply, readOutbox, type ChatOptions } from "../../../lambda/local/chat";
import { LOCAL_AUTH_TOKEN, LOCAL_TWILIO } from "../../../lambda/local/defaults";
import { startLocalServer, type LocalServer } from "../../../lambda/local/server";
import { silentLogger } from "../../../lambda/logger";
import { WindowClosedError } from "../../../lambda/outbound/errors";
import type { Outbound } from "../../../lambda/outbound/outbound";

const HX = `HX${"d".repeat(32)}`;
let local: LocalServer;
let chat: ChatOptions;
let outbound: Outbound | undefined;

/** Answers nothing in TwiML and sends its reply a moment later through the REST API, as a queued reply does. */
const laterBot: Bot = async (message) => {
  setTimeout(() => {
    void outbound?.send({ to: message.from.address, body: `later: ${message.body}` });
  }, 50);
  return { messages: [] };
};

function messagesUrl(accountSid: string = LOCAL_TWILIO.accountSid): string {
  return `${local.url}/2010-04-01/Accounts/${accountSid}/Messages.json`;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

async function post(form: Record<string, string>, auth?: string, url = messagesUrl()) {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(auth ? { authorization: auth } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const KEY_AUTH = basic(LOCAL_TWILIO.apiKeySid, LOCAL_TWILIO.apiKeySecret);

beforeAll(async () => {
  local = await startLocalServer({ port: 0, logger: silentLogger, bot: laterBot });
  outbound = local.outbound;
  chat = { serverUrl: local.url, authToken: LOCAL_AUTH_TOKEN, from: "whatsapp:+34611000009" };
});

afterAll(async () => {
  await local.close();
});

describe("the local server's REST stand-in", () => {
  test("a message sent through Messages.json outside the webhook reaches the chat like a reply", async () => {
    const { result, sent } = await chatOnce({ body: "hola" }, chat, 3_000);
    expect(result.status).toBe(200);
    expect(result.replies).toEqual([]);
    expect(sent.map(outboxReply)).toEqual([{ body: "later: hola", mediaUrls: undefined }]);
    expect(sent[0]).toMatchObject({
      to: "whatsapp:+34611000009",
      sid: expect.stringMatching(/^SM/),
    });
  });

  test("the send path refuses free-form text to a user who never wrote, and the outbox stays empty", async () => {
    const before = local.outbox.cursor;
    await expect(
      local.outbound.send({ to: "whatsapp:+34699999999", body: "hi" }),
    ).rejects.toBeInstanceOf(WindowClosedError);
    expect(local.outbox.cursor).toBe(before);
  });

  test("a template goes to anyone, and the chat shows it by its SID and variables", async () => {
    const to = "whatsapp:+34699999998";
    const start = await readOutbox(local.url, { to });
    const sent = await local.outbound.send({
      to,
      template: { contentSid: HX, variables: { "1": "Ana" } },
    });
    const read = await readOutbox(local.url, { to, after: start?.cursor });
    expect(read?.messages.map((m) => [m.sid, outboxReply(m).body])).toEqual([
      [sent.messageSid, `[template ${HX}] {"1":"Ana"}`],
    ]);
  });

  test("answers Twilio's shape: 201 with the message, accepted, through the Messaging Service", async () => {
    const answer = await post(
      {
        To: "whatsapp:+34611000010",
        MessagingServiceSid: LOCAL_TWILIO.messagingServiceSid,
        Body: "x",
      },
      KEY_AUTH,
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: "accepted",
      to: "whatsapp:+34611000010",
      messaging_service_sid: LOCAL_TWILIO.messagingServiceSid,
      account_sid: LOCAL_TWILIO.accountSid,
      from: null,
    });
  });

  test("takes the auth token as Twilio does, with the account SID as user", async () => {
    const answer = await post(
      {
        To: "whatsapp:+34611000010",
        MessagingServiceSid: LOCAL_TWILIO.messagingServiceSid,
        Body: "x",
      },
      basic(LOCAL_TWILIO.accountSid, LOCAL_AUTH_TOKEN),
    );
    expect(answer.status).toBe(201);
  });

  test.each([
    ["no credentials", {}, undefined, undefined, 401, 20003],
    [
      "a wrong secret",
      {},
      basic(LOCAL_TWILIO.apiKeySid, "nope-nope-nope-nope"),
      undefined,
      401,
      20003,
    ],
    ["another account", {}, KEY_AUTH, `AC${"1".repeat(32)}`, 404, 20404],
    [
      "another Messaging Service",
      { MessagingServiceSid: `MG${"1".repeat(32)}` },
      KEY_AUTH,
      undefined,
      404,
      20404,
    ],
    ["an SMS number as To", { To: "+34611000010" }, KEY_AUTH, undefined, 400, 21211],
    ["nothing to send", { Body: "" }, KEY_AUTH, undefined, 400, 21602],
    [
      "ContentVariables that are not JSON",
      { ContentSid: HX, ContentVariables: "{1:" },
      KEY_AUTH,
      undefined,
      400,
      21656,
    ],
  ])(
    "refuses %s with Twilio's error body",
    async (_what, override, auth, account, status, code) => {
      const before = local.outbox.cursor;
      const form = {
        To: "whatsapp:+34611000010",
        MessagingServiceSid: LOCAL_TWILIO.messagingServiceSid,
        Body: "x",
        ...override,
      };
      const answer = await post(form, auth, messagesUrl(account));
      expect(answer).toEqual({
        status,
        body: {
          code,
          message: expect.any(String),
          more_info: `https://www.twilio.com/docs/errors/${code}`,
          status,
        },
      });
      expect(local.outbox.cursor).toBe(before);
    },
  );
});

describe("the local server's send route (npm run send)", () => {
  async function send(body: string, method = "POST") {
    const response = await fetch(`${local.url}/local/send`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "GET" ? undefined : body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  test("a malformed message is 400 and names the field; a refusal is 422; nothing reaches the outbox", async () => {
    const before = local.outbox.cursor;
    expect(await send(JSON.stringify({ to: "+34600111222", body: "x" }))).toMatchObject({
      status: 400,
      body: { error: "InvalidOutboundMessageError", field: "to", refusedBy: "bot" },
    });
    expect(await send(JSON.stringify({ to: "whatsapp:+34699990000", body: "x" }))).toMatchObject({
      status: 422,
      body: { error: "WindowClosedError", refusedBy: "bot", retryable: false },
    });
    expect(await send("{not json")).toMatchObject({ status: 400, body: { error: "BadRequest" } });
    expect(await send("", "GET")).toMatchObject({ status: 405 });
    expect(local.outbox.cursor).toBe(before);
  });
});

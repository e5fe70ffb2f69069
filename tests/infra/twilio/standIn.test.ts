import { createTwilioStandIn, type TwilioStandIn } from "../../helpers/twilio";

let standIn: TwilioStandIn;

beforeEach(() => {
  standIn = createTwilioStandIn();
});

type SdkError = { status?: number; code?: number; message?: string };

/** A request as the SDK's RequestClient would receive it, with the stand-in's credentials. */
function raw(
  method: string,
  uri: string,
  data?: Record<string, unknown>,
): ReturnType<TwilioStandIn["httpClient"]["request"]> {
  return standIn.httpClient.request({
    method,
    uri,
    username: standIn.accountSid,
    password: standIn.credentials.authToken,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    data,
  });
}

async function failure(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error("expected the call to fail");
}

describe("the Twilio stand-in refuses what real Twilio would refuse", () => {
  test.each([
    [
      "a boolean that is not true/false",
      { friendlyName: "x", stickySender: "yes" },
      /StickySender must be true or false/,
    ],
    [
      "a value outside the enum",
      { friendlyName: "x", inboundMethod: "PUT" },
      /InboundMethod.*allowed values/,
    ],
  ])("%s, sent through the SDK", async (_what, params, message) => {
    const err = await failure(standIn.client().messaging.v1.services.create(params as never));
    expect(err.status).toBe(400);
    expect(standIn.violations.join("\n")).toMatch(message);
    expect(standIn.state.services.size).toBe(0);
  });

  test.each([
    [
      "an unknown form parameter",
      { FriendlyName: "x", Colour: "red" },
      /unknown form parameter Colour/,
    ],
    [
      "a missing required parameter",
      { StickySender: "true" },
      /must have required property 'FriendlyName'/,
    ],
    [
      "a repeated single-valued parameter",
      { FriendlyName: ["a", "b"] },
      /FriendlyName given 2 times/,
    ],
  ])("%s, sent on the wire", async (_what, data, message) => {
    const res = await raw("POST", "https://messaging.twilio.com/v1/Services", data);
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatchObject({ code: 20001, status: 400 });
    expect(standIn.violations.join("\n")).toMatch(message);
  });

  test("a JSON body in camelCase instead of the API's snake_case", async () => {
    const err = await failure(
      standIn.client().messaging.v2.channelsSenders.create({ senderId: "whatsapp:+14155550100" }),
    );
    expect(err.status).toBe(400);
    expect(standIn.violations.join("\n")).toMatch(/unknown body field senderId/);
  });

  test("a path parameter that breaks its pattern", async () => {
    await failure(standIn.client().messaging.v1.services("MG123").fetch());
    expect(standIn.violations.join("\n")).toMatch(/path Sid: .*pattern/);
  });

  test("an operation the API does not have", async () => {
    const res = await raw("PUT", "https://messaging.twilio.com/v1/Services", { FriendlyName: "x" });
    expect(res.statusCode).toBe(405);
    expect(standIn.violations.join("\n")).toMatch(
      /PUT messaging.twilio.com\/v1\/Services: no such operation/,
    );
  });

  test("wrong credentials get 401 with error 20003", async () => {
    const client = standIn.clientFactory({ accountSid: standIn.accountSid, authToken: "nope" });
    const err = await failure(client.messaging.v1.services.list());
    expect(err).toMatchObject({ status: 401, code: 20003 });
  });

  test("a response that would break the schema fails loudly instead of reaching the SDK", async () => {
    const sid = standIn.seedService("x");
    standIn.state.services.get(sid)!.inbound_method = "PATCH";
    await expect(standIn.client().messaging.v1.services(sid).fetch()).rejects.toThrow(
      /breaks the schema.*inbound_method/,
    );
  });

  test("unknown resources answer 404 with error 20404", async () => {
    const err = await failure(
      standIn
        .client()
        .messaging.v1.services("MG" + "0".repeat(32))
        .fetch(),
    );
    expect(err).toMatchObject({ status: 404, code: 20404 });
    expect(standIn.violations).toEqual([]);
  });
});

describe("the stand-in's faults and counters", () => {
  test("a fault hits only matching calls, as many times as asked", async () => {
    const client = standIn.client();
    standIn.failNext({ status: 429, times: 2, match: { method: "POST", path: "/v1/Services" } });
    await client.messaging.v1.services.list();
    expect(standIn.calls.map((c) => c.status)).toEqual([200]);
    expect((await failure(client.messaging.v1.services.create({ friendlyName: "a" }))).status).toBe(
      429,
    );
    expect((await failure(client.messaging.v1.services.create({ friendlyName: "a" }))).status).toBe(
      429,
    );
    await client.messaging.v1.services.create({ friendlyName: "a" });
    expect(standIn.writes().map((c) => c.fault ?? c.status)).toEqual(["429", "429", 201]);
  });

  test("a timeout fault rejects like the SDK's HTTP client does", async () => {
    standIn.failNext({ timeout: true });
    await expect(standIn.client().messaging.v1.services.list()).rejects.toMatchObject({
      code: "ECONNABORTED",
    });
  });

  test("reads and writes are counted per path", async () => {
    const client = standIn.client();
    const svc = await client.messaging.v1.services.create({ friendlyName: "a" });
    await client.messaging.v1.services(svc.sid).fetch();
    await client.messaging.v1.services(svc.sid).update({ friendlyName: "b" });
    expect(standIn.countsByPath()).toEqual({
      "POST /v1/Services": { reads: 0, writes: 1 },
      [`GET /v1/Services/${svc.sid}`]: { reads: 1, writes: 0 },
      [`POST /v1/Services/${svc.sid}`]: { reads: 0, writes: 1 },
    });
    expect(standIn.reads()).toHaveLength(1);
    expect(standIn.writes({ path: svc.sid })).toHaveLength(1);
  });
});

describe("the stand-in's answers", () => {
  test("api v2010 list pages carry Twilio's relative URIs and still pass the description", async () => {
    standIn.seedTrigger({
      callbackUrl: "https://x.example/u",
      triggerValue: "5",
      usageCategory: "sms",
    });
    const triggers = await standIn.client().usage.triggers.list();
    expect(triggers).toHaveLength(1);
    expect(standIn.violations).toEqual([]);
  });
});

describe("the stand-in's messages and API keys", () => {
  const TO = "whatsapp:+34600111222";

  test("the SDK's messages.create through a Messaging Service is recorded as sent, and fetched back", async () => {
    const serviceSid = standIn.seedService("svc");
    const client = standIn.client();
    const created = await client.messages.create({
      to: TO,
      messagingServiceSid: serviceSid,
      contentSid: `HX${"a".repeat(32)}`,
      contentVariables: JSON.stringify({ 1: "Ana" }),
      statusCallback: "https://x.example/whatsapp/status",
    });
    expect(created.status).toBe("accepted");
    expect(standIn.sentMessages()).toMatchObject([
      {
        sid: created.sid,
        to: TO,
        contentVariables: { 1: "Ana" },
        authenticatedAs: standIn.accountSid,
      },
    ]);
    expect((await client.messages(created.sid).fetch()).to).toBe(TO);
    expect(standIn.violations).toEqual([]);
  });

  test("a parameter Messages.json does not have is a violation, and nothing is sent", async () => {
    const res = await raw(
      "POST",
      `https://api.twilio.com/2010-04-01/Accounts/${standIn.accountSid}/Messages.json`,
      { To: TO, MessagingServiceSid: standIn.seedService("svc"), Body: "x", Template: "y" },
    );
    expect(res.statusCode).toBe(400);
    expect(standIn.violations.join("\n")).toMatch(/unknown form parameter Template/);
    expect(standIn.sentMessages()).toEqual([]);
  });

  test("failSend refuses with Twilio's 21610 body once, then sends again", async () => {
    const serviceSid = standIn.seedService("svc");
    standIn.failSend({ code: 21610 });
    const send = () =>
      standIn.client().messages.create({ to: TO, messagingServiceSid: serviceSid, body: "x" });
    expect(await failure(send())).toMatchObject({
      status: 400,
      code: 21610,
      message: "Attempt to send to unsubscribed recipient",
    });
    await expect(send()).resolves.toHaveProperty("status", "accepted");
  });

  test("a created key's secret is answered once and authenticates; revoking it locks it out", async () => {
    const key = await standIn
      .client()
      .api.v2010.accounts(standIn.accountSid)
      .newKeys.create({ friendlyName: "k" });
    expect(key.secret).toMatch(/^[0-9a-f]{32}$/);
    const keyClient = standIn.clientFactory({
      accountSid: standIn.accountSid,
      apiKey: key.sid,
      apiSecret: key.secret,
    });
    await expect(keyClient.messaging.v1.services.list()).resolves.toEqual([]);
    const fetched = await standIn
      .client()
      .api.v2010.accounts(standIn.accountSid)
      .keys(key.sid)
      .fetch();
    expect(fetched.friendlyName).toBe("k");
    expect(fetched).not.toHaveProperty("secret");
    await standIn.client().api.v2010.accounts(standIn.accountSid).keys(key.sid).remove();
    expect(await failure(keyClient.messaging.v1.services.list())).toMatchObject({
      status: 401,
      code: 20003,
    });
    expect(standIn.violations).toEqual([]);
  });

  test("a Standard API key cannot manage keys (Twilio wants the auth token or a Main key)", async () => {
    const withKey = standIn.clientFactory({
      accountSid: standIn.accountSid,
      apiKey: standIn.credentials.apiKey,
      apiSecret: standIn.credentials.apiSecret,
    });
    const err = await failure(withKey.api.v2010.accounts(standIn.accountSid).newKeys.create({}));
    expect(err).toMatchObject({ status: 401, code: 20003 });
    expect(standIn.state.keys.size).toBe(0);
  });
});

import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Bot } from "../../lambda/bot";
import { createMenuBot } from "../../lambda/bot";
import { scripts } from "../../lambda/botScript";
import { createHandler, type HandlerDeps } from "../../lambda/handler";
import { createJsonLogger } from "../../lambda/logger";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { MemoryStore } from "../../lambda/store/memory";
import type { Store } from "../../lambda/store/store";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  buttonParams,
  httpApiEvent,
  locationParams,
  mediaParams,
  sid,
  signedTwilioEvent,
  statusParams,
  textParams,
} from "../helpers/events";

const NOW = new Date("2026-11-26T10:00:00Z");

interface Harness {
  handler: ReturnType<typeof createHandler>;
  store: MemoryStore;
  logs: Record<string, unknown>[];
  botCalls: number;
}

function harness(overrides: Partial<HandlerDeps> & { logLevel?: "info" | "debug" } = {}): Harness {
  const store = new MemoryStore();
  const logs: Record<string, unknown>[] = [];
  const menu = createMenuBot();
  const h: Harness = { handler: undefined as never, store, logs, botCalls: 0 };
  const bot: Bot = async (message, conversation) => {
    h.botCalls++;
    return menu(message, conversation);
  };
  h.handler = createHandler({
    store,
    authToken: async () => TEST_AUTH_TOKEN,
    bot,
    publicBaseUrl: TEST_BASE_URL,
    clock: () => NOW,
    logger: createJsonLogger({
      level: overrides.logLevel ?? "info",
      now: () => NOW,
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    }),
    ...overrides,
  });
  return h;
}

function replies(body: string | undefined) {
  return readTwimlReplies(body ?? "").map((r) => r.body);
}

describe("signature checks over payload 2.0 events", () => {
  test("answers a correctly signed message whose body API Gateway base64-encoded", async () => {
    const h = harness();
    const result = await h.handler(signedTwilioEvent({ params: textParams("1") }));
    expect(result.statusCode).toBe(200);
    expect(result.headers?.["content-type"]).toMatch(/^text\/xml/);
    expect(replies(result.body)).toEqual([scripts.es.options[0].answer]);
  });

  test("answers a correctly signed message with a plain (not base64) body", async () => {
    const h = harness();
    const result = await h.handler(signedTwilioEvent({ params: textParams("1"), base64: false }));
    expect(result.statusCode).toBe(200);
  });

  test.each([
    ["a plus", "tenant=a+b"],
    ["an encoded space", "tenant=a%20b"],
    ["an encoded plus", "tenant=a%2Bb"],
    ["double and single quotes", "q=%22hi%22&r='there'"],
    ["raw quotes", `q="hi"&r='x'`],
    ["several fields and an empty one", "a=1&b=&c=%C3%B1"],
  ])(
    "verifies a webhook URL whose query string has %s exactly as received",
    async (_name, query) => {
      const h = harness();
      const result = await h.handler(
        signedTwilioEvent({ params: textParams("2"), rawQueryString: query }),
      );
      expect(result.statusCode).toBe(200);
      expect(replies(result.body)).toEqual([scripts.es.options[1].answer]);
    },
  );

  test("verifies bodies whose values contain plus signs, spaces, quotes and accents", async () => {
    const h = harness();
    const params = textParams(`1+1 = "dos" y 'tres' ñandú & más`);
    expect((await h.handler(signedTwilioEvent({ params }))).statusCode).toBe(200);
  });

  test("refuses a query string changed after signing", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("1"), rawQueryString: "tenant=a+b" });
    event.rawQueryString = "tenant=a%20b";
    expect((await h.handler(event)).statusCode).toBe(403);
  });

  test("refuses a tampered parameter with 403 and does nothing else", async () => {
    const h = harness();
    const params = textParams("1");
    const result = await h.handler(signedTwilioEvent({ params, tamper: { Body: "4" } }));
    expect(result.statusCode).toBe(403);
    expect(h.botCalls).toBe(0);
    expect(await h.store.getAnswer(params.MessageSid)).toBeUndefined();
    expect(await h.store.getConversation("wa:34600111222")).toBeUndefined();
  });

  test("refuses an added parameter with 403", async () => {
    const h = harness();
    const result = await h.handler(
      signedTwilioEvent({ params: textParams("1"), tamper: { Extra: "x" } }),
    );
    expect(result.statusCode).toBe(403);
  });

  test("refuses a missing X-Twilio-Signature with 403 and does nothing else", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("1") });
    delete event.headers["x-twilio-signature"];
    expect((await h.handler(event)).statusCode).toBe(403);
    expect(h.botCalls).toBe(0);
  });

  test.each([
    ["is not base64", "%%%not-base64%%%"],
    ["is larger than any webhook", Buffer.from("Body=" + "a".repeat(40_000)).toString("base64")],
    ["has a malformed escape", Buffer.from("Body=%E0%A4%A").toString("base64")],
  ])("refuses a missing X-Twilio-Signature with 403 even when the body %s", async (_name, body) => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("1") });
    delete event.headers["x-twilio-signature"];
    event.body = body;
    expect((await h.handler(event)).statusCode).toBe(403);
  });

  test("refuses a signature made with another auth token", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("1"), authToken: "f".repeat(32) });
    expect((await h.handler(event)).statusCode).toBe(403);
  });

  test("refuses a signature made for another host", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("1"), baseUrl: "https://evil.example" });
    expect((await h.handler(event)).statusCode).toBe(403);
  });

  test("refuses a signature for another route", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("1"), path: "/whatsapp/fallback" });
    event.rawPath = "/whatsapp/incoming";
    expect((await h.handler(event)).statusCode).toBe(403);
  });
});

describe("every message kind through the handler", () => {
  test.each([
    ["an image", mediaParams([{ contentType: "image/jpeg" }]), "¡Gracias! Recibimos tu imagen."],
    [
      "two videos",
      mediaParams([{ contentType: "video/mp4" }, { contentType: "video/mp4" }]),
      "¡Gracias! Recibimos tus 2 vídeos.",
    ],
    [
      "an image and a PDF together",
      mediaParams([{ contentType: "image/jpeg" }, { contentType: "application/pdf" }]),
      "¡Gracias! Recibimos tus 2 archivos.",
    ],
    ["an audio note", mediaParams([{ contentType: "audio/ogg" }]), "¡Gracias! Recibimos tu audio."],
    [
      "a PDF",
      mediaParams([{ contentType: "application/pdf" }], "factura"),
      "¡Gracias! Recibimos tu documento.",
    ],
    [
      "a location",
      locationParams("40.4168", "-3.7038", { Label: "Sol" }),
      "¡Gracias por compartir tu ubicación (40.4168, -3.7038): Sol!",
    ],
    ["a button reply", buttonParams("Horario", "hours"), scripts.es.options[0].answer],
    [
      "a sticker",
      mediaParams([{ contentType: "image/webp" }], "", { MessageType: "sticker" }),
      scripts.es.unsupported,
    ],
  ])("acknowledges %s", async (_name, params, expected) => {
    const h = harness();
    // A first message opens the window, so the reply below is the acknowledgement alone.
    await h.handler(signedTwilioEvent({ params: textParams("hola") }));
    const result = await h.handler(signedTwilioEvent({ params }));
    expect(result.statusCode).toBe(200);
    expect(replies(result.body)).toEqual([expected]);
  });

  test("greets a first-time sender with the menu", async () => {
    const h = harness();
    const result = await h.handler(signedTwilioEvent({ params: textParams("buenas") }));
    expect(replies(result.body)[0]).toContain("¡Hola, Ana!");
  });

  test("greets again once the 24-hour window has closed", async () => {
    let now = NOW;
    const h = harness({ clock: () => now });
    await h.handler(signedTwilioEvent({ params: textParams("hola") }));
    now = new Date(NOW.getTime() + 60_000);
    expect(
      replies((await h.handler(signedTwilioEvent({ params: textParams("xyzzy") }))).body)[0],
    ).toContain(scripts.es.notUnderstood);
    now = new Date(NOW.getTime() + 25 * 3600_000);
    expect(
      replies((await h.handler(signedTwilioEvent({ params: textParams("xyzzy") }))).body)[0],
    ).toContain("¡Hola, Ana!");
    expect((await h.store.getConversation("wa:34600111222"))?.lastInboundAt).toBe(now.getTime());
  });

  test("sends media replies as <Media> with the status callback URL as action", async () => {
    const h = harness({
      bot: async () => ({ messages: [{ body: "mapa", mediaUrls: ["https://example.com/m.png"] }] }),
    });
    const result = await h.handler(signedTwilioEvent({ params: textParams("x") }));
    expect(result.body).toContain("<Body>mapa</Body><Media>https://example.com/m.png</Media>");
    expect(result.body).toContain(`action="${TEST_BASE_URL}/whatsapp/status"`);
  });

  test("answers the fallback route like the primary one", async () => {
    const h = harness();
    const params = {
      ...textParams("3"),
      ErrorCode: "11200",
      ErrorUrl: `${TEST_BASE_URL}/whatsapp/incoming`,
    };
    const result = await h.handler(signedTwilioEvent({ params, path: "/whatsapp/fallback" }));
    expect(replies(result.body)).toEqual([scripts.es.options[2].answer]);
    expect(h.logs.find((l) => l.msg === "fallback webhook")).toMatchObject({ errorCode: "11200" });
  });

  test("sends the apology when the bot throws, and still answers 200", async () => {
    const h = harness({ bot: async () => Promise.reject(new Error("boom")) });
    const result = await h.handler(signedTwilioEvent({ params: textParams("hola") }));
    expect(result.statusCode).toBe(200);
    expect(replies(result.body)).toEqual([scripts.es.error]);
  });

  test("answers an empty reply with empty TwiML", async () => {
    const h = harness({ bot: async () => ({ messages: [] }) });
    const result = await h.handler(signedTwilioEvent({ params: textParams("hola") }));
    expect(result.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});

describe("duplicate deliveries", () => {
  test("answers a redelivered MessageSid with empty TwiML and no second bot call", async () => {
    const h = harness();
    const params = textParams("1");
    const first = await h.handler(signedTwilioEvent({ params }));
    const second = await h.handler(signedTwilioEvent({ params }));
    expect(replies(first.body)).toHaveLength(1);
    expect(second.statusCode).toBe(200);
    expect(replies(second.body)).toEqual([]);
    expect(h.botCalls).toBe(1);
  });

  test("sends the stored answer, as it was, to the first fallback call and nothing to later ones", async () => {
    const h = harness();
    const params = textParams("1");
    const fallback = () => h.handler(signedTwilioEvent({ params, path: "/whatsapp/fallback" }));
    const primary = await h.handler(signedTwilioEvent({ params }));
    const [again, replay] = [await fallback(), await fallback()];
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(primary.body);
    expect(replies(replay.body)).toEqual([]);
    expect(h.botCalls).toBe(1);
    expect(h.logs.filter((l) => l.msg === "duplicate message ignored")).toEqual([
      expect.objectContaining({ reason: "already-resent", route: "fallback" }),
    ]);
  });

  test("replies once when the same MessageSid arrives many times at once", async () => {
    const h = harness();
    const params = textParams("1");
    const results = await Promise.all(
      Array.from({ length: 8 }, () => h.handler(signedTwilioEvent({ params }))),
    );
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const answered = results.filter((r) => replies(r.body).length > 0);
    expect(answered).toHaveLength(1);
    expect(answered[0].body).toBe((await h.store.getAnswer(params.MessageSid))?.twiml);
    expect((await h.store.getConversation("wa:34600111222"))?.inboundCount).toBe(1);
  });
});

describe("status callbacks", () => {
  test("answers 204 with an empty body and records the status", async () => {
    const h = harness();
    const messageSid = sid("SM");
    const result = await h.handler(
      signedTwilioEvent({
        params: statusParams(messageSid, "delivered"),
        path: "/whatsapp/status",
      }),
    );
    expect(result.statusCode).toBe(204);
    expect(result.body).toBeUndefined();
    expect((await h.store.getStatus(messageSid))?.status).toBe("delivered");
  });

  test("keeps the latest state when callbacks arrive out of order", async () => {
    const h = harness();
    const messageSid = sid("SM");
    for (const status of ["read", "sent", "delivered", "queued"]) {
      const r = await h.handler(
        signedTwilioEvent({ params: statusParams(messageSid, status), path: "/whatsapp/status" }),
      );
      expect(r.statusCode).toBe(204);
    }
    expect((await h.store.getStatus(messageSid))?.status).toBe("read");
  });

  test("records a status it does not know without failing", async () => {
    const h = harness();
    const messageSid = sid("SM");
    const r = await h.handler(
      signedTwilioEvent({
        params: statusParams(messageSid, "warp_speed"),
        path: "/whatsapp/status",
      }),
    );
    expect(r.statusCode).toBe(204);
    expect((await h.store.getStatus(messageSid))?.otherStatuses).toEqual(["warp_speed"]);
  });
});

describe("bad input gets a clear 4xx", () => {
  const signed = () => signedTwilioEvent({ params: textParams("1") });

  test.each<[string, (e: APIGatewayProxyEventV2) => void, number]>([
    ["an unknown route", (e) => (e.rawPath = "/whatsapp/other"), 404],
    ["the root path", (e) => (e.rawPath = "/"), 404],
    ["a trailing slash", (e) => (e.rawPath = "/whatsapp/incoming/"), 404],
    ["GET", (e) => (e.requestContext.http.method = "GET"), 405],
    ["PUT", (e) => (e.requestContext.http.method = "PUT"), 405],
    ["a JSON content type", (e) => (e.headers["content-type"] = "application/json"), 415],
    ["no content type", (e) => delete e.headers["content-type"], 415],
    [
      "a 40 KB body",
      (e) => (e.body = Buffer.from("Body=" + "a".repeat(40_000)).toString("base64")),
      413,
    ],
    ["a body that is not base64", (e) => (e.body = "%%%not-base64%%%"), 400],
    [
      "a malformed percent escape",
      (e) => {
        e.body = Buffer.from("Body=%E0%A4%A&x=1").toString("base64");
      },
      400,
    ],
  ])("answers %s with %d", async (_name, mutate, status) => {
    const h = harness();
    const event = signed();
    mutate(event);
    const result = await h.handler(event);
    expect(result.statusCode).toBe(status);
    expect(result.headers?.["content-type"]).toMatch(/^text\/plain/);
    expect(h.botCalls).toBe(0);
  });

  test("says which method is allowed on a 405", async () => {
    const h = harness();
    const event = httpApiEvent({ method: "GET" });
    expect((await h.handler(event)).headers?.allow).toBe("POST");
  });

  test.each([
    ["no MessageSid", { MessageSid: "" }],
    ["no From", { From: "" }],
    ["a bad NumMedia", { NumMedia: "x" }],
  ])("answers a signed message with %s with 400", async (_name, overrides) => {
    const h = harness();
    const result = await h.handler(signedTwilioEvent({ params: textParams("1", overrides) }));
    expect(result.statusCode).toBe(400);
    expect(h.botCalls).toBe(0);
  });

  test("answers a signed status callback without MessageStatus with 400", async () => {
    const h = harness();
    const params = statusParams(sid("SM"), "sent", { MessageStatus: "" });
    expect(
      (await h.handler(signedTwilioEvent({ params, path: "/whatsapp/status" }))).statusCode,
    ).toBe(400);
  });

  test("answers an empty signed body with 400", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: {} });
    expect((await h.handler(event)).statusCode).toBe(400);
  });
});

describe("extra signed routes", () => {
  const extraRoutes = {
    "/twilio/usage": jest.fn(async (params: Record<string, string | string[]>) => ({
      statusCode: 204,
      headers: { "x-seen": String(params.UsageTriggerSid) },
    })),
  };

  test("hands the verified fields of a signed request to the extra route", async () => {
    const h = harness({ extraRoutes });
    const params = { UsageTriggerSid: "UT" + "1".repeat(32), CurrentValue: "12.5" };
    const result = await h.handler(signedTwilioEvent({ params, path: "/twilio/usage" }));
    expect(result).toEqual({ statusCode: 204, headers: { "x-seen": params.UsageTriggerSid } });
    expect(h.botCalls).toBe(0);
  });

  test.each<[string, (e: APIGatewayProxyEventV2) => void, number]>([
    [
      "a tampered field",
      (e) => (e.body = Buffer.from("UsageTriggerSid=x").toString("base64")),
      403,
    ],
    ["GET", (e) => (e.requestContext.http.method = "GET"), 405],
  ])("refuses an extra-route request with %s before calling it", async (_name, mutate, status) => {
    extraRoutes["/twilio/usage"].mockClear();
    const h = harness({ extraRoutes });
    const event = signedTwilioEvent({ params: { UsageTriggerSid: "y" }, path: "/twilio/usage" });
    mutate(event);
    expect((await h.handler(event)).statusCode).toBe(status);
    expect(extraRoutes["/twilio/usage"]).not.toHaveBeenCalled();
  });

  test("answers 404 for an extra route's path when none is configured", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: { UsageTriggerSid: "y" }, path: "/twilio/usage" });
    expect((await h.handler(event)).statusCode).toBe(404);
  });
});

describe("failures of the bot's own dependencies", () => {
  test("answers 500 when the store is down, so Twilio retries or calls the fallback", async () => {
    class BrokenStore extends MemoryStore {
      override getAnswer(): Promise<undefined> {
        return Promise.reject(new Error("ProvisionedThroughputExceeded"));
      }
    }
    const broken: Store = new BrokenStore();
    const h = harness({ store: broken });
    const result = await h.handler(signedTwilioEvent({ params: textParams("1") }));
    expect(result.statusCode).toBe(500);
    expect(h.logs.find((l) => l.level === "error")).toMatchObject({ msg: "request failed" });
  });

  test("answers 500 when the auth token cannot be read", async () => {
    const h = harness({ authToken: () => Promise.reject(new Error("AccessDenied")) });
    expect((await h.handler(signedTwilioEvent({ params: textParams("1") }))).statusCode).toBe(500);
  });
});

describe("logs", () => {
  test("writes one info line per message with its MessageSid, and no body or token", async () => {
    const h = harness();
    const params = textParams("mi secreto es 1234");
    await h.handler(signedTwilioEvent({ params }));
    const text = JSON.stringify(h.logs);
    expect(h.logs).toContainEqual(
      expect.objectContaining({ level: "info", messageSid: params.MessageSid }),
    );
    expect(text).not.toContain("mi secreto");
    expect(text).not.toContain(TEST_AUTH_TOKEN);
    expect(text).not.toContain(scripts.es.greeting.slice(0, 10));
  });

  test("includes the message body only at debug level", async () => {
    const h = harness({ logLevel: "debug" });
    await h.handler(signedTwilioEvent({ params: textParams("mi secreto es 1234") }));
    const withBody = h.logs.filter((l) => JSON.stringify(l).includes("mi secreto"));
    expect(withBody.length).toBeGreaterThan(0);
    expect(withBody.every((l) => l.level === "debug")).toBe(true);
  });

  test("logs a refused request with its status and never the signature or body", async () => {
    const h = harness();
    const event = signedTwilioEvent({ params: textParams("hola secreta"), tamper: { Body: "x" } });
    await h.handler(event);
    expect(h.logs).toEqual([expect.objectContaining({ level: "warn", statusCode: 403 })]);
    expect(JSON.stringify(h.logs)).not.toContain(event.headers["x-twilio-signature"]);
  });
});

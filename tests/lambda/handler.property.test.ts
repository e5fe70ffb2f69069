import type { APIGatewayProxyEventV2 } from "aws-lambda";
import fc from "fast-check";
import { createMenuBot } from "../../lambda/bot";
import { createHandler } from "../../lambda/handler";
import { MemoryStore } from "../../lambda/store/memory";
import type { Conversation } from "../../lambda/store/store";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  httpApiEvent,
  signedTwilioEvent,
  statusParams,
  textParams,
} from "../helpers/events";

/** Counts the conversations the handler found new, so the property can tell it reached greetings. */
class CountingStore extends MemoryStore {
  newConversations = 0;
  override async getConversation(id: string): Promise<Conversation | undefined> {
    const found = await super.getConversation(id);
    if (!found) this.newConversations++;
    return found;
  }
}

const store = new CountingStore();
const handler = createHandler({
  store,
  authToken: async () => TEST_AUTH_TOKEN,
  bot: createMenuBot(),
  publicBaseUrl: TEST_BASE_URL,
  clock: () => new Date("2026-11-26T10:00:00Z"),
});

const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
);
const route = fc.constantFrom("/whatsapp/incoming", "/whatsapp/fallback", "/whatsapp/status");
const path = fc.oneof(route, anyText, fc.constantFrom("/", "", "/whatsapp", "/WHATSAPP/INCOMING"));
const method = fc.oneof(fc.constantFrom("POST", "GET", "post", "DELETE", "OPTIONS"), anyText);
const contentType = fc.oneof(
  fc.constant("application/x-www-form-urlencoded"),
  fc.constant("application/x-www-form-urlencoded; charset=utf-8"),
  anyText,
);
const body = fc.oneof(
  fc.constant(undefined),
  anyText,
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString("base64")),
  fc.dictionary(anyText, anyText).map((d) => new URLSearchParams(d).toString()),
  fc.constantFrom("%", "a=%zz", "=", "&&&", "a=1&a=2", "__proto__=1&constructor=2"),
);
const twilioField = fc.oneof(
  fc.constantFrom(
    "MessageSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "MediaUrl1",
    "MessageType",
    "Latitude",
    "Longitude",
    "ButtonText",
    "ButtonPayload",
    "WaId",
    "ProfileName",
    "MessageStatus",
    "ErrorCode",
  ),
  anyText,
);
/** Text holding characters XML forbids, which the bot echoes from profile names and labels. */
const xmlHostile = fc
  .tuple(anyText, fc.constantFrom("\u0000", "\u0008", "\u000B", "\u001F", "\uFFFE", "\uFFFF"))
  .map(([text, bad]) => `An${bad}a ${text}`);
const fieldValue = fc.oneof(
  anyText,
  xmlHostile,
  fc.constantFrom(
    "0",
    "1",
    "10",
    "11",
    "-1",
    "91",
    "location",
    "button",
    "image",
    "sticker",
    "read",
  ),
  fc.constant("SM" + "a".repeat(32)),
  fc.constant("https://api.twilio.com/media/1"),
  fc.constant("whatsapp:+34600111222"),
);

function expectHandled(status: number | undefined): void {
  expect(typeof status).toBe("number");
  expect(status).toBeGreaterThanOrEqual(200);
  expect(status).toBeLessThan(500);
}

describe("the handler under arbitrary input", () => {
  test("never throws and never answers 5xx for arbitrary paths, methods, headers and bodies", async () => {
    await fc.assert(
      fc.asyncProperty(
        path,
        method,
        contentType,
        fc.dictionary(anyText, anyText, { maxKeys: 5 }),
        fc.option(anyText),
        anyText,
        body,
        fc.boolean(),
        async (rawPath, httpMethod, type, extraHeaders, signature, query, payload, isBase64) => {
          const event = httpApiEvent({
            method: httpMethod,
            rawPath,
            rawQueryString: query,
            headers: {
              ...extraHeaders,
              "content-type": type,
              ...(signature === null ? {} : { "x-twilio-signature": signature }),
            },
            body: payload,
            isBase64Encoded: isBase64,
          });
          const result = await handler(event);
          expectHandled(result.statusCode);
          // Nothing unsigned gets past the signature check.
          expect(result.statusCode).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("never throws and never answers 5xx for correctly signed arbitrary form fields", async () => {
    const seen = new Set<number | undefined>();
    // Most runs start from a valid message or callback, so the bot and the store are reached too.
    const fields = fc.oneof(
      fc.dictionary(twilioField, fieldValue, { maxKeys: 12 }),
      fc
        .tuple(
          fc.constantFrom(textParams("hola"), statusParams("SM" + "b".repeat(32), "sent")),
          fc.dictionary(twilioField, fieldValue, { maxKeys: 3 }),
        )
        .map(([valid, changes]) => ({ ...valid, MessageSid: "", ...changes }))
        .chain((p) => fc.constantFrom(p, { ...p, MessageSid: textParams("x").MessageSid })),
      // A sender never seen before, so the store starts a conversation and the bot greets by name.
      fc
        .tuple(fc.integer({ min: 0, max: 99_999_999 }), fc.option(xmlHostile), fieldValue)
        .map(([n, name, body]) => {
          const waId = `349${String(n).padStart(8, "0")}`;
          return textParams(body, {
            From: `whatsapp:+${waId}`,
            WaId: waId,
            ...(name === null ? {} : { ProfileName: name }),
          });
        }),
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        fields,
        fc.boolean(),
        anyText,
        async (rawPath, params, base64, query) => {
          const event = signedTwilioEvent({
            params,
            path: rawPath,
            base64,
            rawQueryString: encodeURIComponent(query),
          });
          const result = await handler(event);
          expectHandled(result.statusCode);
          expect([200, 204, 400, 403]).toContain(result.statusCode);
          seen.add(result.statusCode);
        },
      ),
      { numRuns: 300 },
    );
    expect(seen).toContain(200);
    expect(seen).toContain(400);
    expect(store.newConversations).toBeGreaterThan(20);
  });

  test.each<[string, unknown]>([
    ["an empty object", {}],
    ["no requestContext", { rawPath: "/whatsapp/incoming", headers: {} }],
    ["null headers", { ...httpApiEvent(), headers: null }],
    [
      "a numeric body",
      {
        ...httpApiEvent({
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-twilio-signature": "x",
          },
        }),
        body: 42,
      },
    ],
  ])("answers an event with %s with a 4xx", async (_name, event) => {
    const result = await handler(event as APIGatewayProxyEventV2);
    expect(result.statusCode).toBeGreaterThanOrEqual(400);
    expect(result.statusCode).toBeLessThan(500);
  });
});

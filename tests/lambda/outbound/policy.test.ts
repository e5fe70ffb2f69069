import fc from "fast-check";
import { SERVICE_WINDOW_MS } from "../../../lambda/conversation";
import {
  InvalidOutboundMessageError,
  OptedOutError,
  WindowClosedError,
} from "../../../lambda/outbound/errors";
import type { OutboundMessage } from "../../../lambda/outbound/outbound";
import {
  MAX_BODY_CHARS,
  decideSend,
  validateOutboundMessage,
} from "../../../lambda/outbound/policy";
import type { Conversation } from "../../../lambda/store/store";

const NOW = new Date("2026-12-02T10:00:00Z");
const TO = "whatsapp:+34600111222";
const HX = `HX${"ab".repeat(16)}`;
const HOUR = 3600 * 1000;

function conversation(fields: Partial<Conversation> = {}): Conversation {
  return { id: "wa:34600111222", inboundCount: 1, ...fields };
}

describe("validateOutboundMessage", () => {
  test.each<[string, OutboundMessage, string]>([
    ["a number without whatsapp:", { to: "+34600111222", body: "hi" }, "to"],
    ["an SMS address", { to: "sms:+34600111222", body: "hi" }, "to"],
    ["a number with a leading 0", { to: "whatsapp:+0346", body: "hi" }, "to"],
    ["nothing to send", { to: TO }, "body"],
    ["blank text and no media", { to: TO, body: "  \n" }, "body"],
    ["text over Twilio's limit", { to: TO, body: "x".repeat(MAX_BODY_CHARS + 1) }, "body"],
    ["eleven media URLs", { to: TO, mediaUrls: Array(11).fill("https://e.x/a.jpg") }, "mediaUrls"],
    ["a relative media URL", { to: TO, mediaUrls: ["/a.jpg"] }, "mediaUrls"],
    ["an ftp media URL", { to: TO, mediaUrls: ["ftp://e.x/a.jpg"] }, "mediaUrls"],
    ["a template with text", { to: TO, body: "hi", template: { contentSid: HX } }, "template"],
    [
      "a template with media",
      { to: TO, mediaUrls: ["https://e.x/a.jpg"], template: { contentSid: HX } },
      "template",
    ],
    [
      "a template SID of the wrong kind",
      { to: TO, template: { contentSid: `MG${"0".repeat(32)}` } },
      "template.contentSid",
    ],
    [
      "a template SID one digit short",
      { to: TO, template: { contentSid: `HX${"a".repeat(31)}` } },
      "template.contentSid",
    ],
    [
      "a variable without a name",
      { to: TO, template: { contentSid: HX, variables: { "": "x" } } },
      "template.variables",
    ],
    [
      "a variable that is not text",
      { to: TO, template: { contentSid: HX, variables: { "1": 5 as unknown as string } } },
      "template.variables",
    ],
  ])("refuses %s, naming the field", (_what, message, field) => {
    const result = validateOutboundMessage(message);
    expect(result).toBeInstanceOf(InvalidOutboundMessageError);
    expect((result as InvalidOutboundMessageError).field).toBe(field);
    expect((result as InvalidOutboundMessageError).refusedBy).toBe("bot");
    expect((result as InvalidOutboundMessageError).message).toMatch(
      new RegExp(`^${field.replace(".", "\\.")}: `),
    );
  });

  test.each<[string, OutboundMessage, string]>([
    ["text", { to: TO, body: "hola" }, "freeform"],
    [
      "text at exactly the limit (emoji count once)",
      { to: TO, body: "😀".repeat(MAX_BODY_CHARS) },
      "freeform",
    ],
    ["media alone", { to: TO, mediaUrls: ["https://e.x/a.jpg"] }, "freeform"],
    ["a template", { to: TO, template: { contentSid: HX } }, "template"],
    [
      "a template with variables",
      { to: TO, template: { contentSid: HX, variables: { "1": "Ana" } } },
      "template",
    ],
  ])("accepts %s", (_what, message, kind) => {
    expect(validateOutboundMessage(message)).toBe(kind);
  });
});

describe("decideSend", () => {
  test("free-form text is allowed while the user's last message is under 24 hours old", () => {
    const last = NOW.getTime() - 23 * HOUR;
    expect(decideSend({ to: TO, body: "hi" }, conversation({ lastInboundAt: last }), NOW)).toEqual({
      allowed: true,
      kind: "freeform",
    });
  });

  test("free-form text is refused once 24 hours have passed, and the error says to use a template", () => {
    const last = NOW.getTime() - SERVICE_WINDOW_MS;
    const decision = decideSend({ to: TO, body: "hi" }, conversation({ lastInboundAt: last }), NOW);
    expect(decision.allowed).toBe(false);
    const error = (decision as { error: Error }).error;
    expect(error).toBeInstanceOf(WindowClosedError);
    expect(error.message).toContain("2026-12-01T10:00:00.000Z");
    expect(error.message).toContain("template.contentSid");
  });

  test("free-form media to someone who never wrote is refused", () => {
    const decision = decideSend({ to: TO, mediaUrls: ["https://e.x/a.jpg"] }, undefined, NOW);
    expect((decision as { error: Error }).error).toBeInstanceOf(WindowClosedError);
    expect((decision as { error: Error }).error.message).toContain("never written");
  });

  test("a template may go to someone who never wrote, or whose window closed long ago", () => {
    const message = { to: TO, template: { contentSid: HX } };
    expect(decideSend(message, undefined, NOW)).toEqual({ allowed: true, kind: "template" });
    const old = conversation({ lastInboundAt: NOW.getTime() - 30 * 24 * HOUR });
    expect(decideSend(message, old, NOW)).toEqual({ allowed: true, kind: "template" });
  });

  test("a user who opted out gets nothing, not even a template inside the window", () => {
    const optedOut = conversation({
      lastInboundAt: NOW.getTime() - HOUR,
      optedOutAt: NOW.getTime() - HOUR,
    });
    for (const message of [
      { to: TO, body: "hi" },
      { to: TO, template: { contentSid: HX } },
    ]) {
      const decision = decideSend(message, optedOut, NOW);
      expect((decision as { error: Error }).error).toBeInstanceOf(OptedOutError);
    }
  });

  test("a malformed message is refused as malformed before consent or the window are looked at", () => {
    const optedOut = conversation({ optedOutAt: 1 });
    const decision = decideSend({ to: "+34600111222", body: "hi" }, optedOut, NOW);
    expect((decision as { error: Error }).error).toBeInstanceOf(InvalidOutboundMessageError);
  });

  const message = fc.oneof(
    fc.record({ to: fc.constant(TO), body: fc.string({ minLength: 1, maxLength: 40 }) }),
    fc.record({ to: fc.constant(TO), mediaUrls: fc.constant(["https://e.x/a.jpg"]) }),
    fc.record({
      to: fc.constant(TO),
      template: fc.record({
        contentSid: fc.constant(HX),
        variables: fc.dictionary(fc.constantFrom("1", "2", "3"), fc.string()),
      }),
    }),
  ) as fc.Arbitrary<OutboundMessage>;
  const offset = fc.integer({ min: -60 * 24 * HOUR, max: 60 * 24 * HOUR });
  const stored = fc.option(
    fc.record({
      lastInbound: fc.option(fc.integer({ min: 0, max: 60 * 24 * HOUR })),
      optedOut: fc.option(offset),
    }),
  );

  test("property: a send is allowed exactly when not opted out and (a template, or inside the window)", () => {
    fc.assert(
      fc.property(message, stored, (msg, s) => {
        const conv =
          s === null
            ? undefined
            : conversation({
                lastInboundAt: s.lastInbound === null ? undefined : NOW.getTime() - s.lastInbound,
                optedOutAt: s.optedOut === null ? undefined : NOW.getTime() + s.optedOut,
              });
        if (validateOutboundMessage(msg) instanceof InvalidOutboundMessageError) return;
        const decision = decideSend(msg, conv, NOW);
        const optedOut = conv?.optedOutAt !== undefined;
        const inWindow =
          conv?.lastInboundAt !== undefined &&
          NOW.getTime() - conv.lastInboundAt < SERVICE_WINDOW_MS;
        const isTemplate = msg.template !== undefined;
        expect(decision.allowed).toBe(!optedOut && (isTemplate || inWindow));
        if (!decision.allowed) {
          expect(decision.error).toBeInstanceOf(optedOut ? OptedOutError : WindowClosedError);
          expect(decision.error.refusedBy).toBe("bot");
          expect(decision.error.retryable).toBe(false);
        } else {
          expect(decision.kind).toBe(isTemplate ? "template" : "freeform");
        }
      }),
      { numRuns: 500 },
    );
  });
});

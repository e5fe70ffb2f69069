import { expect } from "@jest/globals";
import {
  contentTemplateProvider as provider,
  diffContentTemplate,
  LIMITS,
  validateContentTemplate,
  type ContentTemplateInputs,
} from "../../../infra/twilio/contentTemplate";
import { UNKNOWN } from "../../../infra/twilio/validation";

const base: ContentTemplateInputs = {
  friendlyName: "appointment_reminder",
  language: "en",
  variables: { "1": "Ana" },
  types: { "twilio/text": { body: "Hello {{1}}, see you tomorrow." } },
  approval: { name: "appointment_reminder", category: "UTILITY" },
};

type Patch = (t: ContentTemplateInputs) => unknown;
const with_ = (patch: Patch): ContentTemplateInputs => {
  const copy = structuredClone(base);
  patch(copy);
  return copy;
};
const text = (body: string): ContentTemplateInputs["types"] => ({ "twilio/text": { body } });
const buttons = (n: number, title = "B") =>
  Array.from({ length: n }, (_, i) => ({ title: `${title}${i}` }));

describe("ContentTemplate check", () => {
  test("a well-formed template passes", () => {
    expect(validateContentTemplate(base)).toEqual([]);
  });

  test.each<[string, Patch, string, RegExp]>([
    [
      "a variable without a sample",
      (t) => (t.variables = { "1": "" }),
      'variables["1"]',
      /no sample/,
    ],
    [
      "a placeholder without a variable",
      (t) => (t.types = text("Hi {{1}} and {{2}}.")),
      'types["twilio/text"].body',
      /no "2"/,
    ],
    [
      "a variable no text uses",
      (t) => (t.variables = { "1": "Ana", "2": "x" }),
      'variables["2"]',
      /no text uses/,
    ],
    [
      "a named placeholder",
      (t) => (t.types = text("Hi {{name}}, {{1}} ok.")),
      'types["twilio/text"].body',
      /must be a number/,
    ],
    [
      "variables with a gap",
      (t) => (t.variables = { "1": "a", "3": "b" }),
      "variables",
      /without gaps/,
    ],
    [
      "an unknown category",
      (t) => (t.approval = { name: "x", category: "PROMO" as "UTILITY" }),
      "approval.category",
      /UTILITY, MARKETING, AUTHENTICATION/,
    ],
    [
      "an approval name with capitals",
      (t) => (t.approval = { name: "Appointment", category: "UTILITY" }),
      "approval.name",
      /lower-case words joined by underscores/,
    ],
    [
      "an approval name with spaces",
      (t) => (t.approval = { name: "appointment reminder", category: "UTILITY" }),
      "approval.name",
      /lower-case/,
    ],
    [
      "an approval name with a trailing underscore",
      (t) => (t.approval = { name: "reminder_", category: "UTILITY" }),
      "approval.name",
      /lower-case/,
    ],
    [
      "a text body over Twilio's limit",
      (t) => (t.types = text(`Hi {{1}} ${"x".repeat(LIMITS.textBody)}`)),
      'types["twilio/text"].body',
      /at most 1600/,
    ],
    [
      "a text body over WhatsApp's template limit",
      (t) => (t.types = text(`Hi {{1}} ${"x".repeat(1100)}`)),
      'types["twilio/text"].body',
      /at most 1024/,
    ],
    [
      "a body starting with a placeholder",
      (t) => (t.types = text("{{1}}, see you tomorrow.")),
      'types["twilio/text"].body',
      /starts or ends/,
    ],
    [
      "a body ending with a placeholder",
      (t) => (t.types = text("See you tomorrow, {{1}}.")),
      'types["twilio/text"].body',
      /starts or ends/,
    ],
    [
      "two placeholders side by side",
      (t) => {
        t.variables = { "1": "a", "2": "b" };
        t.types = text("Hi {{1}} {{2}} there.");
      },
      'types["twilio/text"].body',
      /side by side/,
    ],
    [
      "eleven quick replies",
      (t) => (t.types = { "twilio/quick-reply": { body: "Hi {{1}} pick.", actions: buttons(11) } }),
      'types["twilio/quick-reply"].actions',
      /at most 10/,
    ],
    [
      "a quick reply title over 20 characters",
      (t) =>
        (t.types = {
          "twilio/quick-reply": { body: "Hi {{1}} pick.", actions: [{ title: "x".repeat(21) }] },
        }),
      'types["twilio/quick-reply"].actions[0].title',
      /at most 20/,
    ],
    [
      "two quick replies with one title",
      (t) =>
        (t.types = {
          "twilio/quick-reply": {
            body: "Hi {{1}} pick.",
            actions: [{ title: "Yes" }, { title: "Yes" }],
          },
        }),
      'types["twilio/quick-reply"].actions[1].title',
      /repeats/,
    ],
    [
      "a quick reply without buttons",
      (t) => (t.types = { "twilio/quick-reply": { body: "Hi {{1}} pick.", actions: [] } }),
      'types["twilio/quick-reply"].actions',
      /1 to 10/,
    ],
    [
      "a call-to-action body over 640",
      (t) =>
        (t.types = {
          "twilio/call-to-action": {
            body: `Hi {{1}} ${"x".repeat(640)}`,
            actions: [{ type: "URL", title: "Go", url: "https://e.com" }],
          },
        }),
      'types["twilio/call-to-action"].body',
      /at most 640/,
    ],
    [
      "three URL buttons",
      (t) =>
        (t.types = {
          "twilio/call-to-action": {
            body: "Hi {{1}} go.",
            actions: [1, 2, 3].map((i) => ({
              type: "URL" as const,
              title: `Go ${i}`,
              url: "https://e.com",
            })),
          },
        }),
      'types["twilio/call-to-action"].actions',
      /3 URL buttons; WhatsApp allows at most 2/,
    ],
    [
      "a call-to-action title over 25",
      (t) =>
        (t.types = {
          "twilio/call-to-action": {
            body: "Hi {{1}} go.",
            actions: [{ type: "URL", title: "x".repeat(26), url: "https://e.com" }],
          },
        }),
      'types["twilio/call-to-action"].actions[0].title',
      /at most 25/,
    ],
    [
      "a URL button without https",
      (t) =>
        (t.types = {
          "twilio/call-to-action": {
            body: "Hi {{1}} go.",
            actions: [{ type: "URL", title: "Go", url: "http://e.com" }],
          },
        }),
      'types["twilio/call-to-action"].actions[0].url',
      /https/,
    ],
    [
      "a placeholder inside a URL",
      (t) => {
        t.variables = { "1": "a", "2": "b" };
        t.types = {
          "twilio/call-to-action": {
            body: "Hi {{1}} go.",
            actions: [{ type: "URL", title: "Go", url: "https://e.com/{{2}}/x" }],
          },
        };
      },
      'types["twilio/call-to-action"].actions[0].url',
      /at its very end/,
    ],
    [
      "a phone button without E.164",
      (t) =>
        (t.types = {
          "twilio/call-to-action": {
            body: "Hi {{1}} call.",
            actions: [{ type: "PHONE_NUMBER", title: "Call", phone: "0415 555" }],
          },
        }),
      'types["twilio/call-to-action"].actions[0].phone',
      /E\.164/,
    ],
    [
      "a VOICE_CALL button",
      (t) =>
        (t.types = {
          "twilio/call-to-action": {
            body: "Hi {{1}} call.",
            actions: [{ type: "VOICE_CALL" as "URL", title: "Call" }],
          },
        }),
      'types["twilio/call-to-action"].actions[0].type',
      /URL, PHONE_NUMBER, COPY_CODE/,
    ],
    [
      "two media URLs",
      (t) =>
        (t.types = {
          "twilio/media": {
            body: "Hi {{1}} look.",
            media: ["https://e.com/a.png", "https://e.com/b.png"],
          },
        }),
      'types["twilio/media"].media',
      /exactly 1/,
    ],
    [
      "an unknown content type",
      (t) => ((t.types as Record<string, unknown>)["twilio/carousel"] = {}),
      'types["twilio/carousel"]',
      /unknown content type/,
    ],
    ["no content type", (t) => (t.types = {}), "types", /at least one/],
    ["a bad language code", (t) => (t.language = "English"), "language", /en or pt_BR/],
  ])("refuses %s, naming %s", (_what, patch, property, reason) => {
    const failures = validateContentTemplate(with_(patch));
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  test("WhatsApp's review rules apply only to a template submitted for approval", () => {
    const sms = with_((t) => {
      delete t.approval;
      t.types = text("{{1}}, see you tomorrow.");
    });
    expect(validateContentTemplate(sms)).toEqual([]);
  });

  test("values unknown at preview are not judged", () => {
    expect(
      validateContentTemplate({ ...base, variables: { "1": UNKNOWN }, approval: UNKNOWN as never }),
    ).toEqual([]);
  });
});

describe("ContentTemplate diff", () => {
  test.each<[string, Patch, string[], string[]]>([
    ["nothing", () => undefined, [], []],
    ["the body", (t) => (t.types = text("Hi {{1}}, see you soon.")), ["types"], ["types"]],
    ["the language", (t) => (t.language = "es"), ["language"], ["language"]],
    ["a sample value", (t) => (t.variables = { "1": "Bo" }), ["variables"], ["variables"]],
    ["the friendly name", (t) => (t.friendlyName = "other"), ["friendlyName"], ["friendlyName"]],
    [
      "the approval name",
      (t) => (t.approval = { name: "v2", category: "UTILITY" }),
      ["approval"],
      ["approval"],
    ],
    ["dropping approval", (t) => delete t.approval, ["approval"], []],
  ])("a change to %s", (_what, patch, changed, replaces) => {
    expect(diffContentTemplate(base, with_(patch))).toEqual({ changed, replaces });
  });

  test("the engine is told to create the replacement before deleting the old template", async () => {
    expect(
      await provider.diff!(
        "HX",
        { ...base, sid: "HX", approvalStatus: "approved", rejectionReason: null },
        with_((t) => (t.language = "es")),
      ),
    ).toEqual({
      changes: true,
      replaces: ["language"],
      deleteBeforeReplace: false,
    });
  });
});

import {
  parseTemplateSids,
  templateSid,
  TemplateSidsError,
  UnknownTemplateError,
} from "../../lambda/templates";

const SID = `HX${"0123456789abcdef".repeat(2)}`;

describe("parseTemplateSids", () => {
  test("reads the JSON map the stack sets", () => {
    expect(
      parseTemplateSids({ TEMPLATE_SIDS: JSON.stringify({ appointment_reminder: SID }) }),
    ).toEqual({ appointment_reminder: SID });
  });

  test.each([undefined, "", "  "])("no templates when TEMPLATE_SIDS is %p", (value) => {
    expect(parseTemplateSids({ TEMPLATE_SIDS: value })).toEqual({});
  });

  test.each([
    ["not JSON", "{", /must be JSON/],
    ["a list", "[]", /JSON object/],
    [
      "a SID of another kind",
      JSON.stringify({ a: `MG${"0".repeat(32)}` }),
      /TEMPLATE_SIDS\.a must be a content SID/,
    ],
    ["a number", JSON.stringify({ a: 1 }), /TEMPLATE_SIDS\.a/],
  ])("refuses %s", (_what, value, message) => {
    expect(() => parseTemplateSids({ TEMPLATE_SIDS: value })).toThrow(TemplateSidsError);
    expect(() => parseTemplateSids({ TEMPLATE_SIDS: value })).toThrow(message);
  });
});

describe("templateSid", () => {
  const sids = parseTemplateSids({ TEMPLATE_SIDS: JSON.stringify({ appointment_reminder: SID }) });

  test("finds a declared template's SID", () => {
    expect(templateSid(sids, "appointment_reminder")).toBe(SID);
  });

  test("an undeclared name says which file to add and lists the declared ones", () => {
    expect(() => templateSid(sids, "welcome")).toThrow(UnknownTemplateError);
    expect(() => templateSid(sids, "welcome")).toThrow(
      /templates\/welcome\.yaml.*declared: appointment_reminder/,
    );
    // Not fooled by names every object has.
    expect(() => templateSid(sids, "toString")).toThrow(UnknownTemplateError);
  });
});

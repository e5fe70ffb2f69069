import * as pulumi from "@pulumi/pulumi";
import {
  checkE164,
  checkHttpsUrl,
  checkSid,
  checkWhatsAppNumber,
  containsUnknown,
  toSenderId,
  UNKNOWN,
} from "../../../infra/twilio/validation";

describe("input checks", () => {
  test("the unknown placeholder is Pulumi's", () => {
    expect(UNKNOWN).toBe(pulumi.runtime.unknownValue);
    expect(containsUnknown({ a: [1, { b: UNKNOWN }] })).toBe(true);
    expect(containsUnknown({ a: [1, { b: "x" }] })).toBe(false);
  });

  test.each([
    ["MG" + "0123456789abcdef".repeat(2), ["MG"], []],
    ["XE" + "a".repeat(32), ["XE", "PN"], []],
    ["PN" + "a".repeat(32), ["XE"], ["must be a XE... SID, got a PN... SID"]],
    ["MG" + "A".repeat(32), ["MG"], ["two capital letters and 32 lowercase hex digits"]],
    ["MG123", ["MG"], ["two capital letters"]],
    [UNKNOWN, ["MG"], []],
  ])("SID %s for %j", (value, prefixes, reasons) => {
    const failures = checkSid("sid", value, prefixes);
    expect(failures.length).toBe(reasons.length);
    reasons.forEach((r, i) => expect(failures[i].reason).toContain(r));
  });

  test.each([
    ["+14155550100", true],
    ["+447700900123", true],
    ["14155550100", false],
    ["+04155550100", false],
    ["+1415555010012345", false],
    ["+1 415 555 0100", false],
  ])("E.164 %s is valid: %s", (value, ok) => {
    expect(checkE164("n", value)).toHaveLength(ok ? 0 : 1);
  });

  test("WhatsApp numbers take the whatsapp: prefix or not, and become sender ids", () => {
    expect(checkWhatsAppNumber("n", "whatsapp:+14155550100")).toEqual([]);
    expect(checkWhatsAppNumber("n", "+14155550100")).toEqual([]);
    expect(checkWhatsAppNumber("n", "whatsapp:14155550100")).toHaveLength(1);
    expect(toSenderId("+14155550100")).toBe("whatsapp:+14155550100");
    expect(toSenderId("whatsapp:+14155550100")).toBe("whatsapp:+14155550100");
  });

  test.each([
    ["https://abc.execute-api.eu-west-1.amazonaws.com/whatsapp/incoming", 0],
    ["http://localhost:3000/whatsapp/incoming", 0],
    ["http://127.0.0.1:3000/x", 0],
    ["http://example.com/x", 1],
    ["ftp://example.com/x", 1],
    ["https://user:pass@example.com/x", 1],
    ["/whatsapp/incoming", 1],
    [UNKNOWN, 0],
  ])("webhook URL %s has %i failure(s)", (value, count) => {
    expect(checkHttpsUrl("url", value)).toHaveLength(count);
  });
});

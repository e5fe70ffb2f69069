import { estimate } from "../../../tools/cost/estimate";
import { formatJson, formatTable, quantity, unitPrice, usd } from "../../../tools/cost/format";
import { defaultPrices } from "../../../tools/cost/prices";

describe("format helpers", () => {
  test.each([
    [50, "50.00"],
    [0, "0.00"],
    [0.004, "<0.01"],
    [0.005, "0.01"],
    [1234.5, "1,234.50"],
  ])("usd(%p) = %p", (x, s) => expect(usd(x)).toBe(s));

  test.each([
    [10000, "10,000"],
    [0.027939677238464355, "0.0279"],
    [1000.4, "1,000"],
  ])("quantity(%p) = %p", (x, s) => expect(quantity(x)).toBe(s));

  test.each([
    [0.005, "0.005"],
    [1, "1.00"],
    [0.2, "0.20"],
    [0.0000133334, "0.0000133334"],
  ])("unitPrice(%p) = %p", (x, s) => expect(unitPrice(x)).toBe(s));
});

describe("formatTable", () => {
  const e = estimate(
    {
      conversations: 1000,
      messagesPerConversation: 10,
      templateShares: { marketing: 0, utility: 0, authentication: 0 },
      country: "MX",
      region: "us-east-1",
    },
    defaultPrices,
  );
  const table = formatTable(e);

  test("shows every line, the Twilio fee and the total", () => {
    for (const l of e.lines) expect(table).toContain(l.label);
    expect(table).toMatch(/WhatsApp messages, in and out\s+10,000 msg\s+0\.005 \/msg\s+50\.00/);
    expect(table).toMatch(new RegExp(`Total per month\\s+${usd(e.total).replace(".", "\\.")}`));
  });

  test("marks unverified prices and explains the mark", () => {
    expect(table).toMatch(/Marketing templates \*/);
    expect(table).toContain("* price not verified");
  });

  test("stays within 100 columns", () => {
    for (const l of table.split("\n")) expect(l.length).toBeLessThanOrEqual(100);
  });

  test("JSON carries the same estimate", () => {
    expect(JSON.parse(formatJson(e))).toEqual(JSON.parse(JSON.stringify(e)));
  });
});

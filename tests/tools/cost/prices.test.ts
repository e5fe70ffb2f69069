import {
  checkPrices,
  defaultPrices,
  listFigures,
  PriceDataError,
  type Prices,
} from "../../../tools/cost/prices";

describe("prices.json", () => {
  test.each(["CL", "US", "BR", "MX", "AR", "CO", "ES", "IN", "GB"])("prices country %s", (code) => {
    expect(defaultPrices.meta.countries[code]).toBeDefined();
  });

  test.each(["us-east-1", "eu-west-1", "sa-east-1"])("prices region %s", (region) => {
    expect(defaultPrices.aws.regions[region]).toBeDefined();
  });

  test("every figure has an https source, a date, and a note when it is not verified", () => {
    const figures = listFigures(defaultPrices);
    expect(figures.length).toBeGreaterThan(60);
    for (const { path, figure } of figures) {
      expect([path, figure.source]).toEqual([path, expect.stringMatching(/^https:\/\//)]);
      expect([path, figure.date]).toEqual([path, expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
      if (!figure.verified) {
        expect([path, figure.note]).toEqual([path, expect.stringMatching(/NOT verified/)]);
      }
    }
  });

  test("Twilio's WhatsApp fee is the flat 0.005 per message Twilio publishes", () => {
    expect(defaultPrices.twilio.perMessage.value).toBe(0.005);
    expect(defaultPrices.twilio.perMessage.verified).toBe(true);
  });

  const withTwilioFee = (over: object): Prices => ({
    ...defaultPrices,
    twilio: { perMessage: { ...defaultPrices.twilio.perMessage, ...over } },
  });
  test.each([
    ["a negative value", { value: -1 }, /twilio.perMessage.value/],
    ["a missing source", { source: "" }, /twilio.perMessage.source/],
    ["a bad date", { date: "last week" }, /twilio.perMessage.date/],
  ])("checkPrices rejects %s", (_, over, message) => {
    expect(() => checkPrices(withTwilioFee(over))).toThrow(PriceDataError);
    expect(() => checkPrices(withTwilioFee(over))).toThrow(message);
  });
});

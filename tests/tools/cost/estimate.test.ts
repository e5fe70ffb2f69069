import fc from "fast-check";
import {
  estimate,
  TEMPLATE_CATEGORIES,
  UnknownPriceKeyError,
  type CostInputs,
  type Estimate,
} from "../../../tools/cost/estimate";
import { defaultPrices as prices, type Prices } from "../../../tools/cost/prices";

const noTemplates = { marketing: 0, utility: 0, authentication: 0 };

function inputs(over: Partial<CostInputs> = {}): CostInputs {
  return {
    conversations: 1000,
    messagesPerConversation: 10,
    templateShares: noTemplates,
    country: "CL",
    region: "us-east-1",
    ...over,
  };
}

function usdOf(e: Estimate, id: string): number {
  const l = e.lines.find((x) => x.id === id);
  if (!l) throw new Error(`no line ${id}`);
  return l.usd;
}

/** The price book with Meta's pre-2026-10-01 rule (service replies free), for comparison. */
const serviceFree: Prices = {
  ...prices,
  meta: { ...prices.meta, service: { ...prices.meta.service, charged: false } },
};

describe("estimate: the README worked example", () => {
  test.each([
    ["current prices", prices],
    ["service replies free", serviceFree],
  ])("1,000 conversations x 10 messages to CL: exactly USD 50.00 of Twilio fees (%s)", (_, p) => {
    const e = estimate(inputs(), p);
    expect(e.volumes.messages).toBe(10_000);
    expect(usdOf(e, "twilio.messages")).toBe(50);
    expect(e.subtotals.twilio.toFixed(2)).toBe("50.00");
  });

  test("with no template shares every Meta template line is 0", () => {
    const e = estimate(inputs(), prices);
    for (const c of TEMPLATE_CATEGORIES) expect(usdOf(e, `meta.${c}`)).toBe(0);
  });

  test("when service replies are free, Meta fees are 0 and the bill is Twilio plus AWS", () => {
    const e = estimate(inputs(), serviceFree);
    expect(e.subtotals.meta).toBe(0);
    expect(e.total).toBeCloseTo(50 + e.subtotals.aws, 9);
  });

  test("since 2026-10-01 replies beyond the free allowance bill at the service rate", () => {
    const e = estimate(inputs(), prices);
    const replies = 10_000 * prices.aws.assumptions.replyShare.value;
    const free = prices.meta.service.freePerSenderPerMonth.value;
    expect(e.volumes.serviceBillable).toBe(replies - free);
    expect(usdOf(e, "meta.service")).toBeCloseTo(
      (replies - free) * prices.meta.countries.CL.service.value,
      9,
    );
  });
});

describe("estimate: Meta template fees by category", () => {
  const cases = Object.keys(prices.meta.countries).flatMap((country) =>
    TEMPLATE_CATEGORIES.map((category) => [country, category] as const),
  );
  test.each(cases)("%s %s templates cost share x messages x the rate", (country, category) => {
    const share = 12.5;
    const e = estimate(
      inputs({ country, templateShares: { ...noTemplates, [category]: share } }),
      prices,
    );
    const templates = (10_000 * share) / 100;
    expect(e.volumes.templates[category]).toBe(templates);
    expect(usdOf(e, `meta.${category}`)).toBeCloseTo(
      templates * prices.meta.countries[country][category].value,
      9,
    );
    for (const other of TEMPLATE_CATEGORIES.filter((c) => c !== category)) {
      expect(usdOf(e, `meta.${other}`)).toBe(0);
    }
  });

  test("templates are outbound: they add status callbacks but are not service replies", () => {
    const plain = estimate(inputs({ conversations: 100 }), prices);
    const withTemplates = estimate(
      inputs({ conversations: 100, templateShares: { ...noTemplates, utility: 20 } }),
      prices,
    );
    expect(withTemplates.volumes.outbound).toBeGreaterThan(withTemplates.volumes.replies);
    expect(withTemplates.volumes.replies).toBeLessThan(plain.volumes.replies);
    expect(withTemplates.volumes.messages).toBe(plain.volumes.messages);
  });
});

describe("estimate: AWS line items come from prices.json", () => {
  test.each(Object.keys(prices.aws.regions))("%s", (region) => {
    const e = estimate(inputs({ region, conversations: 2500, messagesPerConversation: 8 }), prices);
    const r = prices.aws.regions[region];
    const a = prices.aws.assumptions;
    const messages = 20_000;
    const replies = messages * a.replyShare.value;
    const inbound = messages - replies;
    const callbacks = replies * a.statusCallbacksPerOutbound.value;
    const requests = inbound + callbacks;
    const gbs = requests * (a.lambdaMemoryMb.value / 1024) * (a.lambdaDurationMs.value / 1000);
    const writes =
      inbound * a.dynamoWritesPerInbound.value + callbacks * a.dynamoWritesPerStatusCallback.value;
    const reads = inbound * a.dynamoReadsPerInbound.value;
    const logGb = (requests * a.logBytesPerInvocation.value) / 1024 ** 3;
    const calls = Math.ceil(requests * a.secretCallsPerInvocation.value);

    const expected: Array<[string, number]> = [
      ["aws.apigateway", (requests / 1e6) * r.httpApiRequests.value],
      ["aws.lambda.requests", (requests / 1e6) * r.lambdaRequests.value],
      ["aws.lambda.compute", gbs * r.lambdaArmGbSecond.value],
      ["aws.dynamodb.writes", (writes / 1e6) * r.dynamoWriteRequestUnits.value],
      ["aws.dynamodb.reads", (reads / 1e6) * r.dynamoReadRequestUnits.value],
      ["aws.logs", logGb * r.logsIngestion.value],
      ["aws.secrets.secret", a.secretCount.value * r.secret.value],
      ["aws.secrets.calls", (calls / 1e4) * r.secretsApiCalls.value],
    ];
    for (const [id, usd] of expected) {
      expect([id, usdOf(e, id)]).toEqual([id, expect.closeTo(usd, 9)]);
    }
    const sum = e.lines.filter((l) => l.vendor === "aws").reduce((s, l) => s + l.usd, 0);
    expect(e.subtotals.aws).toBeCloseTo(sum, 9);
  });

  test("every line carries the verified flag and source of the figure it was priced with", () => {
    const e = estimate(inputs({ country: "MX", region: "eu-west-1" }), prices);
    const http = e.lines.find((l) => l.id === "aws.apigateway");
    expect(http?.verified).toBe(prices.aws.regions["eu-west-1"].httpApiRequests.verified);
    expect(http?.source).toBe(prices.aws.regions["eu-west-1"].httpApiRequests.source);
    expect(e.lines.find((l) => l.id === "twilio.messages")?.verified).toBe(true);
  });
});

describe("estimate: inputs it cannot price", () => {
  test.each([
    [{ country: "ZZ" }, /country ZZ/],
    [{ region: "mars-1" }, /region mars-1/],
  ])("%p throws UnknownPriceKeyError", (over, message) => {
    expect(() => estimate(inputs(over), prices)).toThrow(UnknownPriceKeyError);
    expect(() => estimate(inputs(over), prices)).toThrow(message);
  });
});

describe("estimate: properties", () => {
  const pct = fc.integer({ min: 0, max: 100 });
  const shares = fc
    .tuple(pct, pct, pct)
    .filter(([m, u, a]) => m + u + a <= 100)
    .map(([marketing, utility, authentication]) => ({ marketing, utility, authentication }));
  const arbInputs = fc.record({
    conversations: fc.integer({ min: 0, max: 5_000_000 }),
    messagesPerConversation: fc.integer({ min: 0, max: 200 }),
    templateShares: shares,
    country: fc.constantFrom(...Object.keys(prices.meta.countries)),
    region: fc.constantFrom(...Object.keys(prices.aws.regions)),
  });

  test("every line, subtotal and total is non-negative and the total adds up", () => {
    fc.assert(
      fc.property(arbInputs, (i) => {
        const e = estimate(i, prices);
        for (const l of e.lines) expect(l.usd).toBeGreaterThanOrEqual(0);
        expect(e.total).toBeCloseTo(e.subtotals.twilio + e.subtotals.meta + e.subtotals.aws, 6);
      }),
      { numRuns: 200 },
    );
  });

  test("more conversations never cost less, line by line", () => {
    fc.assert(
      fc.property(arbInputs, fc.integer({ min: 1, max: 100_000 }), (i, extra) => {
        const a = estimate(i, prices);
        const b = estimate({ ...i, conversations: i.conversations + extra }, prices);
        expect(b.total).toBeGreaterThanOrEqual(a.total);
        a.lines.forEach((l, n) => expect(b.lines[n].usd).toBeGreaterThanOrEqual(l.usd));
      }),
      { numRuns: 200 },
    );
  });
});

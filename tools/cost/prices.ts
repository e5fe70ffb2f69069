import rawPrices from "./prices.json";

/** One price with its provenance, exactly as stored in prices.json. */
export interface PriceFigure {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
  readonly date: string;
  readonly verified: boolean;
  readonly via?: string;
  readonly note?: string;
}

/** Meta's per-message rates for one destination market. */
export interface CountryPrices {
  readonly name: string;
  readonly marketing: PriceFigure;
  readonly utility: PriceFigure;
  readonly authentication: PriceFigure;
  readonly service: PriceFigure;
}

/** AWS list prices for one region. */
export interface RegionPrices {
  readonly name: string;
  readonly httpApiRequests: PriceFigure;
  readonly lambdaRequests: PriceFigure;
  readonly lambdaArmGbSecond: PriceFigure;
  readonly dynamoWriteRequestUnits: PriceFigure;
  readonly dynamoReadRequestUnits: PriceFigure;
  readonly logsIngestion: PriceFigure;
  readonly secret: PriceFigure;
  readonly secretsApiCalls: PriceFigure;
}

/** A stated traffic assumption (not a price) with the reason behind it. */
export interface Assumption {
  readonly value: number;
  readonly note: string;
}

/** The workload assumptions the AWS line items are derived from. */
export interface AwsAssumptions {
  readonly replyShare: Assumption;
  readonly statusCallbacksPerOutbound: Assumption;
  readonly lambdaMemoryMb: Assumption;
  readonly lambdaDurationMs: Assumption;
  readonly dynamoWritesPerInbound: Assumption;
  readonly dynamoReadsPerInbound: Assumption;
  readonly dynamoWritesPerStatusCallback: Assumption;
  readonly logBytesPerInvocation: Assumption;
  readonly secretCount: Assumption;
  readonly secretCallsPerInvocation: Assumption;
}

/** The whole price book: Twilio, Meta by country, AWS by region. */
export interface Prices {
  readonly currency: "USD";
  readonly compiled: string;
  readonly twilio: { readonly perMessage: PriceFigure };
  readonly meta: {
    readonly service: {
      readonly charged: boolean;
      readonly chargedFrom: string;
      readonly source: string;
      readonly date: string;
      readonly note: string;
      readonly freePerSenderPerMonth: PriceFigure;
    };
    readonly countries: Readonly<Record<string, CountryPrices>>;
  };
  readonly aws: {
    readonly assumptions: AwsAssumptions;
    readonly regions: Readonly<Record<string, RegionPrices>>;
  };
}

/** Raised when prices.json lacks a value, a source or a date for a figure. */
export class PriceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PriceDataError";
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const URL_RE = /^https:\/\/\S+$/;

/** Every figure in the price book with its JSON path, for checks and listings. */
export function listFigures(prices: Prices): Array<{ path: string; figure: PriceFigure }> {
  const out: Array<{ path: string; figure: PriceFigure }> = [
    { path: "twilio.perMessage", figure: prices.twilio.perMessage },
    {
      path: "meta.service.freePerSenderPerMonth",
      figure: prices.meta.service.freePerSenderPerMonth,
    },
  ];
  for (const [code, country] of Object.entries(prices.meta.countries)) {
    for (const key of ["marketing", "utility", "authentication", "service"] as const) {
      out.push({ path: `meta.countries.${code}.${key}`, figure: country[key] });
    }
  }
  for (const [region, rp] of Object.entries(prices.aws.regions)) {
    for (const [key, figure] of Object.entries(rp) as [keyof RegionPrices, unknown][]) {
      if (key !== "name") {
        out.push({ path: `aws.regions.${region}.${key}`, figure: figure as PriceFigure });
      }
    }
  }
  return out;
}

/** Checks that every figure carries a non-negative value, an https source and a date. */
export function checkPrices(prices: Prices): Prices {
  for (const { path, figure } of listFigures(prices)) {
    if (typeof figure !== "object" || figure === null) {
      throw new PriceDataError(`${path} is missing in prices.json`);
    }
    if (!Number.isFinite(figure.value) || figure.value < 0) {
      throw new PriceDataError(`${path}.value must be a non-negative number`);
    }
    if (!URL_RE.test(figure.source)) {
      throw new PriceDataError(`${path}.source must be an https URL`);
    }
    if (!DATE.test(figure.date)) {
      throw new PriceDataError(`${path}.date must be YYYY-MM-DD`);
    }
    if (typeof figure.verified !== "boolean") {
      throw new PriceDataError(`${path}.verified must be true or false`);
    }
  }
  return prices;
}

/** The checked price book shipped in tools/cost/prices.json. */
export const defaultPrices: Prices = checkPrices(rawPrices as unknown as Prices);

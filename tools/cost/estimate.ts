import type { PriceFigure, Prices } from "./prices";

/** The template categories Meta bills outside the 24-hour customer service window. */
export const TEMPLATE_CATEGORIES = ["marketing", "utility", "authentication"] as const;

/** A Meta template category. */
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** What the user told us about a month of traffic. */
export interface CostInputs {
  /** Conversations per month. */
  readonly conversations: number;
  /** Messages per conversation, both directions. */
  readonly messagesPerConversation: number;
  /** Percent (0-100) of all messages that are templates of each category. */
  readonly templateShares: Readonly<Record<TemplateCategory, number>>;
  /** ISO 3166 alpha-2 code of the recipients' country. */
  readonly country: string;
  /** AWS region the stack runs in. */
  readonly region: string;
}

/** The message volumes every line item is derived from. */
export interface Volumes {
  readonly messages: number;
  readonly templates: Readonly<Record<TemplateCategory, number>>;
  readonly inbound: number;
  readonly replies: number;
  readonly outbound: number;
  readonly statusCallbacks: number;
  readonly httpRequests: number;
  readonly serviceBillable: number;
}

/** Which bill a line item lands on. */
export type Vendor = "twilio" | "meta" | "aws";

/** One priced line of the estimate. */
export interface LineItem {
  readonly id: string;
  readonly vendor: Vendor;
  readonly label: string;
  readonly quantity: number;
  readonly quantityUnit: string;
  readonly unitPrice: number;
  /** How many quantity units the unit price covers (e.g. 1e6 for "per 1M requests"). */
  readonly per: number;
  readonly perLabel: string;
  readonly usd: number;
  readonly verified: boolean;
  readonly source: string;
}

/** A month of running the bot, itemised. */
export interface Estimate {
  readonly inputs: CostInputs;
  readonly countryName: string;
  readonly regionName: string;
  readonly pricesCompiled: string;
  readonly volumes: Volumes;
  readonly lines: readonly LineItem[];
  readonly subtotals: Readonly<Record<Vendor, number>>;
  readonly total: number;
  readonly assumptions: Readonly<Record<string, { value: number; note: string }>>;
  readonly notes: readonly string[];
}

/** Raised when the inputs name a country or region the price book does not cover. */
export class UnknownPriceKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnknownPriceKeyError";
  }
}

/** Rounds away binary noise (0.1 + 0.2) without hiding sub-cent amounts. */
function money(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

interface LineSpec {
  readonly id: string;
  readonly vendor: Vendor;
  readonly label: string;
  readonly quantity: number;
  readonly quantityUnit: string;
  readonly figure: PriceFigure;
  readonly per: number;
  readonly perLabel: string;
}

function line(spec: LineSpec): LineItem {
  const { figure, ...rest } = spec;
  return {
    ...rest,
    unitPrice: figure.value,
    usd: money((spec.quantity / spec.per) * figure.value),
    verified: figure.verified,
    source: figure.source,
  };
}

/** Derives monthly message, request and callback counts from the inputs and assumptions. */
export function volumes(inputs: CostInputs, prices: Prices): Volumes {
  const a = prices.aws.assumptions;
  const messages = inputs.conversations * inputs.messagesPerConversation;
  const templates = {
    marketing: (messages * inputs.templateShares.marketing) / 100,
    utility: (messages * inputs.templateShares.utility) / 100,
    authentication: (messages * inputs.templateShares.authentication) / 100,
  };
  const templateTotal = templates.marketing + templates.utility + templates.authentication;
  const conversational = messages - templateTotal;
  const replies = conversational * a.replyShare.value;
  const inbound = conversational - replies;
  const outbound = replies + templateTotal;
  const statusCallbacks = outbound * a.statusCallbacksPerOutbound.value;
  const service = prices.meta.service;
  const serviceBillable = service.charged
    ? Math.max(0, replies - service.freePerSenderPerMonth.value)
    : 0;
  return {
    messages,
    templates,
    inbound,
    replies,
    outbound,
    statusCallbacks,
    httpRequests: inbound + statusCallbacks,
    serviceBillable,
  };
}

/** Prices a month of traffic; pure: same inputs and prices, same estimate. */
export function estimate(inputs: CostInputs, prices: Prices): Estimate {
  // Own keys only, so "constructor" is an unknown country rather than Object's constructor.
  const country = Object.hasOwn(prices.meta.countries, inputs.country)
    ? prices.meta.countries[inputs.country]
    : undefined;
  if (!country) {
    throw new UnknownPriceKeyError(`no Meta rates for country ${inputs.country}`);
  }
  const region = Object.hasOwn(prices.aws.regions, inputs.region)
    ? prices.aws.regions[inputs.region]
    : undefined;
  if (!region) throw new UnknownPriceKeyError(`no AWS prices for region ${inputs.region}`);
  const a = prices.aws.assumptions;
  const v = volumes(inputs, prices);
  const service = prices.meta.service;

  const gbSeconds =
    v.httpRequests * (a.lambdaMemoryMb.value / 1024) * (a.lambdaDurationMs.value / 1000);
  const writes =
    v.inbound * a.dynamoWritesPerInbound.value +
    v.statusCallbacks * a.dynamoWritesPerStatusCallback.value;
  const reads = v.inbound * a.dynamoReadsPerInbound.value;
  const logGb = (v.httpRequests * a.logBytesPerInvocation.value) / 1024 ** 3;
  const secretCalls = Math.ceil(v.httpRequests * a.secretCallsPerInvocation.value);
  const arch = `arm64, ${a.lambdaMemoryMb.value} MB, ${a.lambdaDurationMs.value} ms`;
  const free = service.freePerSenderPerMonth.value.toLocaleString("en-US");
  const msg = { quantityUnit: "msg", per: 1, perLabel: "msg" };
  const req = { quantityUnit: "req", per: 1e6, perLabel: "1M req" };

  const lines: LineItem[] = [
    line({
      ...msg,
      id: "twilio.messages",
      vendor: "twilio",
      label: "WhatsApp messages, in and out",
      quantity: v.messages,
      figure: prices.twilio.perMessage,
    }),
    ...TEMPLATE_CATEGORIES.map((c) =>
      line({
        ...msg,
        id: `meta.${c}`,
        vendor: "meta",
        label: `${c[0].toUpperCase()}${c.slice(1)} templates`,
        quantity: v.templates[c],
        figure: country[c],
      }),
    ),
    line({
      ...msg,
      id: "meta.service",
      vendor: "meta",
      label: service.charged ? `Service replies (${free} free)` : "Service replies (free)",
      quantity: v.serviceBillable,
      figure: service.charged ? country.service : { ...country.service, value: 0 },
    }),
    line({
      ...req,
      id: "aws.apigateway",
      vendor: "aws",
      label: "API Gateway HTTP API requests",
      quantity: v.httpRequests,
      figure: region.httpApiRequests,
    }),
    line({
      ...req,
      id: "aws.lambda.requests",
      vendor: "aws",
      label: "Lambda requests",
      quantity: v.httpRequests,
      figure: region.lambdaRequests,
    }),
    line({
      id: "aws.lambda.compute",
      vendor: "aws",
      label: `Lambda compute (${arch})`,
      quantity: gbSeconds,
      quantityUnit: "GB-s",
      figure: region.lambdaArmGbSecond,
      per: 1,
      perLabel: "GB-s",
    }),
    line({
      id: "aws.dynamodb.writes",
      vendor: "aws",
      label: "DynamoDB on-demand writes",
      quantity: writes,
      quantityUnit: "WRU",
      figure: region.dynamoWriteRequestUnits,
      per: 1e6,
      perLabel: "1M WRU",
    }),
    line({
      id: "aws.dynamodb.reads",
      vendor: "aws",
      label: "DynamoDB on-demand reads",
      quantity: reads,
      quantityUnit: "RRU",
      figure: region.dynamoReadRequestUnits,
      per: 1e6,
      perLabel: "1M RRU",
    }),
    line({
      id: "aws.logs",
      vendor: "aws",
      label: "CloudWatch Logs ingestion",
      quantity: logGb,
      quantityUnit: "GB",
      figure: region.logsIngestion,
      per: 1,
      perLabel: "GB",
    }),
    line({
      id: "aws.secrets.secret",
      vendor: "aws",
      label: "Secrets Manager secret",
      quantity: a.secretCount.value,
      quantityUnit: "secret",
      figure: region.secret,
      per: 1,
      perLabel: "month",
    }),
    line({
      id: "aws.secrets.calls",
      vendor: "aws",
      label: "Secrets Manager API calls",
      quantity: secretCalls,
      quantityUnit: "calls",
      figure: region.secretsApiCalls,
      per: 1e4,
      perLabel: "10k calls",
    }),
  ];

  const subtotals = { twilio: 0, meta: 0, aws: 0 };
  for (const l of lines) subtotals[l.vendor] = money(subtotals[l.vendor] + l.usd);
  const notes = [
    "List prices; free tiers (Lambda, API Gateway, CloudWatch, AWS credits) are not subtracted.",
    service.charged
      ? `Meta bills service messages (the bot's free-form replies) at the utility rate since ` +
        `${service.chargedFrom}; the first ${free} a month per sender are free ` +
        "(one sender assumed)."
      : "Service messages (the bot's free-form replies) are modelled as free.",
    "Template shares are messages sent outside the 24-hour window, billed per delivered template.",
  ];
  return {
    inputs,
    countryName: country.name,
    regionName: region.name,
    pricesCompiled: prices.compiled,
    volumes: v,
    lines,
    subtotals,
    total: money(subtotals.twilio + subtotals.meta + subtotals.aws),
    assumptions: a as unknown as Record<string, { value: number; note: string }>,
    notes,
  };
}

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

function line(
  id: string,
  vendor: Vendor,
  label: string,
  quantity: number,
  quantityUnit: string,
  figure: PriceFigure,
  per: number,
  perLabel: string,
): LineItem {
  return {
    id,
    vendor,
    label,
    quantity,
    quantityUnit,
    unitPrice: figure.value,
    per,
    perLabel,
    usd: money((quantity / per) * figure.value),
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
  const country = prices.meta.countries[inputs.country];
  if (!country) throw new UnknownPriceKeyError(`no Meta rates for country ${inputs.country}`);
  const region = prices.aws.regions[inputs.region];
  if (!region) throw new UnknownPriceKeyError(`no AWS prices for region ${inputs.region}`);
  const a = prices.aws.assumptions;
  const v = volumes(inputs, prices);
  const service = prices.meta.service;

  const gbSeconds = v.httpRequests * (a.lambdaMemoryMb.value / 1024) * (a.lambdaDurationMs.value / 1000);
  const writes =
    v.inbound * a.dynamoWritesPerInbound.value +
    v.statusCallbacks * a.dynamoWritesPerStatusCallback.value;
  const reads = v.inbound * a.dynamoReadsPerInbound.value;
  const logGb = (v.httpRequests * a.logBytesPerInvocation.value) / 1024 ** 3;
  const secretCalls = Math.ceil(v.httpRequests * a.secretCallsPerInvocation.value);
  const arch = `arm64, ${a.lambdaMemoryMb.value} MB, ${a.lambdaDurationMs.value} ms`;

  const lines: LineItem[] = [
    line("twilio.messages", "twilio", "WhatsApp messages, in and out", v.messages, "msg",
      prices.twilio.perMessage, 1, "msg"),
    ...TEMPLATE_CATEGORIES.map((c) =>
      line(`meta.${c}`, "meta", `${c[0].toUpperCase()}${c.slice(1)} templates`, v.templates[c], "msg",
        country[c], 1, "msg"),
    ),
    line("meta.service", "meta",
      service.charged
        ? `Service replies (${service.freePerSenderPerMonth.value.toLocaleString("en-US")} free)`
        : "Service replies (free)",
      v.serviceBillable, "msg", service.charged ? country.service : { ...country.service, value: 0 },
      1, "msg"),
    line("aws.apigateway", "aws", "API Gateway HTTP API requests", v.httpRequests, "req",
      region.httpApiRequests, 1e6, "1M req"),
    line("aws.lambda.requests", "aws", "Lambda requests", v.httpRequests, "req",
      region.lambdaRequests, 1e6, "1M req"),
    line("aws.lambda.compute", "aws", `Lambda compute (${arch})`, gbSeconds, "GB-s",
      region.lambdaArmGbSecond, 1, "GB-s"),
    line("aws.dynamodb.writes", "aws", "DynamoDB on-demand writes", writes, "WRU",
      region.dynamoWriteRequestUnits, 1e6, "1M WRU"),
    line("aws.dynamodb.reads", "aws", "DynamoDB on-demand reads", reads, "RRU",
      region.dynamoReadRequestUnits, 1e6, "1M RRU"),
    line("aws.logs", "aws", "CloudWatch Logs ingestion", logGb, "GB", region.logsIngestion, 1, "GB"),
    line("aws.secrets.secret", "aws", "Secrets Manager secret", a.secretCount.value, "secret",
      region.secret, 1, "month"),
    line("aws.secrets.calls", "aws", "Secrets Manager API calls", secretCalls, "calls",
      region.secretsApiCalls, 1e4, "10k calls"),
  ];

  const subtotals = { twilio: 0, meta: 0, aws: 0 };
  for (const l of lines) subtotals[l.vendor] = money(subtotals[l.vendor] + l.usd);
  const notes = [
    "List prices; free tiers (Lambda, API Gateway, CloudWatch, AWS credits) are not subtracted.",
    service.charged
      ? `Meta bills service messages (the bot's free-form replies) at the utility rate since ${service.chargedFrom}; the first ${service.freePerSenderPerMonth.value.toLocaleString("en-US")} a month per sender are free (one sender assumed).`
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

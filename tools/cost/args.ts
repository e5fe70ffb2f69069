import { parseArgs } from "node:util";
import { TEMPLATE_CATEGORIES, type CostInputs } from "./estimate";
import { defaultPrices, type Prices } from "./prices";

/** Raised for a bad command line; the message names the flag and the fix. */
export class CostArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CostArgsError";
  }
}

/** A validated command line: either a request for help or the inputs of an estimate. */
export type CostArgs =
  | { readonly kind: "help" }
  | { readonly kind: "estimate"; readonly inputs: CostInputs; readonly json: boolean };

/** The region used when --region is not given. */
export const DEFAULT_REGION = "us-east-1";

/** Usage text printed by --help and after argument errors. */
export const USAGE = `Usage: npm run cost -- --conversations N --messages N --country CC [options]

  --conversations N    conversations per month (integer >= 0)
  --messages N         messages per conversation, both directions (integer >= 0)
  --country CC         recipients' country, ISO 3166 alpha-2 (e.g. CL)
  --region R           AWS region (default ${DEFAULT_REGION})
  --marketing P        % of messages that are marketing templates (0-100, default 0)
  --utility P          % of messages that are utility templates (0-100, default 0)
  --authentication P   % of messages that are authentication templates (0-100, default 0)
  --json               print the estimate as JSON
  --help               print this text`;

const VALUE_FLAGS = [
  "conversations",
  "messages",
  "country",
  "region",
  "marketing",
  "utility",
  "authentication",
] as const;

/**
 * parseArgs refuses `--flag -5` as ambiguous; joining it to `--flag=-5` lets the range
 * check below report the real problem (a negative count) instead.
 */
function joinNegativeValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : "";
    const takesValue = (VALUE_FLAGS as readonly string[]).includes(name);
    if (takesValue && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

// Decimal digits only: Number() also reads 0x10, 0o10, 0b10 and 1e3, which nobody means as a count.
const DECIMAL_COUNT = /^[0-9]+$/;
const DECIMAL_PERCENT = /^[0-9]+(\.[0-9]+)?$/;

function count(flag: string, raw: string | undefined): number {
  if (raw === undefined) {
    throw new CostArgsError(
      `--${flag} is required: pass --${flag} <integer >= 0>, e.g. --${flag} 1000`,
    );
  }
  const n = Number(raw);
  if (!DECIMAL_COUNT.test(raw.trim()) || !Number.isInteger(n) || n < 0) {
    throw new CostArgsError(
      `--${flag} must be a whole number >= 0 (got "${raw}"), e.g. --${flag} 1000`,
    );
  }
  if (!Number.isSafeInteger(n)) {
    throw new CostArgsError(`--${flag} is too large (got "${raw}"); use a count below 2^53`);
  }
  return n;
}

function percent(flag: string, raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!DECIMAL_PERCENT.test(raw.trim()) || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new CostArgsError(
      `--${flag} must be a percentage between 0 and 100 (got "${raw}"), e.g. --${flag} 10`,
    );
  }
  return n;
}

function friendlyParseError(err: unknown): CostArgsError {
  const e = err as { code?: string; message?: string };
  const known = `Known flags: ${VALUE_FLAGS.map((f) => `--${f}`).join(", ")}, --json, --help.`;
  if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(e.message ?? "")?.[1] ?? "that flag";
    return new CostArgsError(`unknown flag ${flag}. ${known}`);
  }
  if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /'(--[a-z]+)/.exec(e.message ?? "")?.[1] ?? "a flag";
    return new CostArgsError(`${flag} needs a value, e.g. ${flag} 10 (or ${flag}=10)`);
  }
  if (e.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const arg = /'([^']*)'/.exec(e.message ?? "")?.[1] ?? "";
    return new CostArgsError(
      `unexpected argument "${arg}": every value needs its flag, e.g. --country CL. ${known}`,
    );
  }
  return new CostArgsError(e.message ?? String(err));
}

/** Parses and validates `npm run cost` arguments against the countries and regions priced. */
export function parseCostArgs(argv: readonly string[], prices: Prices = defaultPrices): CostArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: joinNegativeValues(argv),
      options: {
        ...Object.fromEntries(VALUE_FLAGS.map((f) => [f, { type: "string" as const }])),
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw friendlyParseError(err);
  }
  const str = (k: string): string | undefined => values[k] as string | undefined;
  if (values.help === true) return { kind: "help" };

  const conversations = count("conversations", str("conversations"));
  const messagesPerConversation = count("messages", str("messages"));
  // Every line item scales with the number of messages; past 2^53 the estimate would be rounded.
  if (!Number.isSafeInteger(conversations * messagesPerConversation)) {
    throw new CostArgsError(
      `--conversations × --messages is ${conversations} × ${messagesPerConversation}, more than ` +
        `${Number.MAX_SAFE_INTEGER} messages a month; lower one of them`,
    );
  }

  const countryRaw = str("country");
  const knownCountries = Object.keys(prices.meta.countries).sort().join(", ");
  if (countryRaw === undefined) {
    throw new CostArgsError(
      `--country is required: pass an ISO 3166 alpha-2 code, one of ${knownCountries}`,
    );
  }
  const country = countryRaw.trim().toUpperCase();
  // Own keys only: "constructor" or "__proto__" would otherwise find Object.prototype's members.
  if (!Object.hasOwn(prices.meta.countries, country)) {
    throw new CostArgsError(
      `--country ${countryRaw} is not in tools/cost/prices.json; ` +
        `use one of ${knownCountries} (or add its Meta rates there)`,
    );
  }

  const region = (str("region") ?? DEFAULT_REGION).trim();
  if (!Object.hasOwn(prices.aws.regions, region)) {
    const known = Object.keys(prices.aws.regions).sort().join(", ");
    throw new CostArgsError(
      `--region ${region} is not in tools/cost/prices.json; ` +
        `use one of ${known} (or add its AWS prices there)`,
    );
  }

  const templateShares = {
    marketing: percent("marketing", str("marketing")),
    utility: percent("utility", str("utility")),
    authentication: percent("authentication", str("authentication")),
  };
  const sum = TEMPLATE_CATEGORIES.reduce((s, c) => s + templateShares[c], 0);
  if (sum > 100 + 1e-9) {
    throw new CostArgsError(
      `--marketing + --utility + --authentication add up to ${sum}%; ` +
        "they are shares of the same messages, so lower them to 100 or less",
    );
  }

  return {
    kind: "estimate",
    json: values.json === true,
    inputs: { conversations, messagesPerConversation, templateShares, country, region },
  };
}

import { BadRequestError } from "../errors";
import type { FormParams } from "../request";

/**
 * The fields Twilio posts to a UsageTrigger's callback URL when the trigger fires (REST API:
 * UsageTrigger, "UsageTrigger callbacks"): the trigger, what it watches, the threshold and the
 * value that crossed it, and a token that is the same on every delivery of one firing.
 */
export interface UsageTriggerCallback {
  /** `AccountSid`: the account whose usage fired the trigger. */
  accountSid: string;
  /** `UsageTriggerSid`: the trigger (UT…). */
  usageTriggerSid: string;
  /** `UsageCategory`: what the trigger watches, e.g. `totalprice`. */
  usageCategory: string;
  /** `TriggerBy`: the watched field, `count`, `usage` or `price`, when sent. */
  triggerBy?: string;
  /** `TriggerValue`: the threshold, as Twilio sent it (a decimal number). */
  triggerValue: string;
  /** `CurrentValue`: the watched value when the trigger fired (a decimal number). */
  currentValue: string;
  /** `Recurring`: `daily`, `monthly`, `yearly` or `alltime`, when sent. */
  recurring?: string;
  /** `DateFired`: when the trigger fired, as Twilio formats it (RFC 2822). */
  dateFired?: string;
  /** `UsageRecordUri`: the usage record behind the value, relative to api.twilio.com. */
  usageRecordUri?: string;
  /** `IdempotencyToken`: names this firing, logged; dedup uses the whole signed content instead. */
  idempotencyToken?: string;
}

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const USAGE_TRIGGER_SID = /^UT[0-9a-fA-F]{32}$/;
// Twilio writes prices and counts as plain decimals; a sign only appears on credits.
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
const MAX_FIELD_LENGTH = 512;

function single(params: FormParams, name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw new BadRequestError(`field ${name} is repeated`);
  if (value !== undefined && value.length > MAX_FIELD_LENGTH) {
    throw new BadRequestError(`field ${name} is longer than ${MAX_FIELD_LENGTH} characters`);
  }
  const trimmed = value?.trim();
  return trimmed === "" ? undefined : trimmed;
}

function required(params: FormParams, name: string, pattern?: RegExp, what?: string): string {
  const value = single(params, name);
  if (value === undefined) throw new BadRequestError(`field ${name} is missing`);
  if (pattern !== undefined && !pattern.test(value)) {
    throw new BadRequestError(`field ${name} is not ${what}`);
  }
  return value;
}

/** Parses a usage-trigger callback; a missing, repeated or malformed field is a 400. */
export function parseUsageCallback(params: FormParams): UsageTriggerCallback {
  return {
    accountSid: required(params, "AccountSid", ACCOUNT_SID, "an account SID"),
    usageTriggerSid: required(params, "UsageTriggerSid", USAGE_TRIGGER_SID, "a usage trigger SID"),
    usageCategory: required(params, "UsageCategory"),
    triggerBy: single(params, "TriggerBy"),
    triggerValue: required(params, "TriggerValue", DECIMAL, "a decimal number"),
    currentValue: required(params, "CurrentValue", DECIMAL, "a decimal number"),
    recurring: single(params, "Recurring"),
    dateFired: single(params, "DateFired"),
    usageRecordUri: single(params, "UsageRecordUri"),
    idempotencyToken: single(params, "IdempotencyToken"),
  };
}

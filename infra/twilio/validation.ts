/**
 * Pure input checks shared by the Twilio dynamic providers. Each returns the failures it found as
 * `{ property, reason }` (the shape `check` hands back to Pulumi), never throws and never calls
 * Twilio, so `pulumi preview` can refuse bad input before anything is sent.
 */

import { E164_PATTERN } from "./senderRules";

/** A failed check: the input property (dotted path) and a reason that says how to fix it. */
export interface ValidationFailure {
  property: string;
  reason: string;
}

/**
 * The placeholder the Pulumi engine puts in a dynamic provider's inputs for a value not known
 * during preview (`@pulumi/pulumi/runtime/rpc.ts` `unknownValue`). Kept as a literal so the
 * serialized provider does not capture the Pulumi runtime.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is unknown at preview time, anywhere inside it. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") {
    return Object.values(value as Record<string, unknown>).some(containsUnknown);
  }
  return false;
}

/** Twilio SID shape: a two-letter type prefix and 32 lowercase hex digits. */
export const SID_PATTERN = /^[A-Z]{2}[0-9a-f]{32}$/;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a Twilio SID: required or not, and which prefixes are accepted (MG, XE, PN, UT...). */
export function checkSid(
  property: string,
  value: unknown,
  prefixes: readonly string[],
  required = true,
): ValidationFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null || value === "") {
    return required
      ? [{ property, reason: `${property} is required (a ${prefixes.join(" or ")}... SID)` }]
      : [];
  }
  const expected = prefixes.map((p) => `${p}...`).join(" or ");
  if (typeof value !== "string" || !SID_PATTERN.test(value)) {
    return [
      {
        property,
        reason: `${property} must be a Twilio SID (${expected}: two capital letters and 32 lowercase hex digits), got ${JSON.stringify(value)}`,
      },
    ];
  }
  if (!prefixes.includes(value.slice(0, 2))) {
    return [
      {
        property,
        reason: `${property} must be a ${expected} SID, got a ${value.slice(0, 2)}... SID`,
      },
    ];
  }
  return [];
}

/** Checks a required or optional string against the lengths the API enforces. */
export function checkString(
  property: string,
  value: unknown,
  opts: { required?: boolean; min?: number; max?: number } = {},
): ValidationFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null) {
    return opts.required ? [{ property, reason: `${property} is required` }] : [];
  }
  if (typeof value !== "string") return [{ property, reason: `${property} must be a string` }];
  const min = opts.min ?? (opts.required ? 1 : 0);
  if (value.length < min) {
    return [{ property, reason: `${property} must be at least ${min} character(s) long` }];
  }
  if (opts.max !== undefined && value.length > opts.max) {
    return [
      {
        property,
        reason: `${property} is ${value.length} characters long; Twilio accepts at most ${opts.max}`,
      },
    ];
  }
  return [];
}

/** Checks an optional (or required) value against an enumeration. */
export function checkEnum(
  property: string,
  value: unknown,
  allowed: readonly string[],
  required = false,
): ValidationFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null) {
    return required
      ? [{ property, reason: `${property} is required: one of ${allowed.join(", ")}` }]
      : [];
  }
  if (typeof value !== "string" || !allowed.includes(value)) {
    return [
      {
        property,
        reason: `${property} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`,
      },
    ];
  }
  return [];
}

/** Checks an optional boolean. */
export function checkBoolean(property: string, value: unknown): ValidationFailure[] {
  if (value === UNKNOWN || value === undefined || value === null || typeof value === "boolean")
    return [];
  return [{ property, reason: `${property} must be true or false` }];
}

/** Checks an optional integer within an inclusive range. */
export function checkInteger(
  property: string,
  value: unknown,
  min: number,
  max: number,
): ValidationFailure[] {
  if (value === UNKNOWN || value === undefined || value === null) return [];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    return [
      {
        property,
        reason: `${property} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
      },
    ];
  }
  return [];
}

/** Whether a host is the local machine, the only place plain http is allowed. */
function isLocalHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

/**
 * Checks a URL Twilio will call or fetch: absolute, https (http only for localhost, for local
 * testing), no embedded credentials.
 */
export function checkHttpsUrl(
  property: string,
  value: unknown,
  required = false,
): ValidationFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null || value === "") {
    return required ? [{ property, reason: `${property} is required (an https:// URL)` }] : [];
  }
  if (typeof value !== "string") return [{ property, reason: `${property} must be a URL string` }];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [
      {
        property,
        reason: `${property} must be an absolute URL such as https://example.com/path, got ${JSON.stringify(value)}`,
      },
    ];
  }
  if (url.username || url.password) {
    return [
      {
        property,
        reason: `${property} must not embed credentials (user:password@); Twilio signs its requests instead`,
      },
    ];
  }
  if (url.protocol === "https:") return [];
  if (url.protocol === "http:" && isLocalHost(url.hostname)) return [];
  return [
    {
      property,
      reason: `${property} must use https:// (plain http is allowed only for localhost), got ${JSON.stringify(value)}`,
    },
  ];
}

/** Checks an E.164 phone number such as +14155550100. */
export function checkE164(property: string, value: unknown, required = true): ValidationFailure[] {
  if (value === UNKNOWN) return [];
  if (value === undefined || value === null || value === "") {
    return required
      ? [{ property, reason: `${property} is required (an E.164 number such as +14155550100)` }]
      : [];
  }
  if (typeof value !== "string" || !E164_PATTERN.test(value)) {
    return [
      {
        property,
        reason: `${property} must be an E.164 number: "+", country code and number, digits only (e.g. +14155550100), got ${JSON.stringify(value)}`,
      },
    ];
  }
  return [];
}

/** Checks a WhatsApp number given as `whatsapp:+E164` or `+E164`. */
export function checkWhatsAppNumber(
  property: string,
  value: unknown,
  required = true,
): ValidationFailure[] {
  if (typeof value === "string" && value.startsWith("whatsapp:")) {
    return checkE164(property, value.slice("whatsapp:".length), required);
  }
  return checkE164(property, value, required);
}

/** The v2 Senders API's sender id for a number given as `whatsapp:+E164` or `+E164`. */
export function toSenderId(number: string): string {
  return number.startsWith("whatsapp:") ? number : `whatsapp:${number}`;
}

/** Checks an e-mail address (the shape, not deliverability). */
export function checkEmail(property: string, value: unknown): ValidationFailure[] {
  if (value === UNKNOWN) return [];
  if (typeof value !== "string" || !EMAIL_PATTERN.test(value)) {
    return [
      { property, reason: `${property} must be an e-mail address such as support@example.com` },
    ];
  }
  return [];
}

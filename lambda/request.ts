import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { createHash } from "crypto";
// Deep import: the package root pulls in the whole REST client; esbuild then bundles only this file.
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import {
  BadRequestError,
  ForbiddenError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "./errors";

/** Largest decoded body accepted; Twilio's webhook forms are a few KB (Body is at most 1600 chars). */
export const MAX_BODY_BYTES = 32 * 1024;

/** Decoded form fields; a name sent more than once keeps every value, in order. */
export type FormParams = Record<string, string | string[]>;

/** Looks a header up case-insensitively (API Gateway lower-cases them; other callers may not). */
export function headerValue(
  headers: Record<string, string | undefined> | undefined | null,
  name: string,
): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && typeof value === "string") return value;
  }
  return undefined;
}

/** Refuses any content type but application/x-www-form-urlencoded, the only one Twilio posts. */
export function assertFormContentType(contentType: string | undefined): void {
  const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    throw new UnsupportedMediaTypeError("content type must be application/x-www-form-urlencoded");
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Returns the body as text, undoing API Gateway's base64 encoding; refuses oversized or non-UTF-8 bodies. */
export function decodeBody(
  body: string | undefined | null,
  isBase64Encoded: boolean | undefined,
  maxBytes: number = MAX_BODY_BYTES,
): string {
  if (body === undefined || body === null) return "";
  if (typeof body !== "string") throw new BadRequestError("body is not a string");
  let bytes: Buffer;
  if (isBase64Encoded === true) {
    // Cheap length check before allocating: 4 base64 characters carry 3 bytes.
    if (body.length > Math.ceil(maxBytes / 3) * 4 + 4) {
      throw new PayloadTooLargeError(`body larger than ${maxBytes} bytes`);
    }
    const compact = body.replace(/\s+/g, "");
    if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
      throw new BadRequestError("body is not valid base64");
    }
    bytes = Buffer.from(compact, "base64");
  } else {
    if (body.length > maxBytes)
      throw new PayloadTooLargeError(`body larger than ${maxBytes} bytes`);
    bytes = Buffer.from(body, "utf8");
  }
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(`body larger than ${maxBytes} bytes`);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BadRequestError("body is not valid UTF-8");
  }
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    throw new BadRequestError("form body has a malformed percent-encoding");
  }
}

/**
 * Parses an application/x-www-form-urlencoded body strictly: `+` is a space, `%XX` must decode to
 * UTF-8, and a malformed escape is a 400 rather than a silently different value (which would then
 * fail the signature check for a reason nobody could see).
 */
export function parseForm(body: string): FormParams {
  // A null prototype keeps names such as `__proto__` or `constructor` plain data.
  const params: FormParams = Object.create(null) as FormParams;
  if (body === "") return params;
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : decodeComponent(pair.slice(eq + 1));
    if (name === "") throw new BadRequestError("form body has a field without a name");
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else params[name] = [existing, value];
  }
  return params;
}

/**
 * The URL Twilio signed: the configured public base, the raw path and the raw query string exactly
 * as received (re-encoding either would change the signed bytes).
 */
export function publicUrl(baseUrl: string, rawPath: string, rawQueryString?: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  const query = rawQueryString ? `?${rawQueryString}` : "";
  return `${base}${rawPath}${query}`;
}

/** Checks X-Twilio-Signature with the twilio SDK; any failure inside the SDK counts as a mismatch. */
export function isValidSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: FormParams,
): boolean {
  if (!signature) return false;
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}

/**
 * The exact text X-Twilio-Signature covers: the URL, then every field name followed by its value,
 * names sorted, a repeated field's distinct values sorted (twilio's `getExpectedTwilioSignature`).
 * Field boundaries are not part of it, so two requests with the same signature can split this text
 * into different fields; only the text as a whole identifies what Twilio sent.
 */
export function signedContent(url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return data;
}

/** SHA-256 (hex) of {@link signedContent}: a fixed-size name for one signed request's content. */
export function signedContentDigest(url: string, params: FormParams): string {
  return createHash("sha256").update(signedContent(url, params), "utf8").digest("hex");
}

/** A request that passed every check: its form fields and the URL they were signed with. */
export interface VerifiedRequest {
  /** Decoded form fields. */
  params: FormParams;
  /** The public URL the signature covered. */
  url: string;
}

/**
 * Runs the checks every Twilio webhook must pass, in an order that does no work for strangers:
 * content type, signature present, size, body decodes, signature matches. A request without a
 * signature is a 403 whatever its body holds.
 */
export async function verifyTwilioRequest(
  event: APIGatewayProxyEventV2,
  baseUrl: string,
  authToken: () => Promise<string>,
  maxBytes: number = MAX_BODY_BYTES,
): Promise<VerifiedRequest> {
  const headers = event.headers as Record<string, string | undefined> | undefined;
  assertFormContentType(headerValue(headers, "content-type"));
  const signature = headerValue(headers, "x-twilio-signature");
  if (!signature) throw new ForbiddenError("missing X-Twilio-Signature");
  const params = parseForm(decodeBody(event.body, event.isBase64Encoded, maxBytes));
  const rawPath = typeof event.rawPath === "string" ? event.rawPath : "";
  const rawQuery = typeof event.rawQueryString === "string" ? event.rawQueryString : "";
  const url = publicUrl(baseUrl, rawPath, rawQuery);
  if (!isValidSignature(await authToken(), signature, url, params)) {
    throw new ForbiddenError("X-Twilio-Signature does not match");
  }
  return { params, url };
}

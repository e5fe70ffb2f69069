import type { OutboundCredentials } from "./credentials";
import {
  OptedOutError,
  type OutboundError,
  TwilioSendError,
  WindowClosedError,
  type RefusedBy,
} from "./errors";
import type { SentMessage } from "./outbound";

/**
 * One call to Twilio's Messages resource (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`)
 * with Node's own `fetch`, not the `twilio` SDK's `client.messages.create`: the SDK's REST client
 * (axios and every API module) is what keeps the whole package out of the Lambda bundle, whose
 * target is 100 KB. Measured with the bundle's own esbuild options (docs/outbound.md): the webhook
 * handler alone 94,362 bytes; with this send path 102,157 (+7.8 KB, all of it lambda/outbound/);
 * with `client.messages.create` instead 3,788,650 (3.6 MB, as the bench's "whole twilio" row), and
 * a fresh `require` of that bundle took about 15 times as long. The request is the SDK's:
 * form-encoded parameters, HTTP Basic auth with the API key, one `MediaUrl` per URL.
 */

/** Twilio's REST API host; the local server passes its own URL instead. */
export const TWILIO_API_BASE_URL = "https://api.twilio.com";

/** The parameters of one message, as Messages.json names them. */
export interface CreateMessageParams {
  /** `To`: `whatsapp:+E164`. */
  to: string;
  /** `StatusCallback`: the stack's `/whatsapp/status` URL. */
  statusCallback: string;
  /** `Body`. */
  body?: string;
  /** `MediaUrl`, repeated. */
  mediaUrls?: readonly string[];
  /** `ContentSid` (HX…). */
  contentSid?: string;
  /** `ContentVariables`: a JSON object as a string. */
  contentVariables?: string;
}

/** How to reach Twilio. */
export interface MessagesApiOptions {
  /** `https://api.twilio.com` by default. */
  baseUrl?: string;
  /** The fetch to use (tests route it to the stand-in). */
  fetch?: typeof fetch;
  /** Give up waiting for an answer after this many ms (10 s by default). */
  timeoutMs?: number;
}

/** The default time to wait for Twilio's answer. */
export const SEND_TIMEOUT_MS = 10_000;

/** Network failures where the request surely never reached Twilio, so sending again is safe. */
const NOT_SENT = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"];

/** The form Twilio receives for one message (the Messaging Service picks the sender). */
export function messageForm(
  params: CreateMessageParams,
  messagingServiceSid: string,
): URLSearchParams {
  const form = new URLSearchParams();
  form.set("To", params.to);
  form.set("MessagingServiceSid", messagingServiceSid);
  form.set("StatusCallback", params.statusCallback);
  if (params.contentSid !== undefined) {
    form.set("ContentSid", params.contentSid);
    if (params.contentVariables !== undefined)
      form.set("ContentVariables", params.contentVariables);
  } else {
    if (params.body !== undefined && params.body !== "") form.set("Body", params.body);
    for (const url of params.mediaUrls ?? []) form.append("MediaUrl", url);
  }
  return form;
}

/** Twilio's error body: `{ code, message, more_info, status }`. */
interface TwilioErrorBody {
  code?: unknown;
  message?: unknown;
}

/** Maps Twilio's answer to a refused or failed send onto the send path's error classes. */
export function errorFromTwilio(status: number, body: unknown): OutboundError {
  const { code: rawCode, message: rawMessage } = (body ?? {}) as TwilioErrorBody;
  const code = typeof rawCode === "number" && Number.isFinite(rawCode) ? rawCode : undefined;
  const said = typeof rawMessage === "string" ? rawMessage.slice(0, 300) : `HTTP ${status}`;
  const where = code !== undefined ? ` (https://www.twilio.com/docs/errors/${code})` : "";
  const refusedBy: RefusedBy = "twilio";
  if (code === 63016) {
    return new WindowClosedError(
      `Twilio refused free-form text outside WhatsApp's 24-hour window: ${said}; send an approved template${where}`,
      { refusedBy, code },
    );
  }
  if (code === 21610) {
    return new OptedOutError(`Twilio reports the recipient unsubscribed: ${said}${where}`, {
      refusedBy,
      code,
    });
  }
  let hint = "";
  if (status === 401 || code === 20003) {
    hint =
      "; the API key in the outbound secret was refused: run `pulumi up` to write a working one";
  }
  // 429 and 503 mean Twilio did not take the message: the same send may be tried again.
  return new TwilioSendError(
    `Twilio refused the message (HTTP ${status}): ${said}${hint}${where}`,
    {
      status,
      code,
      retryable: status === 429 || status === 503,
    },
  );
}

function networkError(err: unknown): TwilioSendError {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  // Not `instanceof Error`: fetch's DOMException may come from another realm (jest, undici).
  const rawName = (err as { name?: unknown } | null)?.name;
  const name = typeof rawName === "string" ? rawName : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new TwilioSendError(
      "Twilio did not answer in time; the message may have been sent, so it is not retried",
      { retryable: false },
    );
  }
  return new TwilioSendError(`could not reach Twilio (${code ?? (name || "network error")})`, {
    retryable: code !== undefined && NOT_SENT.includes(code),
  });
}

/** Twilio's answer to a created message (the fields read here). */
interface MessageResource {
  sid?: unknown;
  status?: unknown;
}

/** Creates one message; throws an {@link OutboundError} for whatever Twilio refused or failed. */
export async function createMessage(
  credentials: OutboundCredentials,
  params: CreateMessageParams,
  options: MessagesApiOptions = {},
): Promise<SentMessage> {
  const base = (options.baseUrl ?? TWILIO_API_BASE_URL).replace(/\/+$/, "");
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`;
  const auth = Buffer.from(`${credentials.apiKeySid}:${credentials.apiKeySecret}`).toString(
    "base64",
  );
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${auth}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: messageForm(params, credentials.messagingServiceSid).toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? SEND_TIMEOUT_MS),
    });
  } catch (err) {
    throw networkError(err);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) throw errorFromTwilio(response.status, body);
  const { sid, status } = (body ?? {}) as MessageResource;
  if (typeof sid !== "string" || typeof status !== "string") {
    // Accepted (2xx) but unreadable: the message may well be on its way, so never retried.
    throw new TwilioSendError(`Twilio answered HTTP ${response.status} without a message SID`, {
      status: response.status,
      retryable: false,
    });
  }
  return { messageSid: sid, status };
}

import { randomBytes } from "node:crypto";
import type { OutboundCredentials } from "../outbound/credentials";
import { WHATSAPP_ADDRESS } from "../outbound/policy";
import type { LocalOutbox } from "./outbox";

/**
 * The local server's stand-in for the one Twilio REST call the bot makes, Messages.json, so the
 * send path runs locally exactly as in Lambda (form body, Basic auth, Twilio's error shapes), and
 * the outbox route `npm run chat` reads the sent messages from.
 */

/** The Messages.json path of an account. */
export const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
/** Where `npm run chat` reads the messages sent through the REST API (`GET`, JSON). */
export const OUTBOX_PATH = "/local/outbox";

/** The parts of an HTTP request the REST stand-in reads. */
export interface LocalRestRequest {
  /** HTTP method. */
  method: string;
  /** Request target: path and optional query. */
  url: string;
  /** The Authorization header, if any. */
  authorization?: string;
  /** The Content-Type header, if any. */
  contentType?: string;
  /** Raw body. */
  body: Buffer;
}

/** A JSON answer. */
export interface LocalRestResponse {
  /** HTTP status. */
  status: number;
  /** Serialized as JSON. */
  body: unknown;
}

/** What the REST stand-in checks requests against and where it keeps messages. */
export interface LocalRestOptions {
  /** The local account, API key and Messaging Service. */
  credentials: OutboundCredentials;
  /** The auth token, also accepted (with the account SID) as Basic auth, as Twilio does. */
  authToken: string;
  /** Where accepted messages go. */
  outbox: LocalOutbox;
}

function twilioError(status: number, code: number, message: string): LocalRestResponse {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

function rfc2822(date: Date): string {
  return date.toUTCString().replace("GMT", "+0000");
}

function authenticated(header: string | undefined, options: LocalRestOptions): boolean {
  const basic = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!basic) return false;
  const decoded = Buffer.from(basic[1], "base64").toString("utf8");
  const { accountSid, apiKeySid, apiKeySecret } = options.credentials;
  return (
    decoded === `${apiKeySid}:${apiKeySecret}` || decoded === `${accountSid}:${options.authToken}`
  );
}

function createMessage(form: URLSearchParams, options: LocalRestOptions): LocalRestResponse {
  const { accountSid, messagingServiceSid } = options.credentials;
  const to = form.get("To") ?? "";
  if (!WHATSAPP_ADDRESS.test(to)) {
    return twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  }
  const serviceSid = form.get("MessagingServiceSid");
  if (serviceSid !== messagingServiceSid) {
    return twilioError(
      404,
      20404,
      `The requested resource /v1/Services/${serviceSid ?? ""} was not found (the local Messaging Service is ${messagingServiceSid})`,
    );
  }
  const body = form.get("Body") ?? undefined;
  const mediaUrls = form.getAll("MediaUrl");
  const contentSid = form.get("ContentSid") ?? undefined;
  if (contentSid === undefined && !body && mediaUrls.length === 0) {
    return twilioError(400, 21602, "Message body is required.");
  }
  let contentVariables: Record<string, string> | undefined;
  const variables = form.get("ContentVariables");
  if (variables !== null) {
    try {
      contentVariables = JSON.parse(variables) as Record<string, string>;
    } catch {
      return twilioError(400, 21656, "The ContentVariables Parameter is invalid.");
    }
  }
  const sid = `${mediaUrls.length > 0 ? "MM" : "SM"}${randomBytes(16).toString("hex")}`;
  options.outbox.add({ sid, to, body, mediaUrls, contentSid, contentVariables });
  const now = rfc2822(new Date());
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  return {
    status: 201,
    body: {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body: body ?? "",
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: null,
      messaging_service_sid: serviceSid,
      num_media: String(mediaUrls.length),
      num_segments: "0",
      price: null,
      price_unit: null,
      sid,
      status: "accepted",
      subresource_uris: { media: `${uri}/Media.json` },
      to,
      uri: `${uri}.json`,
    },
  };
}

/**
 * Answers a request for Messages.json or the outbox, or returns undefined for any other path (the
 * webhook routes, which the Lambda handler serves).
 */
export async function answerLocalRest(
  req: LocalRestRequest,
  options: LocalRestOptions,
): Promise<LocalRestResponse | undefined> {
  const url = new URL(req.url, "http://localhost");
  const method = req.method.toUpperCase();
  if (url.pathname === OUTBOX_PATH) {
    if (method !== "GET") return twilioError(405, 20004, "Method not allowed");
    const to = url.searchParams.get("to") ?? undefined;
    const after = url.searchParams.get("after");
    // Without a cursor, a reader starts from now: it learns the cursor and reads nothing old.
    if (after === null)
      return { status: 200, body: { messages: [], cursor: options.outbox.cursor } };
    const waitMs = Number(url.searchParams.get("waitMs") ?? 0);
    const read = await options.outbox.wait(
      Number(after) || 0,
      to,
      Number.isFinite(waitMs) ? waitMs : 0,
    );
    return { status: 200, body: read };
  }
  const path = MESSAGES_PATH.exec(url.pathname);
  if (!path) return undefined;
  if (method !== "POST") return twilioError(405, 20004, "Method not allowed");
  if (!authenticated(req.authorization, options)) return twilioError(401, 20003, "Authenticate");
  if (decodeURIComponent(path[1]) !== options.credentials.accountSid) {
    return twilioError(404, 20404, `The requested resource ${url.pathname} was not found`);
  }
  if (!(req.contentType ?? "").startsWith("application/x-www-form-urlencoded")) {
    return twilioError(400, 20001, "Messages.json takes a form-encoded body");
  }
  return createMessage(new URLSearchParams(req.body.toString("utf8")), options);
}

import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";

/** Auth token the lambda tests sign with (a dummy of the real shape). */
export const TEST_AUTH_TOKEN = "12345678901234567890123456789012";
/** Public base URL the lambda tests pretend API Gateway serves. */
export const TEST_BASE_URL = "https://abc123.execute-api.eu-west-1.amazonaws.com";
/** The bot's WhatsApp address in fixtures (Twilio's sandbox number). */
export const BOT_ADDRESS = "whatsapp:+14155238886";
/** A user's WhatsApp address in fixtures. */
export const USER_ADDRESS = "whatsapp:+34600111222";

/** Form fields as Twilio posts them. */
export type TwilioParams = Record<string, string>;

/** Parts of an HTTP API request a test cares about. */
export interface HttpApiEventInit {
  /** HTTP method; POST by default. */
  method?: string;
  /** Path as received. */
  rawPath?: string;
  /** Query string without `?`, as received. */
  rawQueryString?: string;
  /** Headers (lower-case names, as API Gateway delivers them). */
  headers?: Record<string, string>;
  /** Body as API Gateway hands it over (base64 when isBase64Encoded). */
  body?: string;
  /** Whether `body` is base64. */
  isBase64Encoded?: boolean;
}

let requestCounter = 0;

/** An API Gateway HTTP API payload 2.0 event with every field Lambda receives. */
export function httpApiEvent(init: HttpApiEventInit = {}): APIGatewayProxyEventV2 {
  const method = init.method ?? "POST";
  const rawPath = init.rawPath ?? "/whatsapp/incoming";
  const rawQueryString = init.rawQueryString ?? "";
  const host = new URL(TEST_BASE_URL).host;
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: `${method} ${rawPath}`,
    rawPath,
    rawQueryString,
    headers: { host, "user-agent": "TwilioProxy/1.1", ...init.headers },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      domainName: host,
      domainPrefix: "abc123",
      http: {
        method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "54.172.60.1",
        userAgent: "TwilioProxy/1.1",
      },
      requestId: `req-${++requestCounter}`,
      routeKey: `${method} ${rawPath}`,
      stage: "$default",
      time: "26/Nov/2026:10:00:00 +0000",
      timeEpoch: 1795687200000,
    },
    isBase64Encoded: init.isBase64Encoded ?? false,
  };
  if (rawQueryString) {
    event.queryStringParameters = Object.fromEntries(new URLSearchParams(rawQueryString));
  }
  if (init.body !== undefined) event.body = init.body;
  return event;
}

/** Encodes form fields the way Twilio does (spaces as `+`). */
export function formBody(params: TwilioParams): string {
  return new URLSearchParams(params).toString();
}

/** Options for {@link signedTwilioEvent}. */
export interface SignedEventInit {
  /** Form fields Twilio sends. */
  params: TwilioParams;
  /** Route path. */
  path?: string;
  /** Raw query string the webhook URL was configured with. */
  rawQueryString?: string;
  /** Token to sign with. */
  authToken?: string;
  /** Public base URL Twilio called. */
  baseUrl?: string;
  /** Deliver the body base64-encoded, as HTTP API does for form posts (default true). */
  base64?: boolean;
  /** Fields changed after signing, to model tampering in transit. */
  tamper?: TwilioParams;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
}

/** The signature Twilio would send for these fields on this URL, computed with the SDK. */
export function twilioSignature(
  url: string,
  params: TwilioParams,
  authToken = TEST_AUTH_TOKEN,
): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** A payload 2.0 event carrying a Twilio webhook signed with the SDK over the public URL. */
export function signedTwilioEvent(init: SignedEventInit): APIGatewayProxyEventV2 {
  const path = init.path ?? "/whatsapp/incoming";
  const query = init.rawQueryString ?? "";
  const url = `${init.baseUrl ?? TEST_BASE_URL}${path}${query ? `?${query}` : ""}`;
  const signature = twilioSignature(url, init.params, init.authToken ?? TEST_AUTH_TOKEN);
  const body = formBody({ ...init.params, ...init.tamper });
  const base64 = init.base64 ?? true;
  return httpApiEvent({
    rawPath: path,
    rawQueryString: query,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signature,
      ...init.headers,
    },
    body: base64 ? Buffer.from(body, "utf8").toString("base64") : body,
    isBase64Encoded: base64,
  });
}

let sidCounter = 0;

/** A deterministic, unique Twilio-shaped SID. */
export function sid(prefix = "SM"): string {
  return prefix + (++sidCounter).toString(16).padStart(32, "0");
}

function base(messageSid: string, extra: TwilioParams): TwilioParams {
  return {
    SmsMessageSid: messageSid,
    NumMedia: "0",
    ProfileName: "Ana",
    MessageType: "text",
    SmsSid: messageSid,
    WaId: "34600111222",
    SmsStatus: "received",
    Body: "",
    To: BOT_ADDRESS,
    NumSegments: "1",
    ReferralNumMedia: "0",
    MessageSid: messageSid,
    AccountSid: "AC" + "a".repeat(32),
    From: USER_ADDRESS,
    ApiVersion: "2010-04-01",
    ...extra,
  };
}

/** Fields of an incoming WhatsApp text message. */
export function textParams(body: string, extra: TwilioParams = {}): TwilioParams {
  return base(extra.MessageSid ?? sid("SM"), { Body: body, ...extra });
}

/** Fields of an incoming WhatsApp message with media (MessageType from the first item). */
export function mediaParams(
  media: { contentType: string; url?: string }[],
  caption = "",
  extra: TwilioParams = {},
): TwilioParams {
  const messageSid = extra.MessageSid ?? sid("MM");
  const fields: TwilioParams = { NumMedia: String(media.length), Body: caption };
  media.forEach((item, i) => {
    fields[`MediaContentType${i}`] = item.contentType;
    fields[`MediaUrl${i}`] =
      item.url ??
      `https://api.twilio.com/2010-04-01/Accounts/AC${"a".repeat(32)}/Messages/${messageSid}/Media/ME${String(i).padStart(32, "0")}`;
  });
  const kind = /^(image|audio|video)\//.exec(media[0]?.contentType ?? "")?.[1] ?? "document";
  return base(messageSid, { MessageType: kind, ...fields, ...extra });
}

/** Fields of an incoming WhatsApp location pin. */
export function locationParams(
  latitude: string,
  longitude: string,
  place: { Address?: string; Label?: string } = {},
  extra: TwilioParams = {},
): TwilioParams {
  return base(extra.MessageSid ?? sid("SM"), {
    MessageType: "location",
    Latitude: latitude,
    Longitude: longitude,
    ...place,
    ...extra,
  });
}

/** Fields of a quick-reply button tap. */
export function buttonParams(
  text: string,
  payload: string,
  extra: TwilioParams = {},
): TwilioParams {
  return base(extra.MessageSid ?? sid("SM"), {
    MessageType: "button",
    Body: text,
    ButtonText: text,
    ButtonPayload: payload,
    ...extra,
  });
}

/** Fields of a status callback for an outbound message. */
export function statusParams(
  messageSid: string,
  status: string,
  extra: TwilioParams = {},
): TwilioParams {
  return {
    SmsSid: messageSid,
    SmsStatus: status,
    MessageStatus: status,
    ChannelToAddress: "+34600111XXX",
    To: USER_ADDRESS,
    ChannelPrefix: "whatsapp",
    MessageSid: messageSid,
    AccountSid: "AC" + "a".repeat(32),
    From: BOT_ADDRESS,
    ApiVersion: "2010-04-01",
    ChannelInstallSid: "XE" + "b".repeat(32),
    StructuredMessage: "false",
    ...extra,
  };
}

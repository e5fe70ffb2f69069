/**
 * A stateful local stand-in for the Twilio REST API subset the stack uses, which the real `twilio`
 * SDK talks to through a custom `httpClient`. Every request is checked against Twilio's official
 * OpenAPI descriptions (`@twilio-alpha/mcp`, twilio_messaging_v1/v2, twilio_api_v2010 and
 * twilio_content_v1): the
 * method and path template must exist, form/JSON/query parameters must be known, of the right type
 * and enum, and required ones present; every response body it returns is validated against the
 * response schema (ajv). A broken request gets Twilio's 400 and is recorded in `violations`.
 *
 * API (reused by the teardown tool and the benchmarks):
 * - `createTwilioStandIn(options?)` returns a `TwilioStandIn`:
 *   - `accountSid`, `credentials` ({ authToken, apiKey, apiSecret }): what it accepts (HTTP 401,
 *     error 20003, otherwise);
 *   - `httpClient`: the SDK RequestClient replacement (`request(opts)` -> { statusCode, body, headers });
 *   - `clientFactory(credentials)`: a real `twilio` client wired to `httpClient` (fits
 *     `setTwilioClientFactory` in infra/twilio/client.ts); `client()`: one with the auth token;
 *   - `state`: services, channelSenders (service -> XE set), phoneNumbers (account numbers),
 *     servicePhoneNumbers (service -> PN set), senders (v2 WhatsApp senders), triggers,
 *     contents (Content API templates, HX...), approvals (content SID -> WhatsApp approval);
 *   - `calls`, `reads(match?)`, `writes(match?)`, `countsByPath()`, `resetCalls()`: call counters
 *     (GET is a read; POST/PUT/DELETE are writes; injected faults are counted and flagged);
 *   - `failNext({ status | timeout, times?, match? })`: fault injection (429, 500, 503, timeouts)
 *     for the next N matching calls;
 *   - `seedSender`, `seedPhoneNumber`, `seedService`, `seedTrigger`, `addToService`: pre-existing objects;
 *   - `setApproval(contentSid, status, reason?)`: WhatsApp's review decides (approved, rejected, ...);
 *   - `violations`: every request or response that broke the OpenAPI description;
 *   - `fetch`: a `fetch` served by the stand-in, for code that calls Twilio without the SDK (the
 *     Lambda's send path);
 *   - `sentMessages()`: every message created through Messages.json, with the parameters as sent;
 *     `failSend({ code })`: refuse the next sends with Twilio's 21610 or 63016 (synchronously, or
 *     63016 as Twilio reports it for WhatsApp: accepted, then failed by status callback, recorded
 *     in `statusCallbacks`);
 *   - `state.keys`: API keys created through Keys.json; they authenticate like `credentials.apiKey`.
 *     Keys.json itself takes only the auth token, as Twilio's takes only the auth token or a Main
 *     key (a Standard key such as `credentials.apiKey` gets 401, error 20003).
 */
import twilio from "twilio";
import { randomBytes } from "node:crypto";
import { TwilioOpenApi, type Operation } from "./openApi";

/** A call the stand-in received. */
export interface CallRecord {
  method: string;
  host: string;
  path: string;
  operationId?: string;
  status: number | "timeout";
  write: boolean;
  fault?: string;
  body?: unknown;
}

/** Which calls a fault or a counter applies to. */
export interface CallMatch {
  method?: string;
  path?: string | RegExp;
}

/** A fault to inject: an HTTP error status or a client-side timeout. */
export interface Fault {
  status?: 429 | 500 | 502 | 503 | 504;
  timeout?: boolean;
  times?: number;
  match?: CallMatch;
  /** Apply the request first, then fail: Twilio did the work but the answer was lost. */
  afterApply?: boolean;
}

/** The subset of twilio's RequestClient options the stand-in reads. */
export interface StandInRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: unknown;
}

/** What the SDK expects back from `httpClient.request`. */
export interface StandInResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, string>;
}

type Json = Record<string, unknown>;

/** Everything the stand-in holds, as the API would return it (snake_case). */
export interface StandInState {
  services: Map<string, Json>;
  channelSenders: Map<string, Set<string>>;
  phoneNumbers: Map<string, { sid: string; phone_number: string }>;
  servicePhoneNumbers: Map<string, Set<string>>;
  senders: Map<string, Json>;
  triggers: Map<string, Json>;
  /** Messages created through Messages.json (as FetchMessage returns them). */
  messages: Map<string, Json>;
  /** API keys created through Keys.json, with the secret Twilio returned once. */
  keys: Map<string, Json>;
  /** Content API templates (HX...), as FetchContent returns them. */
  contents: Map<string, Json>;
  /** WhatsApp approval per content SID, as ApprovalRequests reports it. */
  approvals: Map<string, Json>;
}

/** One message created through Messages.json, as its parameters were sent. */
export interface SentRecord {
  /** The message SID (SM…/MM…). */
  sid: string;
  /** Its status as the create answered it (`accepted`). */
  status: string;
  /** Who authenticated the request: an API key SID (SK…) or the account SID (auth token). */
  authenticatedAs: string;
  to: string;
  messagingServiceSid?: string;
  from?: string;
  body?: string;
  mediaUrls: string[];
  contentSid?: string;
  /** `ContentVariables` parsed from its JSON string. */
  contentVariables?: Record<string, string>;
  statusCallback?: string;
}

/** A refusal to inject into the next sends: Twilio's unsubscribed (21610) or window (63016) errors. */
export interface SendFault {
  code: 21610 | 63016;
  /** How many sends to refuse (1 by default). */
  times?: number;
  /**
   * `callback` accepts the message, then fails it with the code and records the status callback
   * Twilio would send (how WhatsApp's 63016 arrives); `sync` (the default) refuses the create.
   */
  delivery?: "sync" | "callback";
}

/** A status callback Twilio would post for a message the stand-in failed after accepting it. */
export interface StatusCallbackRecord {
  url: string;
  params: Record<string, string>;
}

/** Options for a stand-in. */
export interface StandInOptions {
  accountSid?: string;
  /** What FetchAccount reports: a trial account or an upgraded one (the default). */
  accountType?: "Trial" | "Full";
}

/** The stand-in (see the file comment). */
export interface TwilioStandIn {
  /** The account the stand-in serves (api v2010 paths must name it). */
  accountSid: string;
  /** The credentials it accepts: the auth token for `accountSid`, or the API key and secret. */
  credentials: { authToken: string; apiKey: string; apiSecret: string };
  /** The SDK `httpClient` replacement. */
  httpClient: { request(opts: StandInRequest): Promise<StandInResponse> };
  /** A real `twilio` client wired to the stand-in (fits `setTwilioClientFactory`). */
  clientFactory(credentials: {
    accountSid: string;
    apiKey?: string;
    apiSecret?: string;
    authToken?: string;
  }): twilio.Twilio;
  /** A client authenticated with the auth token. */
  client(): twilio.Twilio;
  /** Everything the stand-in holds. */
  state: StandInState;
  /** Every call received, in order (including injected faults). */
  calls: CallRecord[];
  /** Requests (and responses) that broke Twilio's OpenAPI description. */
  violations: string[];
  /** GET calls, optionally filtered. */
  reads(match?: CallMatch): CallRecord[];
  /** POST/PUT/DELETE calls, optionally filtered. */
  writes(match?: CallMatch): CallRecord[];
  /** Reads and writes per `METHOD /path`. */
  countsByPath(): Record<string, { reads: number; writes: number }>;
  /** Forgets the calls so far (state stays). */
  resetCalls(): void;
  /** Injects a fault into the next `times` matching calls. */
  failNext(fault: Fault): void;
  /** Adds an existing WhatsApp sender (v2); returns its SID. */
  seedSender(opts: {
    /** A chosen SID (XE + 32 hex), e.g. one named in a stack's config; random by default. */
    sid?: string;
    number: string;
    status?: string;
    webhook?: Json;
    profile?: Json;
    wabaId?: string;
  }): string;
  /** Adds a phone number to the account; returns its PN SID. */
  seedPhoneNumber(number: string): string;
  /** Adds a Messaging Service; returns its MG SID. */
  seedService(friendlyName: string): string;
  /** Adds a usage trigger; returns its UT SID. */
  seedTrigger(opts: { callbackUrl: string; triggerValue: string; usageCategory: string }): string;
  /** Puts a sender (XE or PN) in a service's pool, as Twilio would (21712 if in another). */
  addToService(serviceSid: string, senderSid: string): void;
  /** A `fetch` answered by the stand-in (Basic auth, form bodies), for code that calls Twilio without the SDK. */
  fetch: typeof fetch;
  /** Every message created through Messages.json, in order. */
  sentMessages(): SentRecord[];
  /** Refuses the next sends with Twilio's own error shape. */
  failSend(fault: SendFault): void;
  /** Status callbacks for messages failed after being accepted (`failSend` with `callback`). */
  statusCallbacks: StatusCallbackRecord[];
  /** Moves a content template's WhatsApp approval on, as Meta's review would. */
  setApproval(contentSid: string, status: string, rejectionReason?: string): void;
}

/** A Twilio error response raised inside a handler. */
class StandInHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "StandInHttpError";
  }
}

let sharedSpec: TwilioOpenApi | undefined;
/** The specs are large; parse them once per test file. */
function spec(): TwilioOpenApi {
  sharedSpec ??= new TwilioOpenApi();
  return sharedSpec;
}

/** A random SID with a prefix, shaped like Twilio's. */
export function fakeSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** One page of an api v2010 list (everything on page 0), as Twilio wraps list results. */
function v2010Page(listKey: string, items: unknown[], path: string): Record<string, unknown> {
  return {
    [listKey]: items,
    end: Math.max(items.length - 1, 0),
    first_page_uri: `${path}?PageSize=50&Page=0`,
    next_page_uri: null,
    page: 0,
    page_size: 50,
    previous_page_uri: null,
    start: 0,
    uri: `${path}?PageSize=50&Page=0`,
  };
}

function rfc2822Now(): string {
  return new Date().toUTCString().replace("GMT", "+0000");
}

function matches(record: { method: string; path: string }, match?: CallMatch): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== record.method) return false;
  if (match.path instanceof RegExp) return match.path.test(record.path);
  if (typeof match.path === "string") return record.path.includes(match.path);
  return true;
}

/** A form or query value as the SDK sends it: scalars as text, anything else as JSON. */
function formText(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

function encodeForm(data: unknown): URLSearchParams {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries((data ?? {}) as Json)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) form.append(k, formText(item));
    else form.append(k, formText(v));
  }
  return form;
}

/** Creates a fresh stand-in with empty state. */
export function createTwilioStandIn(options: StandInOptions = {}): TwilioStandIn {
  const openApi = spec();
  const accountSid = options.accountSid ?? fakeSid("AC");
  const credentials = {
    authToken: randomBytes(16).toString("hex"),
    apiKey: fakeSid("SK"),
    apiSecret: randomBytes(16).toString("hex"),
  };
  const state: StandInState = {
    services: new Map(),
    channelSenders: new Map(),
    phoneNumbers: new Map(),
    servicePhoneNumbers: new Map(),
    senders: new Map(),
    triggers: new Map(),
    messages: new Map(),
    keys: new Map(),
    contents: new Map(),
    approvals: new Map(),
  };
  const calls: CallRecord[] = [];
  const sent: SentRecord[] = [];
  const sendFaults: SendFault[] = [];
  const statusCallbacks: StatusCallbackRecord[] = [];
  /** Who authenticated the request being handled (set by `request` before a handler runs). */
  let caller = "";
  const violations: string[] = [];
  const faults: Fault[] = [];

  const notFound = (path: string): StandInHttpError =>
    new StandInHttpError(404, 20404, `The requested resource ${path} was not found`);

  function serviceOf(senderSid: string): string | undefined {
    for (const [mg, set] of state.channelSenders) if (set.has(senderSid)) return mg;
    for (const [mg, set] of state.servicePhoneNumbers) if (set.has(senderSid)) return mg;
    return undefined;
  }

  function serviceBody(sid: string): Json {
    const base = `https://messaging.twilio.com/v1/Services/${sid}`;
    return {
      ...state.services.get(sid),
      links: {
        phone_numbers: `${base}/PhoneNumbers`,
        short_codes: `${base}/ShortCodes`,
        alpha_senders: `${base}/AlphaSenders`,
        messages: `${base}/Messages`,
        us_app_to_person: `${base}/Compliance/Usa2p`,
        us_app_to_person_usecases: `${base}/Compliance/Usa2p/Usecases`,
        channel_senders: `${base}/ChannelSenders`,
        destination_alpha_senders: `${base}/DestinationAlphaSenders`,
      },
      url: base,
    };
  }

  const SERVICE_FIELDS: Record<string, string> = {
    FriendlyName: "friendly_name",
    InboundRequestUrl: "inbound_request_url",
    InboundMethod: "inbound_method",
    FallbackUrl: "fallback_url",
    FallbackMethod: "fallback_method",
    StatusCallback: "status_callback",
    StickySender: "sticky_sender",
    MmsConverter: "mms_converter",
    SmartEncoding: "smart_encoding",
    ScanMessageContent: "scan_message_content",
    FallbackToLongCode: "fallback_to_long_code",
    AreaCodeGeomatch: "area_code_geomatch",
    ValidityPeriod: "validity_period",
    SynchronousValidation: "synchronous_validation",
    Usecase: "usecase",
    UseInboundWebhookOnNumber: "use_inbound_webhook_on_number",
  };

  function applyForm(target: Json, form: Json, fields: Record<string, string>): void {
    for (const [param, field] of Object.entries(fields)) {
      if (!(param in form)) continue;
      // An empty form value clears a field (forms cannot carry null).
      target[field] = form[param] === "" ? null : form[param];
    }
  }

  function channelSenderBody(serviceSid: string, sid: string): Json {
    const sender = state.senders.get(sid);
    return {
      account_sid: accountSid,
      messaging_service_sid: serviceSid,
      sid,
      sender: sender?.sender_id ?? null,
      sender_type: "WhatsApp",
      country_code: "US",
      date_created: isoNow(),
      date_updated: isoNow(),
      url: `https://messaging.twilio.com/v1/Services/${serviceSid}/ChannelSenders/${sid}`,
    };
  }

  function phoneNumberBody(serviceSid: string, sid: string): Json {
    return {
      sid,
      account_sid: accountSid,
      service_sid: serviceSid,
      date_created: isoNow(),
      date_updated: isoNow(),
      phone_number: state.phoneNumbers.get(sid)?.phone_number ?? null,
      country_code: "US",
      capabilities: ["SMS"],
      url: `https://messaging.twilio.com/v1/Services/${serviceSid}/PhoneNumbers/${sid}`,
    };
  }

  function senderBody(sid: string): Json {
    const s = state.senders.get(sid) as Json;
    const configuration = { ...(s.configuration as Json) };
    // Twilio never echoes the verification code back.
    configuration.verification_code = null;
    return { ...s, configuration, url: `https://messaging.twilio.com/v2/Channels/Senders/${sid}` };
  }

  function triggerBody(sid: string): Json {
    return { ...state.triggers.get(sid) };
  }

  function contentBody(sid: string): Json {
    const url = `https://content.twilio.com/v1/Content/${sid}`;
    return {
      ...state.contents.get(sid),
      url,
      links: {
        approval_create: `${url}/ApprovalRequests/whatsapp`,
        approval_fetch: `${url}/ApprovalRequests`,
      },
    };
  }

  function listMeta(host: string, path: string, key: string, count: number): Json {
    const url = `https://${host}${path}?PageSize=50&Page=0`;
    return {
      page: 0,
      page_size: Math.max(count, 50),
      first_page_url: url,
      previous_page_url: null,
      next_page_url: null,
      key,
      url,
    };
  }

  function addMember(serviceSid: string, senderSid: string, kind: "channel" | "phone"): void {
    if (!state.services.has(serviceSid)) throw notFound(`/v1/Services/${serviceSid}`);
    const exists =
      kind === "channel" ? state.senders.has(senderSid) : state.phoneNumbers.has(senderSid);
    if (!exists)
      throw new StandInHttpError(404, 20404, `The requested resource ${senderSid} was not found`);
    const holder = serviceOf(senderSid);
    if (holder === serviceSid) {
      throw new StandInHttpError(
        409,
        21710,
        "Phone Number or Short Code is already in the Messaging Service.",
      );
    }
    if (holder) {
      throw new StandInHttpError(
        400,
        21712,
        "Phone Number or Short Code is already associated with another Messaging Service.",
      );
    }
    const map = kind === "channel" ? state.channelSenders : state.servicePhoneNumbers;
    const set = map.get(serviceSid) ?? new Set<string>();
    set.add(senderSid);
    map.set(serviceSid, set);
  }

  function mergeSection(target: Json, key: string, patch: unknown): void {
    if (patch === undefined) return;
    if (patch === null) {
      target[key] = null;
      return;
    }
    const current = { ...((target[key] as Json | null) ?? {}) };
    for (const [k, v] of Object.entries(patch as Json)) if (v !== undefined) current[k] = v;
    target[key] = current;
  }

  function profileForStorage(profile: Json | undefined): Json | undefined {
    if (!profile) return profile;
    const out: Json = { ...profile };
    // The response lists websites and emails as objects; a bare string is accepted as one.
    if (Array.isArray(out.websites))
      out.websites = out.websites.map((w: unknown) =>
        typeof w === "string" ? { website: w, label: "" } : w,
      );
    if (Array.isArray(out.emails))
      out.emails = out.emails.map((e: unknown) =>
        typeof e === "string" ? { email: e, label: "" } : e,
      );
    return out;
  }

  /** The route handlers, by operationId. */
  const handlers: Record<
    string,
    (
      p: Record<string, string>,
      body: Json,
      query: Json,
      host: string,
      path: string,
    ) => { status: number; body?: Json }
  > = {
    CreateService: (_p, form) => {
      const sid = fakeSid("MG");
      const now = isoNow();
      const record: Json = {
        sid,
        account_sid: accountSid,
        friendly_name: null,
        date_created: now,
        date_updated: now,
        inbound_request_url: null,
        inbound_method: "POST",
        fallback_url: null,
        fallback_method: "POST",
        status_callback: null,
        sticky_sender: true,
        mms_converter: true,
        smart_encoding: true,
        scan_message_content: "inherit",
        fallback_to_long_code: false,
        area_code_geomatch: true,
        synchronous_validation: true,
        validity_period: 36000,
        usecase: "undeclared",
        us_app_to_person_registered: false,
        use_inbound_webhook_on_number: false,
      };
      applyForm(record, form, SERVICE_FIELDS);
      state.services.set(sid, record);
      return { status: 201, body: serviceBody(sid) };
    },
    FetchService: (p, _b, _q, _h, path) => {
      if (!state.services.has(p.Sid)) throw notFound(path);
      return { status: 200, body: serviceBody(p.Sid) };
    },
    UpdateService: (p, form, _q, _h, path) => {
      const record = state.services.get(p.Sid);
      if (!record) throw notFound(path);
      applyForm(record, form, SERVICE_FIELDS);
      record.date_updated = isoNow();
      return { status: 200, body: serviceBody(p.Sid) };
    },
    DeleteService: (p, _b, _q, _h, path) => {
      if (!state.services.delete(p.Sid)) throw notFound(path);
      // Deleting a service releases its sender pool.
      state.channelSenders.delete(p.Sid);
      state.servicePhoneNumbers.delete(p.Sid);
      return { status: 204 };
    },
    FetchAccount: (p, _b, _q, _h, path) => {
      if (p.Sid !== accountSid) throw notFound(path);
      const now = rfc2822Now();
      const base = `/2010-04-01/Accounts/${accountSid}`;
      return {
        status: 200,
        body: {
          // The real API returns the token; the stand-in never needs to.
          auth_token: null,
          date_created: now,
          date_updated: now,
          friendly_name: "stand-in account",
          owner_account_sid: accountSid,
          sid: accountSid,
          status: "active",
          subresource_uris: { usage: `${base}/Usage.json` },
          type: options.accountType ?? "Full",
          uri: `${base}.json`,
        },
      };
    },
    ListService: (_p, _b, _q, host, path) => {
      const services = [...state.services.keys()].map(serviceBody);
      return {
        status: 200,
        body: { services, meta: listMeta(host, path, "services", services.length) },
      };
    },
    CreateChannelSender: (p, form) => {
      addMember(p.MessagingServiceSid, String(form.Sid), "channel");
      return { status: 201, body: channelSenderBody(p.MessagingServiceSid, String(form.Sid)) };
    },
    FetchChannelSender: (p, _b, _q, _h, path) => {
      if (!state.channelSenders.get(p.MessagingServiceSid)?.has(p.Sid)) throw notFound(path);
      return { status: 200, body: channelSenderBody(p.MessagingServiceSid, p.Sid) };
    },
    DeleteChannelSender: (p, _b, _q, _h, path) => {
      if (!state.channelSenders.get(p.MessagingServiceSid)?.delete(p.Sid)) throw notFound(path);
      return { status: 204 };
    },
    ListChannelSender: (p, _b, _q, host, path) => {
      if (!state.services.has(p.MessagingServiceSid)) throw notFound(path);
      const senders = [...(state.channelSenders.get(p.MessagingServiceSid) ?? [])].map((sid) =>
        channelSenderBody(p.MessagingServiceSid, sid),
      );
      return {
        status: 200,
        body: { senders, meta: listMeta(host, path, "senders", senders.length) },
      };
    },
    CreatePhoneNumber: (p, form) => {
      addMember(p.ServiceSid, String(form.PhoneNumberSid), "phone");
      return { status: 201, body: phoneNumberBody(p.ServiceSid, String(form.PhoneNumberSid)) };
    },
    FetchPhoneNumber: (p, _b, _q, _h, path) => {
      if (!state.servicePhoneNumbers.get(p.ServiceSid)?.has(p.Sid)) throw notFound(path);
      return { status: 200, body: phoneNumberBody(p.ServiceSid, p.Sid) };
    },
    DeletePhoneNumber: (p, _b, _q, _h, path) => {
      if (!state.servicePhoneNumbers.get(p.ServiceSid)?.delete(p.Sid)) throw notFound(path);
      return { status: 204 };
    },
    ListPhoneNumber: (p, _b, _q, host, path) => {
      if (!state.services.has(p.ServiceSid)) throw notFound(path);
      const phone_numbers = [...(state.servicePhoneNumbers.get(p.ServiceSid) ?? [])].map((sid) =>
        phoneNumberBody(p.ServiceSid, sid),
      );
      return {
        status: 200,
        body: { phone_numbers, meta: listMeta(host, path, "phone_numbers", phone_numbers.length) },
      };
    },
    CreateChannelsSender: (_p, body) => {
      const senderId = String(body.sender_id);
      if (!/^whatsapp:\+[1-9][0-9]{1,14}$/.test(senderId)) {
        throw new StandInHttpError(
          400,
          21211,
          `Invalid 'sender_id': ${senderId} (expected whatsapp:+E.164)`,
        );
      }
      for (const s of state.senders.values()) {
        if (s.sender_id === senderId)
          throw new StandInHttpError(
            409,
            63110,
            `A sender with sender_id ${senderId} already exists`,
          );
      }
      const configuration = (body.configuration ?? {}) as Json;
      const sid = fakeSid("XE");
      state.senders.set(sid, {
        sid,
        status: configuration.verification_code ? "VERIFYING" : "PENDING_VERIFICATION",
        sender_id: senderId,
        configuration: {
          waba_id: configuration.waba_id ?? null,
          verification_method: configuration.verification_method ?? "sms",
          verification_code: configuration.verification_code ?? null,
          voice_application_sid: null,
        },
        webhook: body.webhook ?? null,
        profile: profileForStorage(body.profile as Json | undefined) ?? null,
        properties: { quality_rating: "UNKNOWN", messaging_limit: null },
        offline_reasons: null,
      });
      return { status: 202, body: senderBody(sid) };
    },
    FetchChannelsSender: (p, _b, _q, _h, path) => {
      if (!state.senders.has(p.Sid)) throw notFound(path);
      return { status: 200, body: senderBody(p.Sid) };
    },
    UpdateChannelsSender: (p, body, _q, _h, path) => {
      const s = state.senders.get(p.Sid);
      if (!s) throw notFound(path);
      const configuration = body.configuration as Json | undefined;
      if (configuration?.verification_code) {
        if (s.status !== "PENDING_VERIFICATION" && s.status !== "VERIFYING") {
          throw new StandInHttpError(400, 63114, "The sender is not awaiting verification");
        }
        s.status = "ONLINE";
      }
      mergeSection(s, "configuration", configuration);
      mergeSection(s, "webhook", body.webhook);
      mergeSection(s, "profile", profileForStorage(body.profile as Json | undefined));
      return { status: 202, body: senderBody(p.Sid) };
    },
    DeleteChannelsSender: (p, _b, _q, _h, path) => {
      if (!state.senders.delete(p.Sid)) throw notFound(path);
      for (const set of state.channelSenders.values()) set.delete(p.Sid);
      return { status: 204 };
    },
    ListChannelsSender: (_p, _b, query, host, path) => {
      const senders = [...state.senders.keys()]
        .filter(() => String(query.Channel).toLowerCase() === "whatsapp")
        .map(senderBody);
      return {
        status: 200,
        body: { senders, meta: listMeta(host, path, "senders", senders.length) },
      };
    },
    CreateUsageTrigger: (p, form) => {
      if (p.AccountSid !== accountSid) throw new StandInHttpError(403, 20003, "Permission denied");
      const sid = fakeSid("UT");
      const now = rfc2822Now();
      state.triggers.set(sid, {
        account_sid: accountSid,
        api_version: "2010-04-01",
        callback_method: form.CallbackMethod ?? "POST",
        callback_url: form.CallbackUrl,
        current_value: "0",
        date_created: now,
        date_fired: null,
        date_updated: now,
        friendly_name: form.FriendlyName ?? null,
        recurring: form.Recurring ?? "alltime",
        sid,
        trigger_by: form.TriggerBy ?? "usage",
        trigger_value: form.TriggerValue,
        uri: `/2010-04-01/Accounts/${accountSid}/Usage/Triggers/${sid}.json`,
        usage_category: form.UsageCategory,
        usage_record_uri: `/2010-04-01/Accounts/${accountSid}/Usage/Records.json?Category=${String(form.UsageCategory)}`,
      });
      return { status: 201, body: triggerBody(sid) };
    },
    FetchUsageTrigger: (p, _b, _q, _h, path) => {
      if (p.AccountSid !== accountSid || !state.triggers.has(p.Sid)) throw notFound(path);
      return { status: 200, body: triggerBody(p.Sid) };
    },
    UpdateUsageTrigger: (p, form, _q, _h, path) => {
      const t = state.triggers.get(p.Sid);
      if (p.AccountSid !== accountSid || !t) throw notFound(path);
      applyForm(t, form, {
        CallbackMethod: "callback_method",
        CallbackUrl: "callback_url",
        FriendlyName: "friendly_name",
      });
      t.date_updated = rfc2822Now();
      return { status: 200, body: triggerBody(p.Sid) };
    },
    DeleteUsageTrigger: (p, _b, _q, _h, path) => {
      if (p.AccountSid !== accountSid || !state.triggers.delete(p.Sid)) throw notFound(path);
      return { status: 204 };
    },
    ListUsageTrigger: (p, _b, _q, _h, path) => {
      const usage_triggers = [...state.triggers.keys()].map(triggerBody);
      return { status: 200, body: v2010Page("usage_triggers", usage_triggers, path) };
    },
    CreateMessage: (p, form) => {
      if (p.AccountSid !== accountSid) throw new StandInHttpError(403, 20003, "Permission denied");
      const to = String(form.To);
      // Twilio's description types To as a phone number; channel addresses (whatsapp:+…) are how
      // WhatsApp messages are addressed, so both shapes are accepted.
      if (!/^(whatsapp:)?\+[1-9][0-9]{1,14}$/.test(to))
        throw new StandInHttpError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
      const serviceSid = form.MessagingServiceSid as string | undefined;
      if (serviceSid === undefined && form.From === undefined)
        throw new StandInHttpError(
          400,
          21603,
          "A 'From' or 'MessagingServiceSid' parameter is required",
        );
      if (serviceSid !== undefined && !state.services.has(serviceSid))
        throw notFound(`/v1/Services/${serviceSid}`);
      const mediaUrls = (form.MediaUrl as string[] | undefined) ?? [];
      const contentSid = form.ContentSid as string | undefined;
      if (contentSid === undefined && !form.Body && mediaUrls.length === 0)
        throw new StandInHttpError(400, 21602, "Message body is required.");
      let contentVariables: Record<string, string> | undefined;
      if (form.ContentVariables !== undefined) {
        try {
          contentVariables = JSON.parse(form.ContentVariables as string) as Record<string, string>;
        } catch {
          throw new StandInHttpError(400, 21656, "The ContentVariables Parameter is invalid.");
        }
      }
      const fault = sendFaults[0];
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.times <= 0) sendFaults.shift();
      }
      if (fault?.code === 21610 && fault.delivery !== "callback")
        throw new StandInHttpError(400, 21610, "Attempt to send to unsubscribed recipient");
      if (fault?.code === 63016 && fault.delivery !== "callback")
        throw new StandInHttpError(
          400,
          63016,
          "Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.",
        );
      const sid = fakeSid(mediaUrls.length > 0 ? "MM" : "SM");
      const now = rfc2822Now();
      const base = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
      const message: Json = {
        account_sid: accountSid,
        api_version: "2010-04-01",
        body: form.Body ?? "",
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        // Through a Messaging Service the sender is picked after the create: `from` starts empty.
        from: form.From ?? null,
        messaging_service_sid: serviceSid ?? null,
        num_media: String(mediaUrls.length),
        num_segments: "0",
        price: null,
        price_unit: null,
        sid,
        status: serviceSid !== undefined ? "accepted" : "queued",
        subresource_uris: { media: `${base}/Media.json` },
        to,
        uri: `${base}.json`,
      };
      state.messages.set(sid, message);
      sent.push({
        sid,
        status: String(message.status),
        authenticatedAs: caller,
        to,
        messagingServiceSid: serviceSid,
        from: form.From as string | undefined,
        body: form.Body as string | undefined,
        mediaUrls,
        contentSid,
        contentVariables,
        statusCallback: form.StatusCallback as string | undefined,
      });
      const answer = { status: 201, body: { ...message } };
      if (fault) {
        // Accepted, then failed as Twilio reports WhatsApp's refusals: by status callback.
        Object.assign(message, { status: "failed", error_code: fault.code });
        if (typeof form.StatusCallback === "string")
          statusCallbacks.push({
            url: form.StatusCallback,
            params: {
              AccountSid: accountSid,
              ApiVersion: "2010-04-01",
              ChannelPrefix: "whatsapp",
              ErrorCode: String(fault.code),
              MessageSid: sid,
              MessageStatus: "failed",
              SmsSid: sid,
              SmsStatus: "failed",
              To: to,
              ...(serviceSid ? { MessagingServiceSid: serviceSid } : {}),
            },
          });
      }
      return answer;
    },
    FetchMessage: (p, _b, _q, _h, path) => {
      const message = state.messages.get(p.Sid);
      if (p.AccountSid !== accountSid || !message) throw notFound(path);
      return { status: 200, body: { ...message } };
    },
    CreateNewKey: (p, form) => {
      if (p.AccountSid !== accountSid) throw new StandInHttpError(403, 20003, "Permission denied");
      const sid = fakeSid("SK");
      const now = rfc2822Now();
      state.keys.set(sid, {
        sid,
        friendly_name: form.FriendlyName ?? null,
        date_created: now,
        date_updated: now,
        secret: randomBytes(16).toString("hex"),
      });
      return { status: 201, body: { ...state.keys.get(sid) } };
    },
    FetchKey: (p, _b, _q, _h, path) => {
      const key = state.keys.get(p.Sid);
      if (p.AccountSid !== accountSid || !key) throw notFound(path);
      return { status: 200, body: keyBody(key) };
    },
    UpdateKey: (p, form, _q, _h, path) => {
      const key = state.keys.get(p.Sid);
      if (p.AccountSid !== accountSid || !key) throw notFound(path);
      applyForm(key, form, { FriendlyName: "friendly_name" });
      key.date_updated = rfc2822Now();
      return { status: 200, body: keyBody(key) };
    },
    DeleteKey: (p, _b, _q, _h, path) => {
      if (p.AccountSid !== accountSid || !state.keys.delete(p.Sid)) throw notFound(path);
      return { status: 204 };
    },
    ListKey: (_p, _b, _q, _h, path) => {
      const keys = [...state.keys.values()].map(keyBody);
      return { status: 200, body: v2010Page("keys", keys, path) };
    },
    CreateContent: (_p, body) => {
      const sid = fakeSid("HX");
      const now = isoNow();
      state.contents.set(sid, {
        sid,
        account_sid: accountSid,
        friendly_name: body.friendly_name ?? null,
        language: body.language,
        variables: body.variables ?? {},
        types: body.types,
        date_created: now,
        date_updated: now,
      });
      return { status: 201, body: contentBody(sid) };
    },
    FetchContent: (p, _b, _q, _h, path) => {
      if (!state.contents.has(p.Sid)) throw notFound(path);
      return { status: 200, body: contentBody(p.Sid) };
    },
    DeleteContent: (p, _b, _q, _h, path) => {
      if (!state.contents.delete(p.Sid)) throw notFound(path);
      // Twilio deletes the template from the WhatsApp Business Account as well.
      state.approvals.delete(p.Sid);
      return { status: 204 };
    },
    ListContent: (_p, _b, _q, host, path) => {
      const contents = [...state.contents.keys()].map(contentBody);
      return {
        status: 200,
        body: { contents, meta: listMeta(host, path, "contents", contents.length) },
      };
    },
    FetchApprovalFetch: (p, _b, _q, _h, path) => {
      if (!state.contents.has(p.Sid)) throw notFound(path);
      const approval = state.approvals.get(p.Sid);
      return {
        status: 200,
        body: {
          sid: p.Sid,
          account_sid: accountSid,
          whatsapp: approval ? { type: "whatsapp", ...approval } : { status: "unsubmitted" },
          url: `https://content.twilio.com/v1/Content/${p.Sid}/ApprovalRequests`,
        },
      };
    },
    CreateApprovalCreate: (p, body, _q, _h, path) => {
      const content = state.contents.get(p.ContentSid);
      if (!content) throw notFound(path);
      if (state.approvals.has(p.ContentSid))
        throw new StandInHttpError(
          400,
          20001,
          "This content has already been submitted for approval",
        );
      // WhatsApp keeps one template per name and language in a WhatsApp Business Account.
      for (const [sid, approval] of state.approvals)
        if (approval.name === body.name && state.contents.get(sid)?.language === content.language)
          throw new StandInHttpError(
            400,
            20001,
            `A WhatsApp template named ${String(body.name)} already exists in this language`,
          );
      if (!["UTILITY", "MARKETING", "AUTHENTICATION"].includes(String(body.category)))
        throw new StandInHttpError(400, 20001, `Invalid category ${String(body.category)}`);
      const approval: Json = {
        name: body.name,
        category: body.category,
        content_type: Object.keys(content.types as Json).pop() ?? null,
        status: "received",
        rejection_reason: "",
        allow_category_change: true,
      };
      state.approvals.set(p.ContentSid, approval);
      return { status: 201, body: { ...approval } };
    },
  };

  /** A key as Fetch/List return it: never the secret, which only the create answers. */
  function keyBody(key: Json): Json {
    const { secret: _secret, ...rest } = key;
    return rest;
  }

  /** Coerces one form/query value to the type its schema declares; returns an error text on mismatch. */
  function coerce(
    file: string,
    schema: Record<string, unknown> | undefined,
    values: string[],
    name: string,
  ): { value?: unknown; error?: string } {
    let s = schema ?? {};
    while (typeof s.$ref === "string") s = openApi.resolve(file, s.$ref);
    const type = s.type as string | undefined;
    if (type === "array") return { value: values };
    if (values.length > 1) return { error: `${name} given ${values.length} times` };
    const raw = values[0];
    if (type === "boolean") {
      if (!/^(true|false)$/i.test(raw))
        return { error: `${name} must be true or false, got ${JSON.stringify(raw)}` };
      return { value: raw.toLowerCase() === "true" };
    }
    if (type === "integer") {
      if (!/^-?\d+$/.test(raw))
        return { error: `${name} must be an integer, got ${JSON.stringify(raw)}` };
      return { value: Number(raw) };
    }
    if (type === "number") {
      if (Number.isNaN(Number(raw)))
        return { error: `${name} must be a number, got ${JSON.stringify(raw)}` };
      return { value: Number(raw) };
    }
    return { value: raw };
  }

  /** Checks a request against its operation; returns the parsed body and query, or the problems. */
  function validateRequest(
    op: Operation,
    req: StandInRequest,
    url: URL,
    pathParams: Record<string, string>,
  ): { body: Json; query: Json; errors: string[] } {
    const errors: string[] = [];
    const file = op.specFile;
    for (const param of op.params.filter((x) => x.in === "path")) {
      const v = pathParams[param.name];
      if (param.schema)
        errors.push(
          ...openApi
            .validate(
              file,
              `#/paths/${op.template.replace(/~/g, "~0").replace(/\//g, "~1")}/${op.method.toLowerCase()}/parameters/${op.params.indexOf(param)}/schema`,
              v,
            )
            .map((e) => `path ${param.name}: ${e}`),
        );
    }
    const queryValues = new URLSearchParams(url.search);
    for (const [k, v] of Object.entries(req.params ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) queryValues.append(k, formText(item));
      else queryValues.append(k, formText(v));
    }
    const query: Json = {};
    const queryParams = op.params.filter((x) => x.in === "query");
    for (const key of new Set(queryValues.keys())) {
      const param = queryParams.find((x) => x.name === key);
      if (!param) {
        errors.push(`unknown query parameter ${key}`);
        continue;
      }
      const { value, error } = coerce(file, param.schema, queryValues.getAll(key), key);
      if (error) errors.push(error);
      else query[key] = value;
    }
    for (const param of queryParams)
      if (param.required && !(param.name in query))
        errors.push(`missing required query parameter ${param.name}`);
    let body: Json = {};
    const contentType = req.headers?.["Content-Type"] ?? req.headers?.["content-type"];
    const hasData =
      req.data !== undefined &&
      req.data !== null &&
      !(
        typeof req.data === "object" &&
        Object.keys(req.data).length === 0 &&
        op.bodyType !== "json"
      );
    if (!op.bodyType) {
      if (hasData) errors.push(`${op.operationId} takes no body`);
    } else if (op.bodyType === "form") {
      if (hasData && contentType !== "application/x-www-form-urlencoded")
        errors.push(`body must be form-encoded, got ${contentType}`);
      const form = encodeForm(req.data);
      const schema = openApi.resolve(file, op.bodySchemaPointer as string);
      const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const key of new Set(form.keys())) {
        if (!(key in props)) {
          errors.push(`unknown form parameter ${key}`);
          continue;
        }
        const values = form.getAll(key);
        // Twilio clears a URL when sent an empty value; the spec's uri format cannot say so.
        if (values.length === 1 && values[0] === "" && props[key].format === "uri") {
          body[key] = "";
          continue;
        }
        const { value, error } = coerce(file, props[key], values, key);
        if (error) errors.push(error);
        else body[key] = value;
      }
      const toCheck = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== ""));
      for (const req of (schema.required ?? []) as string[])
        if (!(req in body)) toCheck[req] = undefined;
      errors.push(
        ...openApi.validate(
          file,
          op.bodySchemaPointer as string,
          JSON.parse(JSON.stringify(toCheck)),
        ),
      );
    } else {
      if (contentType !== "application/json") errors.push(`body must be JSON, got ${contentType}`);
      body = JSON.parse(JSON.stringify(req.data ?? {})) as Json;
      errors.push(...openApi.validate(file, op.bodySchemaPointer as string, body));
      errors.push(
        ...openApi
          .unknownKeys(file, openApi.resolve(file, op.bodySchemaPointer as string), body)
          .map((k) => `unknown body field ${k}`),
      );
    }
    return { body, query, errors };
  }

  /** Who the request authenticates as (the account, or an API key's SID), or undefined. */
  function authenticate(req: StandInRequest): string | undefined {
    if (req.username === accountSid && req.password === credentials.authToken) return accountSid;
    if (req.username === credentials.apiKey && req.password === credentials.apiSecret)
      return credentials.apiKey;
    const created = req.username === undefined ? undefined : state.keys.get(req.username);
    if (created !== undefined && req.password === created.secret) return req.username;
    return undefined;
  }

  function errorBody(status: number, code: number, message: string): Json {
    return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
  }

  async function request(req: StandInRequest): Promise<StandInResponse> {
    const url = new URL(req.uri);
    const method = req.method.toUpperCase();
    const path = url.pathname;
    const record: CallRecord = { method, host: url.host, path, status: 0, write: method !== "GET" };
    calls.push(record);
    const headers = { "content-type": "application/json" };
    const faultIndex = faults.findIndex((f) => matches({ method, path }, f.match));
    const injected = faultIndex >= 0 ? faults[faultIndex] : undefined;
    if (injected) {
      injected.times = (injected.times ?? 1) - 1;
      if (injected.times <= 0) faults.splice(faultIndex, 1);
    }
    const failWith = (fault: Fault): StandInResponse => {
      if (fault.timeout) {
        record.status = "timeout";
        record.fault = "timeout";
        throw Object.assign(new Error("timeout of 30000ms exceeded"), { code: "ECONNABORTED" });
      }
      const status = fault.status ?? 500;
      record.status = status;
      record.fault = String(status);
      const code = status === 429 ? 20429 : 20500;
      const message =
        status === 429 ? "Too Many Requests" : "An internal server error has occurred";
      return { statusCode: status, body: errorBody(status, code, message), headers };
    };
    if (injected && !injected.afterApply) return failWith(injected);
    const who = authenticate(req);
    // Standard API keys cannot manage keys: only the auth token (or a Main key) reaches /Keys.
    const keysPath = /^\/2010-04-01\/Accounts\/[^/]+\/Keys(\.json|\/)/.test(path);
    if (who === undefined || (keysPath && who !== accountSid)) {
      record.status = 401;
      return { statusCode: 401, body: errorBody(401, 20003, "Authenticate"), headers };
    }
    caller = who;
    const found = openApi.match(method, url.host, path);
    if (!found) {
      const status = openApi.pathExists(url.host, path) ? 405 : 404;
      violations.push(
        `${method} ${url.host}${path}: no such operation in Twilio's OpenAPI description`,
      );
      record.status = status;
      return {
        statusCode: status,
        body: errorBody(
          status,
          status === 404 ? 20404 : 20004,
          `${method} ${path} is not a Twilio API operation`,
        ),
        headers,
      };
    }
    record.operationId = found.op.operationId;
    const { body, query, errors } = validateRequest(found.op, req, url, found.pathParams);
    record.body = body;
    if (errors.length > 0) {
      violations.push(`${method} ${path} (${found.op.operationId}): ${errors.join("; ")}`);
      record.status = 400;
      return {
        statusCode: 400,
        body: errorBody(400, 20001, `Invalid request: ${errors.join("; ")}`),
        headers,
      };
    }
    let result: { status: number; body?: Json };
    try {
      result = handlers[found.op.operationId](found.pathParams, body, query, url.host, path);
    } catch (err) {
      if (!(err instanceof StandInHttpError)) throw err;
      record.status = err.status;
      return {
        statusCode: err.status,
        body: errorBody(err.status, err.code, err.message),
        headers,
      };
    }
    record.status = result.status;
    const pointer = found.op.responsePointers[String(result.status)];
    if (!(String(result.status) in found.op.responsePointers)) {
      violations.push(
        `${found.op.operationId} answered ${result.status}, which its description does not list`,
      );
    } else if (pointer) {
      const problems = openApi.validate(found.op.specFile, pointer, result.body);
      if (problems.length > 0) {
        const text = `stand-in response for ${found.op.operationId} breaks the schema: ${problems.join("; ")}`;
        violations.push(text);
        throw new Error(text);
      }
    }
    // The request was applied; only its answer is lost.
    if (injected?.afterApply) return failWith(injected);
    return {
      statusCode: result.status,
      body: result.body === undefined ? undefined : JSON.parse(JSON.stringify(result.body)),
      headers,
    };
  }

  const httpClient = { request };

  /** Serves a `fetch` call: Basic auth and form or JSON bodies become the SDK's request options. */
  const standInFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const uri = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    const basic = /^Basic\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
    const [username, ...rest] = basic
      ? Buffer.from(basic[1], "base64").toString("utf8").split(":")
      : [];
    const contentType = headers.get("content-type") ?? undefined;
    const text =
      typeof init?.body === "string" || init?.body instanceof URLSearchParams
        ? init.body.toString()
        : undefined;
    let data: unknown;
    if (text !== undefined && contentType === "application/x-www-form-urlencoded") {
      const form = new URLSearchParams(text);
      const fields: Record<string, string | string[]> = {};
      for (const key of new Set(form.keys())) {
        const values = form.getAll(key);
        fields[key] = values.length === 1 ? values[0] : values;
      }
      data = fields;
    } else if (text !== undefined) {
      data = JSON.parse(text) as unknown;
    }
    let answer: StandInResponse;
    try {
      answer = await request({
        method: init?.method ?? "GET",
        uri,
        username,
        password: basic ? rest.join(":") : undefined,
        headers: contentType ? { "Content-Type": contentType } : {},
        data,
      });
    } catch (err) {
      // What fetch raises when AbortSignal.timeout fires.
      if ((err as { code?: unknown }).code === "ECONNABORTED")
        throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      throw err;
    }
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.statusCode,
      headers: answer.headers,
    });
  };

  const clientFactory: TwilioStandIn["clientFactory"] = (creds) => {
    const opts = {
      accountSid: creds.accountSid,
      httpClient: httpClient as unknown as twilio.RequestClient,
    };
    if (creds.apiKey && creds.apiSecret) return twilio(creds.apiKey, creds.apiSecret, opts);
    return twilio(creds.accountSid, creds.authToken, opts);
  };

  const standIn: TwilioStandIn = {
    accountSid,
    credentials,
    httpClient,
    clientFactory,
    client: () => clientFactory({ accountSid, authToken: credentials.authToken }),
    state,
    calls,
    violations,
    reads: (match) => calls.filter((c) => !c.write && matches(c, match)),
    writes: (match) => calls.filter((c) => c.write && matches(c, match)),
    countsByPath: () => {
      const out: Record<string, { reads: number; writes: number }> = {};
      for (const c of calls) {
        const key = `${c.method} ${c.path}`;
        out[key] ??= { reads: 0, writes: 0 };
        if (c.write) out[key].writes++;
        else out[key].reads++;
      }
      return out;
    },
    resetCalls: () => {
      calls.length = 0;
    },
    failNext: (fault) => {
      faults.push({ ...fault, times: fault.times ?? 1 });
    },
    seedSender: (opts) => {
      const sid = opts.sid ?? fakeSid("XE");
      state.senders.set(sid, {
        sid,
        status: opts.status ?? "ONLINE",
        sender_id: opts.number.startsWith("whatsapp:") ? opts.number : `whatsapp:${opts.number}`,
        configuration: {
          waba_id: opts.wabaId ?? "123456789012345",
          verification_method: "sms",
          verification_code: null,
          voice_application_sid: null,
        },
        webhook: opts.webhook ?? null,
        profile: opts.profile ?? { name: "Seeded Business" },
        properties: { quality_rating: "HIGH", messaging_limit: "1K" },
        offline_reasons: null,
      });
      return sid;
    },
    seedPhoneNumber: (number) => {
      const sid = fakeSid("PN");
      state.phoneNumbers.set(sid, { sid, phone_number: number });
      return sid;
    },
    seedService: (friendlyName) => {
      handlers.CreateService(
        {},
        { FriendlyName: friendlyName },
        {},
        "messaging.twilio.com",
        "/v1/Services",
      );
      return [...state.services.keys()].pop() as string;
    },
    seedTrigger: (opts) => {
      const result = handlers.CreateUsageTrigger(
        { AccountSid: accountSid },
        {
          CallbackUrl: opts.callbackUrl,
          TriggerValue: opts.triggerValue,
          UsageCategory: opts.usageCategory,
        },
        {},
        "api.twilio.com",
        "",
      );
      return String(result.body?.sid);
    },
    addToService: (serviceSid, senderSid) => {
      addMember(serviceSid, senderSid, senderSid.startsWith("PN") ? "phone" : "channel");
    },
    fetch: standInFetch,
    sentMessages: () => sent.map((record) => ({ ...record })),
    failSend: (fault) => {
      sendFaults.push({ ...fault, times: fault.times ?? 1 });
    },
    statusCallbacks,
    setApproval: (contentSid, status, rejectionReason = "") => {
      const approval = state.approvals.get(contentSid);
      if (!approval) throw new Error(`setApproval: ${contentSid} was never submitted for approval`);
      approval.status = status;
      approval.rejection_reason = rejectionReason;
    },
  };
  return standIn;
}

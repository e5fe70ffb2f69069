import * as pulumi from "@pulumi/pulumi";
import type {
  ChannelsSenderInstance,
  MessagingV2ChannelsSenderRequestsCreate,
  MessagingV2ChannelsSenderRequestsUpdate,
} from "twilio/lib/rest/messaging/v2/channelsSender";
import {
  callTwilio,
  configureTwilio,
  isNotFound,
  twilioApiError,
  twilioClient,
  type TwilioClient,
} from "./client";
import { checkLogo } from "./logo";
import { DISPLAY_NAME_MAX_LENGTH, VERIFICATION_CODE_PATTERN, VERTICALS } from "./senderRules";
import { differs, PROVIDER_VERSION, sameValue, type PropertyDiff } from "./state";
import {
  checkBoolean,
  checkEmail,
  checkEnum,
  checkHttpsUrl,
  checkSid,
  checkString,
  checkWhatsAppNumber,
  containsUnknown,
  toSenderId,
  UNKNOWN,
  type ValidationFailure,
} from "./validation";

/** Adopt an existing sender, by SID or by number (dynamic resources cannot be `pulumi import`ed). */
export interface WhatsAppSenderAdoptArgs {
  /** The sender's SID (XE...). */
  readonly sid?: pulumi.Input<string>;
  /** The sender's number, `whatsapp:+E164` or `+E164`. */
  readonly number?: pulumi.Input<string>;
}

/** Register a new sender with WhatsApp. */
export interface WhatsAppSenderRegisterArgs {
  /** The number to register, `whatsapp:+E164` or `+E164`. */
  readonly number: pulumi.Input<string>;
  /** The WhatsApp Business Account id (digits). */
  readonly wabaId: pulumi.Input<string>;
  /** How WhatsApp sends the verification code: sms or voice. */
  readonly verificationMethod: pulumi.Input<"sms" | "voice">;
  /** The code received; set it on a later `pulumi up`, once it has arrived. */
  readonly verificationCode?: pulumi.Input<string>;
  /** The display name; it cannot change after registration. */
  readonly displayName: pulumi.Input<string>;
}

/** The sender's own webhook (v2 `webhook`); methods are POST or PUT. */
export interface WhatsAppSenderWebhookArgs {
  /** URL for incoming messages (https). */
  readonly callbackUrl?: pulumi.Input<string>;
  /** Method for `callbackUrl`. */
  readonly callbackMethod?: pulumi.Input<"POST" | "PUT">;
  /** URL called when `callbackUrl` fails (https). */
  readonly fallbackUrl?: pulumi.Input<string>;
  /** Method for `fallbackUrl`. */
  readonly fallbackMethod?: pulumi.Input<"POST" | "PUT">;
  /** URL for message status callbacks (https). */
  readonly statusCallbackUrl?: pulumi.Input<string>;
  /** Method for `statusCallbackUrl`. */
  readonly statusCallbackMethod?: pulumi.Input<"POST" | "PUT" | "GET">;
}

/** The WhatsApp business profile shown to users. */
export interface WhatsAppSenderProfileArgs {
  /** "About" text, up to 139 characters. */
  readonly about?: pulumi.Input<string>;
  /** Business address, up to 256 characters. */
  readonly address?: pulumi.Input<string>;
  /** Business description, up to 512 characters. */
  readonly description?: pulumi.Input<string>;
  /** Business vertical, e.g. "Professional Services". */
  readonly vertical?: pulumi.Input<string>;
  /** Up to two https websites. */
  readonly websites?: pulumi.Input<pulumi.Input<string>[]>;
  /** Contact e-mail addresses. */
  readonly emails?: pulumi.Input<pulumi.Input<string>[]>;
  /** Public https URL of the logo (JPG or PNG, at least 640x640). */
  readonly logoUrl?: pulumi.Input<string>;
  /** Local copy of the logo published at `logoUrl`, checked before any call. */
  readonly logoFile?: pulumi.Input<string>;
}

/** A WhatsApp sender (Messaging v2 `Channels/Senders`): adopt or register, webhook, profile. */
export interface WhatsAppSenderArgs {
  /** Adopt an existing sender (exclusive with `register`). */
  readonly adopt?: pulumi.Input<WhatsAppSenderAdoptArgs>;
  /** Register a new sender (exclusive with `adopt`). */
  readonly register?: pulumi.Input<WhatsAppSenderRegisterArgs>;
  /** The sender's webhook; delete clears what was set here. */
  readonly webhook?: pulumi.Input<WhatsAppSenderWebhookArgs>;
  /** The WhatsApp business profile. */
  readonly profile?: pulumi.Input<WhatsAppSenderProfileArgs>;
  /** Delete the sender in Twilio on destroy (default false: only detach the webhook). */
  readonly deleteOnDestroy?: pulumi.Input<boolean>;
}

/** Resolved `adopt`. */
export interface WhatsAppSenderAdopt {
  sid?: string;
  number?: string;
}

/** Resolved `register`. */
export interface WhatsAppSenderRegister {
  number: string;
  wabaId: string;
  verificationMethod: "sms" | "voice";
  verificationCode?: string;
  displayName: string;
}

/** Resolved `webhook`. */
export interface WhatsAppSenderWebhook {
  callbackUrl?: string;
  callbackMethod?: "POST" | "PUT";
  fallbackUrl?: string;
  fallbackMethod?: "POST" | "PUT";
  statusCallbackUrl?: string;
  statusCallbackMethod?: "POST" | "PUT" | "GET";
}

/** Resolved `profile`. */
export interface WhatsAppSenderProfile {
  about?: string;
  address?: string;
  description?: string;
  vertical?: string;
  websites?: string[];
  emails?: string[];
  logoUrl?: string;
  logoFile?: string;
}

/** Resolved inputs, as stored in state. */
export interface WhatsAppSenderInputs {
  adopt?: WhatsAppSenderAdopt;
  register?: WhatsAppSenderRegister;
  webhook?: WhatsAppSenderWebhook;
  profile?: WhatsAppSenderProfile;
  deleteOnDestroy?: boolean;
  /** Digest of `profile.logoFile`, added by check, so a new file re-sends the logo URL. */
  logoFileSha256?: string;
  providerVersion?: number;
}

/** Outputs: the inputs plus the SID, the registration status and the sender id. */
export interface WhatsAppSenderOutputs extends WhatsAppSenderInputs {
  sid: string;
  status: string;
  senderId: string;
}

/** The body Messaging v2 takes (snake_case, as on the wire). */
type Json = Record<string, unknown>;

const WEBHOOK_FIELDS: Record<keyof WhatsAppSenderWebhook, string> = {
  callbackUrl: "callback_url",
  callbackMethod: "callback_method",
  fallbackUrl: "fallback_url",
  fallbackMethod: "fallback_method",
  statusCallbackUrl: "status_callback_url",
  statusCallbackMethod: "status_callback_method",
};

const PROFILE_FIELDS: Record<Exclude<keyof WhatsAppSenderProfile, "logoFile">, string> = {
  about: "about",
  address: "address",
  description: "description",
  vertical: "vertical",
  websites: "websites",
  emails: "emails",
  logoUrl: "logo_url",
};

/** Why a display name is refused once registered. */
export function displayNameChangeReason(from: string, to: string): string {
  return (
    `register.displayName cannot change after registration (registered as ${JSON.stringify(from)}, now ${JSON.stringify(to)}): ` +
    `WhatsApp ties the display name to the approved sender. Put back ${JSON.stringify(from)}; to rename, request a display ` +
    `name change for the sender in the Twilio Console (Meta reviews it), or register a new sender.`
  );
}

/** Whether two known numbers are the same sender, with or without the `whatsapp:` prefix. */
function sameNumber(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a === UNKNOWN || b === UNKNOWN)
    return false;
  return toSenderId(a) === toSenderId(b);
}

function checkAdopt(adopt: unknown): ValidationFailure[] {
  if (adopt === UNKNOWN) return [];
  if (adopt === null || typeof adopt !== "object")
    return [{ property: "adopt", reason: "adopt must be { sid } or { number }" }];
  const a = adopt as WhatsAppSenderAdopt;
  if (a.sid === undefined && a.number === undefined) {
    return [
      {
        property: "adopt",
        reason: "adopt needs the sender's sid (XE...) or its number (whatsapp:+E164)",
      },
    ];
  }
  return [
    ...checkSid("adopt.sid", a.sid, ["XE"], false),
    ...checkWhatsAppNumber("adopt.number", a.number, false),
  ];
}

function checkRegister(
  register: unknown,
  oldRegister: WhatsAppSenderRegister | undefined,
  oldDeleteOnDestroy: boolean | undefined,
): ValidationFailure[] {
  if (register === UNKNOWN) return [];
  if (register === null || typeof register !== "object")
    return [{ property: "register", reason: "register must be an object" }];
  const r = register as Partial<WhatsAppSenderRegister>;
  const failures = [
    ...checkWhatsAppNumber("register.number", r.number),
    ...checkEnum("register.verificationMethod", r.verificationMethod, ["sms", "voice"], true),
    ...checkString("register.displayName", r.displayName, {
      required: true,
      max: DISPLAY_NAME_MAX_LENGTH,
    }),
  ];
  if (r.wabaId !== UNKNOWN && (typeof r.wabaId !== "string" || !/^[0-9]{5,20}$/.test(r.wabaId))) {
    failures.push({
      property: "register.wabaId",
      reason:
        "register.wabaId must be the WhatsApp Business Account id: digits only, as shown in Meta Business Manager",
    });
  }
  if (
    r.verificationCode !== undefined &&
    r.verificationCode !== UNKNOWN &&
    (typeof r.verificationCode !== "string" || !VERIFICATION_CODE_PATTERN.test(r.verificationCode))
  ) {
    failures.push({
      property: "register.verificationCode",
      reason:
        "register.verificationCode must be the digits WhatsApp sent by SMS or voice (e.g. 123456)",
    });
  }
  const from = oldRegister?.displayName;
  if (
    from !== undefined &&
    typeof r.displayName === "string" &&
    r.displayName !== UNKNOWN &&
    r.displayName !== from
  ) {
    failures.push({
      property: "register.displayName",
      reason: displayNameChangeReason(from, r.displayName),
    });
  }
  // Another WABA for the same number replaces the sender, which only works if the old one is
  // deleted first (one sender per number), and destroy deletes only with deleteOnDestroy.
  if (
    oldRegister &&
    sameNumber(r.number, oldRegister.number) &&
    typeof r.wabaId === "string" &&
    r.wabaId !== UNKNOWN &&
    r.wabaId !== oldRegister.wabaId &&
    oldDeleteOnDestroy !== true
  ) {
    failures.push({
      property: "register.wabaId",
      reason:
        `register.wabaId changes from ${oldRegister.wabaId} for the same number, which means deleting the registered ` +
        "sender and registering it again: first run `pulumi up` with deleteOnDestroy: true (and the old wabaId), " +
        "then change wabaId",
    });
  }
  return failures;
}

function checkWebhook(webhook: unknown): ValidationFailure[] {
  if (webhook === undefined || webhook === null || webhook === UNKNOWN) return [];
  const w = webhook as WhatsAppSenderWebhook;
  return [
    ...checkHttpsUrl("webhook.callbackUrl", w.callbackUrl),
    // "Either POST or PUT." (twilio_messaging_v2.json, webhook.callback_method)
    ...checkEnum("webhook.callbackMethod", w.callbackMethod, ["POST", "PUT"]),
    ...checkHttpsUrl("webhook.fallbackUrl", w.fallbackUrl),
    ...checkEnum("webhook.fallbackMethod", w.fallbackMethod, ["POST", "PUT"]),
    ...checkHttpsUrl("webhook.statusCallbackUrl", w.statusCallbackUrl),
    ...checkEnum("webhook.statusCallbackMethod", w.statusCallbackMethod, ["POST", "PUT", "GET"]),
  ];
}

function checkProfile(profile: unknown): ValidationFailure[] {
  if (profile === undefined || profile === null || profile === UNKNOWN) return [];
  const p = profile as WhatsAppSenderProfile;
  // Limits of the WhatsApp business profile (Meta Cloud API, "Business Profiles" reference).
  const failures = [
    ...checkString("profile.about", p.about, { min: 1, max: 139 }),
    ...checkString("profile.address", p.address, { max: 256 }),
    ...checkString("profile.description", p.description, { max: 512 }),
    ...checkEnum("profile.vertical", p.vertical, VERTICALS),
  ];
  if (p.websites !== undefined && (p.websites as unknown) !== UNKNOWN) {
    if (!Array.isArray(p.websites) || p.websites.length > 2) {
      failures.push({
        property: "profile.websites",
        reason: "profile.websites takes at most 2 URLs (WhatsApp's limit)",
      });
    } else {
      p.websites.forEach((w, i) => {
        failures.push(
          ...checkHttpsUrl(`profile.websites[${i}]`, w, true),
          ...checkString(`profile.websites[${i}]`, w, { max: 256 }),
        );
      });
    }
  }
  if (p.emails !== undefined && (p.emails as unknown) !== UNKNOWN) {
    if (!Array.isArray(p.emails)) {
      failures.push({
        property: "profile.emails",
        reason: "profile.emails must be a list of e-mail addresses",
      });
    } else {
      p.emails.forEach((e, i) =>
        failures.push(
          ...checkEmail(`profile.emails[${i}]`, e),
          ...checkString(`profile.emails[${i}]`, e, { max: 128 }),
        ),
      );
    }
  }
  return failures;
}

/** Checks inputs (and reads the logo file) without calling Twilio; returns inputs with the logo digest. */
export async function validateWhatsAppSender(
  olds: Partial<WhatsAppSenderInputs>,
  news: WhatsAppSenderInputs,
): Promise<{ inputs: WhatsAppSenderInputs; failures: ValidationFailure[] }> {
  const failures: ValidationFailure[] = [];
  const hasAdopt = news.adopt !== undefined && news.adopt !== null;
  const hasRegister = news.register !== undefined && news.register !== null;
  if (hasAdopt === hasRegister) {
    failures.push({
      property: hasAdopt ? "register" : "adopt",
      reason: hasAdopt
        ? "set either adopt or register, not both"
        : "set adopt: { sid } or { number } to manage an existing sender, or register: { number, wabaId, verificationMethod, displayName } to register one",
    });
  }
  if (hasAdopt) failures.push(...checkAdopt(news.adopt));
  if (hasRegister) {
    failures.push(...checkRegister(news.register, olds.register, olds.deleteOnDestroy));
  }
  failures.push(
    ...checkWebhook(news.webhook),
    ...checkProfile(news.profile),
    ...checkBoolean("deleteOnDestroy", news.deleteOnDestroy),
  );
  const inputs: WhatsAppSenderInputs = { ...news };
  delete inputs.logoFileSha256;
  if (news.profile && news.profile !== (UNKNOWN as unknown)) {
    const logo = await checkLogo(news.profile.logoUrl, news.profile.logoFile);
    failures.push(...logo.failures);
    if (logo.sha256) inputs.logoFileSha256 = logo.sha256;
  }
  return { inputs, failures };
}

function nestedChanges(
  prefix: string,
  olds: object | undefined,
  news: object | undefined,
): string[] {
  if ((news as unknown) === UNKNOWN) return [prefix];
  const o = (olds ?? {}) as Record<string, unknown>;
  const n = (news ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])].sort();
  return keys.filter((k) => differs(o[k], n[k])).map((k) => `${prefix}.${k}`);
}

/**
 * Whether `adopt` names the sender the state already holds (by its SID, its number, or both),
 * judged from the state alone since diff makes no call. Naming it another way, or adopting the
 * sender the stack registered, is then no replacement: a replacement would adopt that same
 * sender, and the old resource's delete would then clear the webhook just set on it, or delete
 * the sender outright with deleteOnDestroy.
 */
function namesStateSender(olds: Partial<WhatsAppSenderOutputs>, adopt: unknown): boolean {
  if (!olds.sid || !olds.senderId || adopt === null || typeof adopt !== "object") return false;
  if (containsUnknown(adopt)) return false;
  const { sid, number } = adopt as WhatsAppSenderAdopt;
  if (sid === undefined && number === undefined) return false;
  return (
    (sid === undefined || sid === olds.sid) &&
    (number === undefined || toSenderId(number) === olds.senderId)
  );
}

/**
 * Which properties changed (nested, e.g. `webhook.callbackUrl`) and which replace the sender:
 * another adopt target, another registered number or WABA, or switching between adopt and
 * register, unless `adopt` names the very sender in the state. A display name change is an error.
 */
export function diffWhatsAppSender(
  olds: WhatsAppSenderInputs & Partial<WhatsAppSenderOutputs>,
  news: WhatsAppSenderInputs,
): PropertyDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  const sameSender = namesStateSender(olds, news.adopt);
  if (differs(olds.adopt, news.adopt)) {
    changed.push("adopt");
    if (!sameSender) replaces.push("adopt");
  }
  const oldReg = olds.register;
  const newReg = news.register;
  if (differs(oldReg, newReg)) {
    if (!oldReg || !newReg || newReg === (UNKNOWN as unknown)) {
      changed.push("register");
      // Adopting the sender the stack registered keeps managing it.
      if (!(sameSender && !newReg)) replaces.push("register");
    } else {
      if (
        typeof newReg.displayName === "string" &&
        newReg.displayName !== UNKNOWN &&
        newReg.displayName !== oldReg.displayName
      ) {
        throw new Error(displayNameChangeReason(oldReg.displayName, newReg.displayName));
      }
      const nested = nestedChanges("register", oldReg, newReg);
      changed.push(...nested);
      // The same number written with or without `whatsapp:` is the same sender.
      const numberMoved =
        nested.includes("register.number") && !sameNumber(oldReg.number, newReg.number);
      if (numberMoved) replaces.push("register.number");
      if (nested.includes("register.wabaId")) replaces.push("register.wabaId");
    }
  }
  changed.push(
    ...nestedChanges("webhook", olds.webhook, news.webhook),
    ...nestedChanges("profile", olds.profile, news.profile),
  );
  for (const key of ["logoFileSha256", "deleteOnDestroy", "providerVersion"] as const) {
    if (differs(olds[key], news[key])) changed.push(key);
  }
  return { changed, replaces };
}

/** Webhook URL fields: a removed one is cleared (null). */
const WEBHOOK_URLS: readonly string[] = ["callbackUrl", "fallbackUrl", "statusCallbackUrl"];

/**
 * The webhook part of a request for the given fields. A removed URL is sent as null to clear it;
 * a removed method is left as it is, since the API's method enums (POST, PUT) do not admit null.
 */
function webhookBody(webhook: WhatsAppSenderWebhook | undefined, fields: readonly string[]): Json {
  const body: Json = {};
  for (const field of fields as (keyof WhatsAppSenderWebhook)[]) {
    if (!(field in WEBHOOK_FIELDS)) continue;
    const value = webhook?.[field];
    if (value !== undefined && value !== null) body[WEBHOOK_FIELDS[field]] = value;
    else if (WEBHOOK_URLS.includes(field)) body[WEBHOOK_FIELDS[field]] = null;
  }
  return body;
}

function profileValue(
  field: keyof typeof PROFILE_FIELDS,
  profile: WhatsAppSenderProfile | undefined,
): unknown {
  const value = profile?.[field];
  if (value === undefined) return null;
  // The API lists websites and emails as labelled objects.
  if (field === "websites")
    return (value as string[]).map((website) => ({ website, label: "Website" }));
  if (field === "emails") return (value as string[]).map((email) => ({ email, label: "Email" }));
  return value;
}

function profileBody(profile: WhatsAppSenderProfile | undefined, fields: readonly string[]): Json {
  const body: Json = {};
  for (const field of fields as (keyof typeof PROFILE_FIELDS)[]) {
    if (!(field in PROFILE_FIELDS)) continue;
    body[PROFILE_FIELDS[field]] = profileValue(field, profile);
  }
  return body;
}

function definedKeys(value: object | undefined): string[] {
  return Object.entries(value ?? {})
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k]) => k);
}

/** The update body for a diff, or undefined when Twilio needs no call. */
export function updateBodyFor(
  olds: WhatsAppSenderInputs,
  news: WhatsAppSenderInputs,
): Json | undefined {
  const { changed } = diffWhatsAppSender(olds, news);
  const sub = (prefix: string): string[] =>
    changed.filter((k) => k.startsWith(`${prefix}.`)).map((k) => k.slice(prefix.length + 1));
  const body: Json = {};
  const configuration: Json = {};
  const reg = sub("register");
  if (reg.includes("verificationCode") && news.register?.verificationCode)
    configuration.verification_code = news.register.verificationCode;
  if (reg.includes("verificationMethod") && news.register)
    configuration.verification_method = news.register.verificationMethod;
  if (Object.keys(configuration).length > 0) body.configuration = configuration;
  const webhook = webhookBody(news.webhook, sub("webhook"));
  if (Object.keys(webhook).length > 0) body.webhook = webhook;
  const profileFields = sub("profile");
  // A new logo file behind the same URL: send the URL again so WhatsApp fetches it again.
  if (
    changed.includes("logoFileSha256") &&
    news.profile?.logoUrl &&
    !profileFields.includes("logoUrl")
  )
    profileFields.push("logoUrl");
  const profile = profileBody(news.profile, profileFields);
  if (Object.keys(profile).length > 0) body.profile = profile;
  return Object.keys(body).length > 0 ? body : undefined;
}

/**
 * A live section as Twilio reports it: a field it does not hold is null, never undefined, since
 * `read`'s outputs cross a protobuf Struct, which has no undefined (the dynamic-provider host fails
 * with "Unexpected struct type").
 */
type Live<T> = { [K in keyof T]-?: T[K] | null };

function liveWebhook(sender: ChannelsSenderInstance): Live<WhatsAppSenderWebhook> {
  const w = sender.webhook;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(WEBHOOK_FIELDS) as (keyof WhatsAppSenderWebhook)[])
    out[key] = w?.[key] ?? null;
  return out as Live<WhatsAppSenderWebhook>;
}

/** A profile list entry as text: Twilio answers `{ website, label }` objects, older answers plain strings. */
function listEntry(entry: unknown, field: "website" | "email"): string {
  if (typeof entry === "string") return entry;
  const value = (entry as Record<string, unknown> | null)?.[field];
  return typeof value === "string" ? value : "";
}

function liveProfile(
  sender: ChannelsSenderInstance,
): Live<Omit<WhatsAppSenderProfile, "logoFile">> {
  const p = sender.profile;
  return {
    about: p?.about ?? null,
    address: p?.address ?? null,
    description: p?.description ?? null,
    vertical: p?.vertical ?? null,
    logoUrl: p?.logoUrl ?? null,
    websites: p?.websites ? p.websites.map((w) => listEntry(w, "website")) : null,
    emails: p?.emails ? p.emails.map((e) => listEntry(e, "email")) : null,
  };
}

/** The sender with the given SID, or with the given number, or undefined. */
async function findSender(
  client: TwilioClient,
  adopt: WhatsAppSenderAdopt,
): Promise<ChannelsSenderInstance | undefined> {
  if (adopt.sid) {
    const sid = adopt.sid;
    try {
      return await callTwilio(
        "fetch WhatsApp sender",
        () => client.messaging.v2.channelsSenders(sid).fetch(),
        { idempotent: true },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  const senderId = toSenderId(adopt.number as string);
  const senders = await callTwilio(
    "list WhatsApp senders",
    () => client.messaging.v2.channelsSenders.list({ channel: "whatsapp" }),
    {
      idempotent: true,
    },
  );
  return senders.find((s) => s.senderId === senderId);
}

async function updateSender(
  client: TwilioClient,
  sid: string,
  body: Json,
): Promise<ChannelsSenderInstance> {
  return callTwilio(
    "update WhatsApp sender",
    () =>
      client.messaging.v2
        .channelsSenders(sid)
        .update(body as unknown as MessagingV2ChannelsSenderRequestsUpdate),
    { idempotent: true },
  );
}

function pickInputs(inputs: WhatsAppSenderInputs): WhatsAppSenderInputs {
  const out: WhatsAppSenderInputs = { providerVersion: PROVIDER_VERSION };
  for (const key of [
    "adopt",
    "register",
    "webhook",
    "profile",
    "deleteOnDestroy",
    "logoFileSha256",
  ] as const) {
    if (inputs[key] !== undefined) (out as Record<string, unknown>)[key] = inputs[key];
  }
  return out;
}

async function adoptSender(
  client: TwilioClient,
  inputs: WhatsAppSenderInputs,
): Promise<ChannelsSenderInstance> {
  const adopt = inputs.adopt as WhatsAppSenderAdopt;
  const found = await findSender(client, adopt);
  if (!found) {
    const what = adopt.sid ? `SID ${adopt.sid}` : `number ${toSenderId(adopt.number as string)}`;
    throw twilioApiError(
      `No WhatsApp sender with ${what} in this Twilio account: check the value (Console > Messaging > Senders > WhatsApp senders), or use register: {...} to register the number`,
      { status: 404, code: 20404 },
    );
  }
  if (adopt.sid && adopt.number && found.senderId !== toSenderId(adopt.number)) {
    throw twilioApiError(
      `WhatsApp sender ${adopt.sid} is ${found.senderId}, not ${toSenderId(adopt.number)}: fix adopt.sid or adopt.number`,
      { status: 400 },
    );
  }
  // Only what differs from the live sender is sent, so adopting a configured sender writes nothing.
  const live = { webhook: liveWebhook(found), profile: liveProfile(found) };
  const webhookFields = definedKeys(inputs.webhook).filter(
    (k) =>
      !sameValue(
        live.webhook[k as keyof WhatsAppSenderWebhook],
        inputs.webhook?.[k as keyof WhatsAppSenderWebhook],
      ),
  );
  const profileFields = definedKeys(inputs.profile).filter(
    (k) =>
      k !== "logoFile" &&
      !sameValue(
        live.profile[k as keyof typeof live.profile],
        inputs.profile?.[k as keyof WhatsAppSenderProfile],
      ),
  );
  const body: Json = {};
  if (webhookFields.length > 0) body.webhook = webhookBody(inputs.webhook, webhookFields);
  if (profileFields.length > 0) body.profile = profileBody(inputs.profile, profileFields);
  return Object.keys(body).length > 0 ? updateSender(client, found.sid, body) : found;
}

async function registerSender(
  client: TwilioClient,
  inputs: WhatsAppSenderInputs,
): Promise<ChannelsSenderInstance> {
  const reg = inputs.register as WhatsAppSenderRegister;
  const configuration: Json = { waba_id: reg.wabaId, verification_method: reg.verificationMethod };
  if (reg.verificationCode) configuration.verification_code = reg.verificationCode;
  const body: Json = {
    sender_id: toSenderId(reg.number),
    configuration,
    profile: { name: reg.displayName, ...profileBody(inputs.profile, definedKeys(inputs.profile)) },
  };
  const webhook = webhookBody(inputs.webhook, definedKeys(inputs.webhook));
  if (Object.keys(webhook).length > 0) body.webhook = webhook;
  try {
    // The SDK sends the object as the JSON body unchanged, so it is built in the API's snake_case.
    return await callTwilio(
      "register WhatsApp sender",
      () =>
        client.messaging.v2.channelsSenders.create(
          body as unknown as MessagingV2ChannelsSenderRequestsCreate,
        ),
      { idempotent: false },
    );
  } catch (err) {
    // A number that already has a sender (registered in the Console, or by a run whose state was
    // lost) is better adopted than registered again: say so, with its SID.
    const existing = await findSender(client, { number: reg.number }).catch(() => undefined);
    if (!existing) throw err;
    throw twilioApiError(
      `${toSenderId(reg.number)} already has WhatsApp sender ${existing.sid} (status ${existing.status}): ` +
        `adopt it with adopt: { sid: "${existing.sid}" } instead of register. ${(err as Error).message}`,
      { status: (err as { status?: number }).status, code: (err as { code?: number }).code },
    );
  }
}

/** The dynamic provider for WhatsAppSender. */
export const whatsAppSenderProvider: pulumi.dynamic.ResourceProvider<
  WhatsAppSenderInputs,
  WhatsAppSenderOutputs
> = {
  async configure(req) {
    await configureTwilio(req);
  },

  async check(olds, news) {
    return validateWhatsAppSender(olds ?? {}, news);
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffWhatsAppSender(olds, news);
    // Re-registering the same number must delete the old sender first (one sender per number).
    return {
      changes: changed.length > 0,
      replaces,
      deleteBeforeReplace:
        replaces.length > 0 && sameNumber(olds.register?.number, news.register?.number),
    };
  },

  async create(inputs) {
    const client = twilioClient();
    const sender = inputs.register
      ? await registerSender(client, inputs)
      : await adoptSender(client, inputs);
    const outs = {
      ...pickInputs(inputs),
      sid: sender.sid,
      status: sender.status,
      senderId: sender.senderId,
    } satisfies WhatsAppSenderOutputs;
    return { id: sender.sid, outs };
  },

  async read(id, props) {
    const client = twilioClient();
    let live: ChannelsSenderInstance;
    try {
      live = await callTwilio(
        "fetch WhatsApp sender",
        () => client.messaging.v2.channelsSenders(id).fetch(),
        { idempotent: true },
      );
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
    const outs = {
      ...(props as WhatsAppSenderOutputs),
      sid: live.sid,
      status: live.status,
      senderId: live.senderId,
    } satisfies WhatsAppSenderOutputs;
    // Managed webhook and profile fields take their live values, so drift shows at the next up.
    const webhook = liveWebhook(live);
    const profile = liveProfile(live);
    if (props?.webhook)
      outs.webhook = Object.fromEntries(
        definedKeys(props.webhook).map((k) => [k, webhook[k as keyof WhatsAppSenderWebhook]]),
      );
    if (props?.profile) {
      outs.profile = Object.fromEntries(
        definedKeys(props.profile).map((k) => [
          k,
          k === "logoFile" ? props.profile?.logoFile : profile[k as keyof typeof profile],
        ]),
      );
    }
    return { id: live.sid, props: outs };
  },

  async update(id, olds, news) {
    const body = updateBodyFor(olds, news);
    const sid = olds.sid ?? id;
    let status = olds.status;
    let senderId = olds.senderId;
    if (body) {
      const sender = await updateSender(twilioClient(), sid, body);
      status = sender.status ?? status;
      senderId = sender.senderId ?? senderId;
    }
    const outs = { ...pickInputs(news), sid, status, senderId } satisfies WhatsAppSenderOutputs;
    return { outs };
  },

  async delete(id, props) {
    const client = twilioClient();
    const sid = props?.sid ?? id;
    try {
      if (props?.deleteOnDestroy === true) {
        await callTwilio(
          "delete WhatsApp sender",
          () => client.messaging.v2.channelsSenders(sid).remove(),
          { idempotent: true },
        );
        return;
      }
      // Detach only what is still this stack's: a webhook URL the stack set is cleared only while
      // Twilio still holds that URL, so a sender someone has since pointed elsewhere keeps its
      // webhook. The sender, its number and its profile stay.
      const urls = definedKeys(props?.webhook).filter((k) => WEBHOOK_URLS.includes(k));
      if (urls.length === 0) return;
      const live = liveWebhook(
        await callTwilio(
          "fetch WhatsApp sender",
          () => client.messaging.v2.channelsSenders(sid).fetch(),
          { idempotent: true },
        ),
      );
      const ours = urls.filter(
        (k) =>
          live[k as keyof WhatsAppSenderWebhook] ===
          props?.webhook?.[k as keyof WhatsAppSenderWebhook],
      );
      if (ours.length > 0)
        await updateSender(client, sid, { webhook: webhookBody(undefined, ours) });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

/** A WhatsApp sender (adopted or registered) with its webhook and business profile. */
export class WhatsAppSender extends pulumi.dynamic.Resource {
  /** The sender SID (XE...). */
  declare readonly sid: pulumi.Output<string>;
  /** Registration status, e.g. PENDING_VERIFICATION, VERIFYING, ONLINE. */
  declare readonly status: pulumi.Output<string>;
  /** The sender's address, `whatsapp:+E164`. */
  declare readonly senderId: pulumi.Output<string>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: WhatsAppSenderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      whatsAppSenderProvider,
      name,
      {
        ...args,
        providerVersion: PROVIDER_VERSION,
        sid: undefined,
        status: undefined,
        senderId: undefined,
      },
      opts,
      "twilio",
      "WhatsAppSender",
    );
  }
}

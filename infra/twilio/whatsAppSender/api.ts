import type {
  ChannelsSenderInstance,
  MessagingV2ChannelsSenderRequestsCreate,
  MessagingV2ChannelsSenderRequestsUpdate,
} from "twilio/lib/rest/messaging/v2/channelsSender";
import { callTwilio, isNotFound, twilioApiError, type TwilioClient } from "../client";
import { PROVIDER_VERSION, sameValue } from "../state";
import { toSenderId } from "../validation";
import type {
  WhatsAppSenderAdopt,
  WhatsAppSenderInputs,
  WhatsAppSenderProfile,
  WhatsAppSenderRegister,
  WhatsAppSenderWebhook,
} from "./types";
import { diffWhatsAppSender } from "./diff";

/** The body Messaging v2 takes (snake_case, as on the wire). */
export type Json = Record<string, unknown>;

/** Each webhook field's name on the wire. */
export const WEBHOOK_FIELDS: Record<keyof WhatsAppSenderWebhook, string> = {
  callbackUrl: "callback_url",
  callbackMethod: "callback_method",
  fallbackUrl: "fallback_url",
  fallbackMethod: "fallback_method",
  statusCallbackUrl: "status_callback_url",
  statusCallbackMethod: "status_callback_method",
};

/** Each profile field's name on the wire (the logo file is local only). */
export const PROFILE_FIELDS: Record<Exclude<keyof WhatsAppSenderProfile, "logoFile">, string> = {
  about: "about",
  address: "address",
  description: "description",
  vertical: "vertical",
  websites: "websites",
  emails: "emails",
  logoUrl: "logo_url",
};

/** The webhook fields that hold URLs (delete clears only those this stack set). */
export const WEBHOOK_URLS: readonly string[] = ["callbackUrl", "fallbackUrl", "statusCallbackUrl"];

/**
 * The webhook part of a request for the given fields. A removed URL is sent as null to clear it;
 * a removed method is left as it is, since the API's method enums (POST, PUT) do not admit null.
 */
export function webhookBody(
  webhook: WhatsAppSenderWebhook | undefined,
  fields: readonly string[],
): Json {
  const body: Json = {};
  for (const field of fields as (keyof WhatsAppSenderWebhook)[]) {
    if (!(field in WEBHOOK_FIELDS)) continue;
    const value = webhook?.[field];
    if (value !== undefined && value !== null) body[WEBHOOK_FIELDS[field]] = value;
    else if (WEBHOOK_URLS.includes(field)) body[WEBHOOK_FIELDS[field]] = null;
  }
  return body;
}

/** A profile field as the API takes it (websites and e-mails as objects). */
export function profileValue(
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

/** The `profile` body for the given fields. */
export function profileBody(
  profile: WhatsAppSenderProfile | undefined,
  fields: readonly string[],
): Json {
  const body: Json = {};
  for (const field of fields as (keyof typeof PROFILE_FIELDS)[]) {
    if (!(field in PROFILE_FIELDS)) continue;
    body[PROFILE_FIELDS[field]] = profileValue(field, profile);
  }
  return body;
}

/** The keys of `value` that are set. */
export function definedKeys(value: object | undefined): string[] {
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

/** The webhook as Twilio holds it, every field present (null when unset). */
export function liveWebhook(sender: ChannelsSenderInstance): Live<WhatsAppSenderWebhook> {
  const w = sender.webhook;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(WEBHOOK_FIELDS) as (keyof WhatsAppSenderWebhook)[])
    out[key] = w?.[key] ?? null;
  return out as Live<WhatsAppSenderWebhook>;
}

/** A profile list entry as text: Twilio answers `{ website, label }` objects, older answers plain strings. */
export function listEntry(entry: unknown, field: "website" | "email"): string {
  if (typeof entry === "string") return entry;
  const value = (entry as Record<string, unknown> | null)?.[field];
  return typeof value === "string" ? value : "";
}

/** The profile as Twilio holds it, every field present (null when unset). */
export function liveProfile(
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
export async function findSender(
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

/** Updates a sender (idempotent, so retried). */
export async function updateSender(
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

/** The inputs kept in state, stamped with the provider version. */
export function pickInputs(inputs: WhatsAppSenderInputs): WhatsAppSenderInputs {
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

/** Finds the sender to adopt and sends only what differs from it. */
export async function adoptSender(
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

/** Registers a new sender, pointing at an existing one when Twilio says the number has it. */
export async function registerSender(
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

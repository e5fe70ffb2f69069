import { BadRequestError } from "./errors";
import type { FormParams } from "./request";

/** Kinds of media a WhatsApp user can send and the bot acknowledges. */
export type MediaKind = "image" | "audio" | "video" | "document";

/** One attachment as Twilio announces it: MediaUrlN and MediaContentTypeN. */
export interface TwilioMedia {
  /** Kind derived from the content type. */
  kind: MediaKind;
  /** MIME type Twilio reports, e.g. `image/jpeg`. */
  contentType: string;
  /** Twilio-hosted URL of the media (fetching it needs the account's credentials). */
  url: string;
}

/** Why an attachment was not stored: over the size limit, a type not allowed, or a failed copy. */
export type MediaRefusal = "too-large" | "type-not-allowed" | "failed";

/**
 * One attachment as the bot sees it: where the stack stored it, or why it did not. Twilio's URL
 * is not passed on (it needs the account's credentials, and Twilio may delete it after the copy).
 */
export interface MediaItem {
  /** Kind derived from the content type. */
  kind: MediaKind;
  /** MIME type Twilio reports, e.g. `image/jpeg`. */
  contentType: string;
  /** The object's key in the media bucket (`<conversation>/<MessageSid>/<n>.<ext>`), once stored. */
  key?: string;
  /** Why it was not stored; both this and `key` are absent when the stack stores no media. */
  notStored?: MediaRefusal;
}

/** Who wrote: the WhatsApp address plus the WhatsApp-specific sender fields. */
export interface Sender {
  /** `From`, e.g. `whatsapp:+34600111222`. */
  address: string;
  /** `WaId`: the sender's WhatsApp id (their number without `+`), when Twilio sends it. */
  waId?: string;
  /** `ProfileName`: the sender's WhatsApp profile name, when shared. */
  profileName?: string;
}

/** Fields every incoming message has. */
interface MessageBase {
  /** `MessageSid`: Twilio's id for this inbound message (the idempotency key). */
  messageSid: string;
  /** Who wrote. */
  from: Sender;
  /** `To`: the bot's WhatsApp address. */
  to: string;
  /** `Body`: the text or caption; empty when there is none. */
  body: string;
}

/** A plain text message. */
export interface TextMessage extends MessageBase {
  kind: "text";
}

/** A message carrying media; `body` is the caption. */
export interface MediaMessage<M = MediaItem> extends MessageBase {
  kind: MediaKind;
  /** Every attachment, in Twilio's order (MediaUrl0, MediaUrl1, ...). */
  media: M[];
}

/** A shared location pin. */
export interface LocationMessage extends MessageBase {
  kind: "location";
  /** `Latitude` in degrees. */
  latitude: number;
  /** `Longitude` in degrees. */
  longitude: number;
  /** `Address` of a shared place, when it has one. */
  address?: string;
  /** `Label`: the place name, when it has one. */
  label?: string;
}

/** A tap on a quick-reply button of a template or rich message. */
export interface ButtonMessage extends MessageBase {
  kind: "button";
  /** `ButtonText`: the label the user saw. */
  text: string;
  /** `ButtonPayload`: the id the sender attached to the button (falls back to the text). */
  payload: string;
}

/** Anything else (stickers, contacts, reactions, future types): handled politely, never a crash. */
export interface UnsupportedMessage<M = MediaItem> extends MessageBase {
  kind: "unsupported";
  /** `MessageType` as Twilio sent it, or `unknown`. */
  messageType: string;
  /** Any media that came with it. */
  media: M[];
}

/**
 * A typed incoming WhatsApp message; `M` is how its attachments look: {@link MediaItem} (stored,
 * what the bot sees) by default, {@link TwilioMedia} as parsed from the webhook.
 */
export type IncomingMessage<M = MediaItem> =
  TextMessage | MediaMessage<M> | LocationMessage | ButtonMessage | UnsupportedMessage<M>;

/** A message as Twilio's webhook delivered it: attachments still at Twilio's URLs. */
export type ReceivedMessage = IncomingMessage<TwilioMedia>;

/** A delivery status callback for a message the bot sent. */
export interface StatusCallback {
  /** `MessageSid` of the outbound message. */
  messageSid: string;
  /** `MessageStatus`, lower-cased; may be a status this code does not know yet. */
  status: string;
  /** `ErrorCode` when delivery failed. */
  errorCode?: string;
  /** `To`: the recipient, when sent. */
  to?: string;
}

/** Twilio SIDs: two upper-case letters and 32 hex digits. */
export const SID_PATTERN = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
/** Twilio attaches at most 10 media to one message. */
export const MAX_MEDIA = 10;

function single(params: FormParams, name: string): string | undefined {
  const value = params[name];
  if (Array.isArray(value)) throw new BadRequestError(`field ${name} is repeated`);
  return value;
}

function required(params: FormParams, name: string): string {
  const value = single(params, name);
  if (value === undefined || value.trim() === "") {
    throw new BadRequestError(`field ${name} is missing`);
  }
  return value;
}

function optional(params: FormParams, name: string): string | undefined {
  const value = single(params, name);
  return value === undefined || value === "" ? undefined : value;
}

function messageSid(params: FormParams): string {
  const sid = required(params, "MessageSid");
  if (!SID_PATTERN.test(sid)) throw new BadRequestError("field MessageSid is not a Twilio SID");
  return sid;
}

/** Maps a MIME type to the media kind the bot talks about; anything not image/audio/video is a document. */
export function mediaKindOf(contentType: string): MediaKind {
  const type = contentType.split("/")[0].trim().toLowerCase();
  return type === "image" || type === "audio" || type === "video" ? type : "document";
}

function parseMedia(params: FormParams): TwilioMedia[] {
  const raw = optional(params, "NumMedia") ?? "0";
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > MAX_MEDIA) {
    throw new BadRequestError("field NumMedia is not a count from 0 to 10");
  }
  const media: TwilioMedia[] = [];
  for (let i = 0; i < Number(raw); i++) {
    const url = required(params, `MediaUrl${i}`);
    if (!/^https?:\/\/\S+$/i.test(url))
      throw new BadRequestError(`field MediaUrl${i} is not a URL`);
    const contentType = required(params, `MediaContentType${i}`).trim().toLowerCase();
    if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+/.test(contentType)) {
      throw new BadRequestError(`field MediaContentType${i} is not a MIME type`);
    }
    media.push({ kind: mediaKindOf(contentType), contentType, url });
  }
  return media;
}

function coordinate(params: FormParams, name: string, limit: number): number {
  const raw = required(params, name).trim();
  const value = Number(raw);
  if (!/^[-+]?\d+(\.\d+)?$/.test(raw) || Math.abs(value) > limit) {
    throw new BadRequestError(`field ${name} is not a coordinate`);
  }
  return value;
}

const MEDIA_TYPES = new Set<string>(["image", "audio", "video", "document"]);

/**
 * Parses Twilio's incoming-message webhook fields into a typed message. Uses `MessageType` when
 * Twilio sends it and otherwise infers the kind from the fields present, so older payloads work.
 * Field names: https://www.twilio.com/docs/messaging/guides/webhook-request (WhatsApp section).
 */
export function parseIncomingMessage(params: FormParams): ReceivedMessage {
  const base: MessageBase = {
    messageSid: messageSid(params),
    from: {
      address: required(params, "From"),
      waId: optional(params, "WaId"),
      profileName: optional(params, "ProfileName"),
    },
    to: optional(params, "To") ?? "",
    body: single(params, "Body") ?? "",
  };
  const media = parseMedia(params);
  const declared = (optional(params, "MessageType") ?? "").trim().toLowerCase();
  const buttonText = optional(params, "ButtonText");
  const buttonPayload = optional(params, "ButtonPayload");

  if (declared === "location" || (!declared && optional(params, "Latitude") !== undefined)) {
    return {
      ...base,
      kind: "location",
      latitude: coordinate(params, "Latitude", 90),
      longitude: coordinate(params, "Longitude", 180),
      address: optional(params, "Address"),
      label: optional(params, "Label"),
    };
  }
  if (declared === "button" || (!declared && (buttonText || buttonPayload))) {
    const text = buttonText ?? base.body;
    const payload = buttonPayload ?? text;
    if (!payload) throw new BadRequestError("field ButtonPayload is missing");
    return { ...base, kind: "button", text, payload };
  }
  if (declared && declared !== "text" && !MEDIA_TYPES.has(declared)) {
    return { ...base, kind: "unsupported", messageType: declared, media };
  }
  if (media.length > 0) {
    const kind = MEDIA_TYPES.has(declared) ? (declared as MediaKind) : media[0].kind;
    return { ...base, kind, media };
  }
  if (MEDIA_TYPES.has(declared))
    throw new BadRequestError("field NumMedia is 0 for a media message");
  if (base.body === "") {
    return { ...base, kind: "unsupported", messageType: declared || "unknown", media };
  }
  return { ...base, kind: "text" };
}

/** Parses a status callback; any non-empty MessageStatus token is kept, known or not. */
export function parseStatusCallback(params: FormParams): StatusCallback {
  const status = required(params, "MessageStatus").trim().toLowerCase();
  if (!/^[a-z][a-z_-]{0,39}$/.test(status)) {
    throw new BadRequestError("field MessageStatus is not a status name");
  }
  const errorCode = optional(params, "ErrorCode");
  if (errorCode !== undefined && !/^\d{1,10}$/.test(errorCode)) {
    throw new BadRequestError("field ErrorCode is not a number");
  }
  return { messageSid: messageSid(params), status, errorCode, to: optional(params, "To") };
}

/** The stable id of a conversation: the WhatsApp id when Twilio sends it, else the From address. */
export function conversationId(sender: Sender): string {
  return sender.waId ? `wa:${sender.waId}` : sender.address;
}

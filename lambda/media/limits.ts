/**
 * What the stack accepts into its media bucket. The defaults follow WhatsApp's documented media
 * types and sizes (Meta's Cloud API "Supported media types", mirrored at
 * https://docs.aws.amazon.com/social-messaging/latest/userguide/supported-media-types.html, and
 * Twilio's https://www.twilio.com/docs/whatsapp/guidance-whatsapp-media-messages): images 5 MB,
 * audio and video 16 MB, documents 100 MB, stickers (image/webp) 500 KB. 16 MB, Twilio's limit for
 * a WhatsApp message, is the default ceiling: it admits every image, audio and video a user can
 * send, and a larger document is refused politely rather than copied against the reply's timeout.
 */

/** Size and type limits for incoming media. */
export interface MediaLimits {
  /** Largest item stored, in bytes; a larger one is refused. */
  readonly maxBytes: number;
  /** MIME types stored (`type/subtype`, or `type/*` for a whole family); others are refused. */
  readonly allowedTypes: readonly string[];
}

/** 16 MiB: WhatsApp's limit for audio and video, and Twilio's for a whole WhatsApp message. */
export const DEFAULT_MEDIA_MAX_BYTES = 16 * 1024 * 1024;

/** 100 MiB: WhatsApp's largest item (a document); no higher limit is accepted. */
export const MEDIA_MAX_BYTES_CEILING = 100 * 1024 * 1024;

/** Every MIME type WhatsApp documents for incoming media, plus the vCard Twilio lists for contacts. */
export const DEFAULT_MEDIA_TYPES: readonly string[] = [
  "image/jpeg",
  "image/png",
  "image/webp",
  "audio/aac",
  "audio/amr",
  "audio/mpeg",
  "audio/mp4",
  "audio/ogg",
  "video/mp4",
  "video/3gpp",
  "application/pdf",
  "text/plain",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "text/vcard",
];

/** The limits used when the stack sets none. */
export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  maxBytes: DEFAULT_MEDIA_MAX_BYTES,
  allowedTypes: DEFAULT_MEDIA_TYPES,
};

/** A MIME type or a `type/*` family, as `whatsapp-bot:mediaAllowedTypes` takes them. */
export const MEDIA_TYPE_PATTERN = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*)$/;

/** A content type without its parameters, lower-cased: `Audio/OGG; codecs=opus` → `audio/ogg`. */
export function baseType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

/** Whether a content type is in the allowed list (exactly, or by a `type/*` entry). */
export function typeAllowed(contentType: string, allowed: readonly string[]): boolean {
  const type = baseType(contentType);
  const family = `${type.split("/")[0]}/*`;
  return allowed.some((entry) => entry === type || entry === family);
}

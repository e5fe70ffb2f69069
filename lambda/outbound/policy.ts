import { isWindowOpen } from "../conversation";
import type { Conversation } from "../store/store";
import {
  InvalidOutboundMessageError,
  OptedOutError,
  WindowClosedError,
  type OutboundError,
} from "./errors";
import type { OutboundMessage } from "./outbound";

/**
 * What may be sent, decided before Twilio is called: pure functions of the message, the stored
 * conversation and the time, so every rule is testable without a network.
 */

/** A WhatsApp address as the Messaging Service takes it: `whatsapp:` and an E.164 number. */
export const WHATSAPP_ADDRESS = /^whatsapp:\+[1-9][0-9]{1,14}$/;
/** A Content API template SID (the pattern of Twilio's error 21655 page). */
export const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;
/** Twilio's limit on `Body` ("up to 1,600 characters", twilio_api_v2010.json CreateMessage). */
export const MAX_BODY_CHARS = 1600;
/** Twilio's limit on `MediaUrl` values per message. */
export const MAX_MEDIA = 10;

/** A message that passed {@link validateOutboundMessage}: free-form text/media, or a template. */
export type SendKind = "freeform" | "template";

/** The decision for one send: which kind it is, or the error that refuses it. */
export type SendDecision =
  { allowed: true; kind: SendKind } | { allowed: false; error: OutboundError };

function invalid(field: string, message: string): InvalidOutboundMessageError {
  return new InvalidOutboundMessageError(field, message);
}

/** The message's shape: a refusal naming the field and the fix, or its kind when it is well-formed. */
export function validateOutboundMessage(
  message: OutboundMessage,
): SendKind | InvalidOutboundMessageError {
  if (typeof message.to !== "string" || !WHATSAPP_ADDRESS.test(message.to)) {
    return invalid("to", "must be a WhatsApp address such as whatsapp:+34600111222");
  }
  const hasBody = typeof message.body === "string" && message.body.trim() !== "";
  const media = message.mediaUrls ?? [];
  if (message.template !== undefined) {
    // Twilio's 63016 page: "Remove Body and MediaUrl when you send a content template".
    if (hasBody || media.length > 0) {
      return invalid("template", "send either a template or body/mediaUrls, not both");
    }
    const { contentSid, variables } = message.template;
    if (typeof contentSid !== "string" || !CONTENT_SID.test(contentSid)) {
      return invalid("template.contentSid", "must be a Content SID: HX followed by 32 hex digits");
    }
    for (const [name, value] of Object.entries(variables ?? {})) {
      if (name.trim() === "" || typeof value !== "string") {
        return invalid(
          `template.variables`,
          `each variable needs a name ("1", "2"…) and a string value; got ${JSON.stringify(name)}`,
        );
      }
    }
    return "template";
  }
  if (message.body !== undefined && typeof message.body !== "string") {
    return invalid("body", "must be a string");
  }
  if (!hasBody && media.length === 0) {
    return invalid("body", "give body text, mediaUrls or a template");
  }
  if (hasBody && [...(message.body as string)].length > MAX_BODY_CHARS) {
    return invalid("body", `is longer than Twilio's ${MAX_BODY_CHARS} characters; split it`);
  }
  if (media.length > MAX_MEDIA) {
    return invalid("mediaUrls", `Twilio takes at most ${MAX_MEDIA} media URLs per message`);
  }
  for (const url of media) {
    if (typeof url !== "string" || !/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(url)) {
      return invalid("mediaUrls", "each must be a public http(s) URL Twilio can fetch");
    }
  }
  return "freeform";
}

/**
 * Whether a message may be sent now: well-formed, to a user who has not opted out (nothing at all
 * then, templates included), and, for free-form text or media, inside the 24-hour window that the
 * user's last message opened. A template may be sent at any time.
 */
export function decideSend(
  message: OutboundMessage,
  conversation: Conversation | undefined,
  now: Date,
): SendDecision {
  const kind = validateOutboundMessage(message);
  if (kind instanceof InvalidOutboundMessageError) return { allowed: false, error: kind };
  if (conversation?.optedOutAt !== undefined) {
    return {
      allowed: false,
      error: new OptedOutError(
        `the user opted out at ${new Date(conversation.optedOutAt).toISOString()}: nothing is sent until they opt in again`,
        { refusedBy: "bot" },
      ),
    };
  }
  if (kind === "freeform" && !isWindowOpen(conversation?.lastInboundAt, now)) {
    const last = conversation?.lastInboundAt;
    const since =
      last === undefined
        ? "the user has never written"
        : `the user last wrote at ${new Date(last).toISOString()}`;
    return {
      allowed: false,
      error: new WindowClosedError(
        `${since}, so WhatsApp's 24-hour window is closed: free-form text is refused; send an approved template (template.contentSid) instead`,
        { refusedBy: "bot" },
      ),
    };
  }
  return { allowed: true, kind };
}

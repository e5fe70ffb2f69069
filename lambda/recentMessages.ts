import type { IncomingMessage } from "./message";
import { RECENT_MESSAGES_MAX, type RecentMessage } from "./store/store";

/**
 * Longest text kept per message (WhatsApp allows 1600). The whole list is rewritten with every
 * message, and DynamoDB bills a write per started KB of the item, so the list stays small: ten
 * typical messages keep it under 1 KB, and the worst case is about 15 KB. The full text is in
 * Twilio's message log.
 */
export const RECENT_TEXT_MAX = 500;

/** A one-line description of a message for a person taking over: its text, or what it carried. */
export function describeMessage(message: IncomingMessage): string {
  const caption = message.body.trim() ? ` ${message.body.trim()}` : "";
  switch (message.kind) {
    case "text":
      return message.body;
    case "image":
    case "audio":
    case "video":
    case "document": {
      const count = message.media.length;
      return `[${message.kind}${count > 1 ? ` ×${count}` : ""}]${caption}`;
    }
    case "location": {
      const place = message.label ?? message.address;
      return `[location ${message.latitude}, ${message.longitude}${place ? ` ${place}` : ""}]`;
    }
    case "button":
      return `[button] ${message.text || message.payload}`;
    case "unsupported":
      return `[${message.messageType}]${caption}`;
  }
}

/** The recent-messages list with this message appended, oldest dropped beyond `max`. */
export function withRecentMessage(
  previous: readonly RecentMessage[] | undefined,
  message: IncomingMessage,
  now: Date,
  max: number = RECENT_MESSAGES_MAX,
): RecentMessage[] {
  // Cut by code points: a cut through a surrogate pair would not be valid UTF-8 for DynamoDB.
  const text = Array.from(describeMessage(message)).slice(0, RECENT_TEXT_MAX).join("");
  const entry = { at: now.getTime(), text };
  return [...(previous ?? []), entry].slice(-max);
}

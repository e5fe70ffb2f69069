import type { IncomingMessage } from "./message";
import { RECENT_MESSAGES_MAX, type RecentMessage } from "./store/store";

/** Longest text kept per message: WhatsApp bodies are at most 1600 characters. */
export const RECENT_TEXT_MAX = 1600;

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
  const entry = { at: now.getTime(), text: describeMessage(message).slice(0, RECENT_TEXT_MAX) };
  return [...(previous ?? []), entry].slice(-max);
}

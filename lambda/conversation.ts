import type { Conversation } from "./store/store";

/** WhatsApp's customer service window: free-form replies are allowed for 24 h after a user writes. */
export const SERVICE_WINDOW_MS = 24 * 3600 * 1000;

/** What the bot knows about the conversation when a message arrives. */
export interface ConversationView {
  /** Conversation id (WhatsApp id based). */
  id: string;
  /** The sender's profile name, when known. */
  profileName?: string;
  /** When the current message was handled. */
  now: Date;
  /** When the user last wrote before this message; undefined on first contact. */
  previousInboundAt?: Date;
  /** True when this message opened a new 24-hour window (first contact, or the last one had closed). */
  isNewSession: boolean;
  /** When the window this message opened or extended closes. */
  windowClosesAt: Date;
  /** How many messages the user has sent, this one included. */
  inboundCount: number;
}

/** True while WhatsApp still allows a free-form (non-template) message to this user. */
export function isWindowOpen(lastInboundAt: number | undefined, now: Date): boolean {
  return lastInboundAt !== undefined && now.getTime() - lastInboundAt < SERVICE_WINDOW_MS;
}

/**
 * The conversation as it stands once this message is counted: what `Store.recordInbound` will
 * write, computed from the record read before the bot runs (so the bot's answer can be stored in
 * the same write that decides which attempt answers).
 */
export function withInbound(
  previous: Conversation | undefined,
  id: string,
  now: Date,
  profileName?: string,
): Conversation {
  return {
    id,
    profileName: profileName ?? previous?.profileName,
    lastInboundAt: now.getTime(),
    previousInboundAt: previous?.lastInboundAt,
    inboundCount: (previous?.inboundCount ?? 0) + 1,
  };
}

/** Builds the bot's view of a conversation with the current message counted (see `withInbound`). */
export function conversationView(conversation: Conversation, now: Date): ConversationView {
  const previous = conversation.previousInboundAt;
  return {
    id: conversation.id,
    profileName: conversation.profileName,
    now,
    previousInboundAt: previous === undefined ? undefined : new Date(previous),
    isNewSession: !isWindowOpen(previous, now),
    windowClosesAt: new Date(now.getTime() + SERVICE_WINDOW_MS),
    inboundCount: conversation.inboundCount,
  };
}

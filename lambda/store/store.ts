import type { ReplyMessage } from "../bot";
import type { StatusCallback } from "../message";

/** What the store remembers about one WhatsApp user. */
export interface Conversation {
  /** Conversation id (see `conversationId`). */
  id: string;
  /** The sender's profile name as last seen. */
  profileName?: string;
  /** Epoch ms of the user's latest incoming message (the current one, once recorded). */
  lastInboundAt?: number;
  /** Epoch ms of the incoming message before that: decides whether this one opened a new window. */
  previousInboundAt?: number;
  /** How many incoming messages the user has sent. */
  inboundCount: number;
  /** Epoch ms when the user opted out (STOP, BAJA…); undefined while they accept messages. */
  optedOutAt?: number;
  /**
   * The MessageSid that made the latest consent change (opt-out or opt-in): a redelivery of that
   * message is confirmed again, any other repeat of the keyword is not.
   */
  consentMessageSid?: string;
  /** Epoch ms when the user asked for a person; the bot stays quiet until released or timed out. */
  handoffAt?: number;
  /** The user's latest incoming messages, oldest first, at most {@link RECENT_MESSAGES_MAX}. */
  recentMessages?: RecentMessage[];
}

/** One incoming message as kept in the conversation for a person taking over. */
export interface RecentMessage {
  /** Epoch ms it was received. */
  at: number;
  /** Its text, or a short description for media, locations and buttons. */
  text: string;
}

/** How many recent incoming messages a conversation keeps (the hand-off shows them). */
export const RECENT_MESSAGES_MAX = 10;

/**
 * What a turn changes in the conversation besides the inbound time and count, written in the same
 * UpdateItem as {@link Store.recordInbound}: a value sets the attribute, `null` removes it.
 */
export interface ConversationChange {
  /** The new recent-messages list (replaces the stored one). */
  recentMessages?: RecentMessage[];
  /** Opt-out time, or null for an opt-in. */
  optedOutAt?: number | null;
  /** The MessageSid of a consent change. */
  consentMessageSid?: string;
  /** Hand-off start, or null when this turn ended one. */
  handoffAt?: number | null;
}

/** The delivery state of one outbound message. */
export interface StatusRecord {
  /** Outbound MessageSid. */
  messageSid: string;
  /** The latest known status, or the latest unknown one when no known status arrived yet. */
  status: string;
  /** Statuses not in the known order, kept so nothing Twilio says is lost. */
  otherStatuses: string[];
  /** ErrorCode from the callback that set `status`. */
  errorCode?: string;
  /** Epoch ms of the last callback recorded. */
  updatedAt: number;
}

/** A reply stored with its incoming message, so a repeat of the message gets the same answer. */
export interface StoredAnswer {
  /** The request token of the attempt that stored it: a lost write answer is recognised by it. */
  token: string;
  /** The TwiML answered, byte for byte; absent for claims written before replies were stored. */
  twiml?: string;
  /** Epoch ms when it was stored. */
  answeredAt: number;
  /** The token of the one repeat that was sent this answer again, once one was. */
  resentBy?: string;
  /** Queued mode: the job put on the reply queue, kept so a repeat enqueues the very same bytes. */
  job?: string;
  /** Queued mode: the reply the worker computed and committed, with how far its sending got. */
  reply?: StoredReply;
}

/** What became of one message of a queued reply. */
export type ReplyItemOutcome =
  /** Twilio accepted it under this outbound SID. */
  | { kind: "sent"; messageSid: string }
  /** The send path refused it for good (opted out, window closed); sending again cannot help. */
  | { kind: "refused"; reason: string };

/** The sending state of one message of a queued reply. */
export interface ReplyItemState {
  /** The worker attempt that started sending it; set before the send, cleared when it fails cleanly. */
  claimedBy?: string;
  /** Its outcome, once known. */
  outcome?: ReplyItemOutcome;
}

/** A queued message's reply: computed once, then sent message by message. */
export interface StoredReply {
  /** The worker attempt that computed it. */
  token: string;
  /** The messages, in order. */
  messages: ReplyMessage[];
  /** Each message's sending state, by index (missing entries: not started). */
  items: ReplyItemState[];
  /** What the turn changes in the conversation (consent, hand-off, recent messages). */
  change?: ConversationChange;
}

/** What {@link Store.commitReply} did: stored this attempt's reply, or found another one. */
export type CommitReplyResult = { stored: true } | { stored: false; existing: StoredReply };

/** What {@link Store.commitAnswer} did: stored this attempt's answer, or found another one. */
export type CommitResult = { stored: true } | { stored: false; existing: StoredAnswer | undefined };

/** Storage the handler needs; DynamoDB in Lambda, memory locally and in tests. */
export interface Store {
  /**
   * Claims a key atomically: true for the first caller only. Used for usage callbacks; incoming
   * messages go through {@link Store.commitAnswer} instead.
   */
  claimMessage(messageSid: string, now: Date): Promise<boolean>;
  /** Reads the answer stored for an incoming MessageSid, if any. */
  getAnswer(messageSid: string): Promise<StoredAnswer | undefined>;
  /**
   * Stores an answer for an incoming MessageSid unless one is stored already, in one conditional
   * write. A write of the same token that already happened (its answer was lost, the SDK retried)
   * counts as stored.
   */
  commitAnswer(
    messageSid: string,
    answer: { token: string; twiml: string; job?: string },
    now: Date,
  ): Promise<CommitResult>;
  /**
   * Queued mode: stores the reply the worker computed for an incoming MessageSid unless one is
   * stored already (one conditional write), so every redelivery sends the same messages. The same
   * token counts as stored, as in {@link Store.commitAnswer}.
   */
  commitReply(
    messageSid: string,
    reply: { token: string; messages: ReplyMessage[]; change?: ConversationChange },
    now: Date,
  ): Promise<CommitReplyResult>;
  /**
   * Queued mode: writes a turn's change to a conversation whose message the webhook already
   * recorded (no time or count). Idempotent: a value sets, `null` removes, so a redelivery may
   * write it again.
   */
  updateConversation(conversationId: string, change: ConversationChange, now: Date): Promise<void>;
  /**
   * Marks message `index` of a stored reply as being sent by `token`, before the send: true when
   * no other attempt claimed it (or this token already did) and it has no outcome yet.
   */
  claimReplyItem(messageSid: string, index: number, token: string, now: Date): Promise<boolean>;
  /** Withdraws `token`'s claim on message `index` after a send that surely failed, so a retry sends it. */
  releaseReplyItem(messageSid: string, index: number, token: string): Promise<void>;
  /** Records what became of message `index` of a stored reply. */
  recordReplyItem(
    messageSid: string,
    index: number,
    outcome: ReplyItemOutcome,
    now: Date,
  ): Promise<void>;
  /**
   * Marks a stored answer as sent once more, for the repeat holding `token`; true for the first
   * such repeat only (and again for that same token), so a replayed request cannot resend it forever.
   */
  claimResend(messageSid: string, token: string, now: Date): Promise<boolean>;
  /**
   * Records an incoming message's time in its conversation, once per MessageSid: false (and no
   * change) when this message was already the last one recorded.
   */
  recordInbound(
    conversationId: string,
    messageSid: string,
    now: Date,
    profileName?: string,
    change?: ConversationChange,
  ): Promise<boolean>;
  /**
   * Ends a conversation's hand-off (an agent's release): true when one was recorded (even if its
   * timeout had passed), false when there was none.
   */
  releaseHandoff(conversationId: string, now: Date): Promise<boolean>;
  /** Reads a conversation. */
  getConversation(conversationId: string): Promise<Conversation | undefined>;
  /** Records a status callback without ever moving a known status backwards; true if it advanced. */
  recordStatus(callback: StatusCallback, now: Date): Promise<boolean>;
  /** Reads the delivery state of an outbound message. */
  getStatus(messageSid: string): Promise<StatusRecord | undefined>;
}

/** Claims and stored answers outlive any Twilio retry (they stop within hours); the TTL keeps the table small. */
export const CLAIM_TTL_SECONDS = 2 * 24 * 3600;
/** Status records are kept a month for support questions. */
export const STATUS_TTL_SECONDS = 30 * 24 * 3600;
/** Conversations expire after 90 days of silence. */
export const CONVERSATION_TTL_SECONDS = 90 * 24 * 3600;

/** DynamoDB `expiresAt` (epoch seconds) for an item written at `now`. */
export function expiresAt(now: Date, ttlSeconds: number): number {
  return Math.floor(now.getTime() / 1000) + ttlSeconds;
}

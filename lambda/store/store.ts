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

/** Storage the handler needs; DynamoDB in Lambda, memory locally and in tests. */
export interface Store {
  /**
   * Claims an incoming MessageSid atomically. True for the first caller only, so a redelivered
   * message gets no second reply.
   */
  claimMessage(messageSid: string, now: Date): Promise<boolean>;
  /** Records an incoming message's time and returns the conversation with the previous time. */
  recordInbound(conversationId: string, now: Date, profileName?: string): Promise<Conversation>;
  /** Reads a conversation. */
  getConversation(conversationId: string): Promise<Conversation | undefined>;
  /** Records a status callback without ever moving a known status backwards; true if it advanced. */
  recordStatus(callback: StatusCallback, now: Date): Promise<boolean>;
  /** Reads the delivery state of an outbound message. */
  getStatus(messageSid: string): Promise<StatusRecord | undefined>;
}

/** Claims outlive any Twilio retry (they stop within hours); the TTL keeps the table small. */
export const CLAIM_TTL_SECONDS = 2 * 24 * 3600;
/** Status records are kept a month for support questions. */
export const STATUS_TTL_SECONDS = 30 * 24 * 3600;
/** Conversations expire after 90 days of silence. */
export const CONVERSATION_TTL_SECONDS = 90 * 24 * 3600;

/** DynamoDB `expiresAt` (epoch seconds) for an item written at `now`. */
export function expiresAt(now: Date, ttlSeconds: number): number {
  return Math.floor(now.getTime() / 1000) + ttlSeconds;
}

import type { StatusCallback } from "../message";
import { advancesStatus, statusRank } from "./status";
import type { ReplyMessage } from "../bot";
import type {
  CommitReplyResult,
  CommitResult,
  Conversation,
  ConversationChange,
  ReplyItemOutcome,
  StatusRecord,
  Store,
  StoredAnswer,
  StoredReply,
} from "./store";

function copyReply(reply: StoredReply): StoredReply {
  return {
    token: reply.token,
    messages: reply.messages.map((m) => ({ ...m })),
    items: reply.items.map((item) => ({ ...item })),
    ...(reply.change ? { change: structuredClone(reply.change) } : {}),
  };
}

/** Writes a change as DynamoDB's SET and REMOVE do: a value replaces, null deletes, absent leaves it. */
function applyChange(next: Conversation, change: ConversationChange): void {
  if (change.recentMessages !== undefined) {
    next.recentMessages = change.recentMessages.map((m) => ({ ...m }));
  }
  if (change.consentMessageSid !== undefined) next.consentMessageSid = change.consentMessageSid;
  if (change.optedOutAt === null) delete next.optedOutAt;
  else if (change.optedOutAt !== undefined) next.optedOutAt = change.optedOutAt;
  if (change.handoffAt === null) delete next.handoffAt;
  else if (change.handoffAt !== undefined) next.handoffAt = change.handoffAt;
}

/** In-process store for local runs and tests; each method is atomic because it never awaits mid-way. */
export class MemoryStore implements Store {
  private readonly claims = new Set<string>();
  private readonly answers = new Map<string, StoredAnswer>();
  private readonly lastMessageSids = new Map<string, string>();
  private readonly conversations = new Map<string, Conversation>();
  private readonly statuses = new Map<string, StatusRecord & { known?: string }>();

  async claimMessage(messageSid: string, _now?: Date): Promise<boolean> {
    if (this.claims.has(messageSid)) return false;
    this.claims.add(messageSid);
    return true;
  }

  getAnswer(messageSid: string): Promise<StoredAnswer | undefined> {
    const found = this.answers.get(messageSid);
    return Promise.resolve(found && { ...found, reply: found.reply && copyReply(found.reply) });
  }

  commitAnswer(
    messageSid: string,
    answer: { token: string; twiml: string; job?: string },
    now: Date,
  ): Promise<CommitResult> {
    const existing = this.answers.get(messageSid);
    if (!existing) this.answers.set(messageSid, { ...answer, answeredAt: now.getTime() });
    return Promise.resolve(
      !existing || existing.token === answer.token
        ? { stored: true }
        : { stored: false, existing: { ...existing } },
    );
  }

  claimResend(messageSid: string, token: string, _now?: Date): Promise<boolean> {
    const found = this.answers.get(messageSid);
    if (!found || (found.resentBy !== undefined && found.resentBy !== token)) {
      return Promise.resolve(false);
    }
    found.resentBy = token;
    return Promise.resolve(true);
  }

  commitReply(
    messageSid: string,
    reply: { token: string; messages: ReplyMessage[]; change?: ConversationChange },
    now: Date,
  ): Promise<CommitReplyResult> {
    // Like DynamoDB's UpdateItem, a reply for a message without an item creates the item.
    const found = this.answers.get(messageSid) ?? { token: "", answeredAt: now.getTime() };
    this.answers.set(messageSid, found);
    if (found.reply && found.reply.token !== reply.token) {
      return Promise.resolve({ stored: false, existing: copyReply(found.reply) });
    }
    found.reply ??= {
      token: reply.token,
      messages: reply.messages.map((m) => ({ ...m })),
      items: reply.messages.map(() => ({})),
      ...(reply.change ? { change: structuredClone(reply.change) } : {}),
    };
    return Promise.resolve({ stored: true });
  }

  updateConversation(id: string, change: ConversationChange, _now?: Date): Promise<void> {
    const next: Conversation = this.conversations.get(id) ?? { id, inboundCount: 0 };
    applyChange(next, change);
    this.conversations.set(id, next);
    return Promise.resolve();
  }

  claimReplyItem(messageSid: string, index: number, token: string, _now?: Date): Promise<boolean> {
    const item = this.replyItem(messageSid, index);
    if (!item || item.outcome || (item.claimedBy !== undefined && item.claimedBy !== token)) {
      return Promise.resolve(false);
    }
    item.claimedBy = token;
    return Promise.resolve(true);
  }

  releaseReplyItem(messageSid: string, index: number, token: string): Promise<void> {
    const item = this.replyItem(messageSid, index);
    if (item && item.claimedBy === token && !item.outcome) delete item.claimedBy;
    return Promise.resolve();
  }

  recordReplyItem(
    messageSid: string,
    index: number,
    outcome: ReplyItemOutcome,
    _now?: Date,
  ): Promise<void> {
    const item = this.replyItem(messageSid, index);
    if (item) item.outcome = { ...outcome };
    return Promise.resolve();
  }

  /** The live state of message `index` of a stored reply. */
  private replyItem(messageSid: string, index: number) {
    return this.answers.get(messageSid)?.reply?.items[index];
  }

  recordInbound(
    id: string,
    messageSid: string,
    now: Date,
    profileName?: string,
    change: ConversationChange = {},
  ): Promise<boolean> {
    if (this.lastMessageSids.get(id) === messageSid) return Promise.resolve(false);
    const old = this.conversations.get(id);
    const next: Conversation = {
      ...old,
      id,
      profileName: profileName ?? old?.profileName,
      lastInboundAt: now.getTime(),
      previousInboundAt: old?.lastInboundAt,
      inboundCount: (old?.inboundCount ?? 0) + 1,
    };
    applyChange(next, change);
    this.conversations.set(id, next);
    this.lastMessageSids.set(id, messageSid);
    return Promise.resolve(true);
  }

  releaseHandoff(id: string, _now?: Date): Promise<boolean> {
    const found = this.conversations.get(id);
    if (found?.handoffAt === undefined) return Promise.resolve(false);
    delete found.handoffAt;
    return Promise.resolve(true);
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const found = this.conversations.get(id);
    return (
      found && {
        ...found,
        recentMessages: found.recentMessages?.map((m) => ({ ...m })),
      }
    );
  }

  async recordStatus(callback: StatusCallback, now: Date): Promise<boolean> {
    const old = this.statuses.get(callback.messageSid);
    const record = old ?? {
      messageSid: callback.messageSid,
      status: callback.status,
      otherStatuses: [],
      updatedAt: 0,
    };
    if (statusRank(callback.status) === undefined) {
      if (!record.otherStatuses.includes(callback.status))
        record.otherStatuses.push(callback.status);
      if (record.known === undefined) record.status = callback.status;
      record.updatedAt = now.getTime();
      this.statuses.set(callback.messageSid, record);
      return false;
    }
    // A late callback leaves the record untouched, as DynamoDB's failed condition does.
    if (!advancesStatus(record.known, callback.status)) return false;
    record.known = callback.status;
    record.status = callback.status;
    record.errorCode = callback.errorCode;
    record.updatedAt = now.getTime();
    this.statuses.set(callback.messageSid, record);
    return true;
  }

  async getStatus(messageSid: string): Promise<StatusRecord | undefined> {
    const found = this.statuses.get(messageSid);
    if (!found) return undefined;
    const { known: _known, ...record } = found;
    return { ...record, otherStatuses: [...record.otherStatuses].sort() };
  }
}

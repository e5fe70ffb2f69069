import type { Bot, ReplyMessage } from "../bot";
import type { Language } from "../botScript";
import type { HandoffSettings } from "../handoff/settings";
import { logFailure, type Logger } from "../logger";
import { signalAt, workerMediaDeadlines } from "../media/budget";
import type { MediaStep } from "../media/storeMedia";
import { parseIncomingMessage } from "../message";
import type { Outbound } from "../outbound/outbound";
import type { Conversation, ConversationChange, Store, StoredReply } from "../store/store";
import { runTurn } from "../turn";
import type { ReplyJob } from "./job";
import { classifySendFailure } from "./sendFailure";

/**
 * "Answer once" in `queued` mode, the worker's half: one job in, its reply sent, once, however
 * often SQS delivers the job.
 *
 * 1. The reply is computed by the same {@link runTurn} as inline mode, then committed to the
 *    message's item by one conditional write, with the turn's conversation change (consent,
 *    hand-off, recent messages). A redelivery finds it and sends those same messages; the bot does
 *    not run again.
 * 2. The change is written to the conversation (the webhook recorded the message's time already),
 *    all of it before the sends except an opt-out, which is written after them: the send path
 *    refuses an opted-out user, and the opt-out's confirmation must still go (and an opt-in's
 *    confirmation only goes once the opt-in is written). Both writes are idempotent.
 * 3. The message's media is copied to the bucket inside the turn, as inline mode does, bounded by
 *    the worker's own remaining time (media/budget.ts). The keys are deterministic, so an attempt
 *    that died before the commit and its retry write the same objects. Deleting the items from
 *    Twilio (`deleteTwilioMedia`) waits for the commit, as the webhook's waits for its own: a retry
 *    of an uncommitted job can still fetch them. Only the attempt whose commit stored the reply
 *    deletes; a redelivery after it runs no turn and fetches nothing.
 * 4. Each message is claimed (a conditional write naming this attempt) before it is sent, and its
 *    outcome (the outbound SID) recorded after. A redelivery skips what has an outcome and resumes
 *    at the first message without one.
 *
 * Per message, the choice between at-least-once and at-most-once follows what the worker knows
 * (`classifySendFailure`):
 * - a send that surely did not happen (Twilio's 4xx, 429, 503, no connection) is released and the
 *   job fails, so SQS retries it and the message is sent again: **at least once**, and no copy is
 *   possible;
 * - a send in doubt (a timeout, a 5xx), or a claim left by an attempt that died between the send and
 *   recording it, is not sent again: **at most once**. SQS hands a FIFO group's messages to one
 *   consumer at a time and redelivers only after the visibility timeout (six times the worker's
 *   timeout), so such a claim is never a live attempt. It is logged at error level as
 *   `reply outcome unknown`;
 * - a message the send path refuses for good (opted out, window closed, malformed) is recorded as
 *   refused and not retried.
 */

/** Everything the worker needs, injected so Lambda, the local queue and tests differ only here. */
export interface DeliverDeps {
  /** The store holding the job's reply state. */
  store: Store;
  /** Where the reply is sent (the REST API through the Messaging Service). */
  outbound: Outbound;
  /** The bot: the same one inline mode runs. */
  bot: Bot;
  /** Logger (no message content above debug). */
  logger: Logger;
  /** Sent when the bot throws. */
  errorReply: string;
  /** The bot's language (its consent keywords), as inline mode's. */
  language?: Language;
  /** Hand-off to a person, as inline mode's. */
  handoff?: HandoffSettings;
  /** Clock, for the store's timestamps. */
  clock?: () => Date;
  /** Copies incoming media to the bucket (lambda/media), with the worker's credentials. */
  media?: MediaStep;
}

/** How the messages of one job's reply ended up in this attempt. */
export interface DeliverResult {
  /** The incoming message's SID. */
  messageSid: string;
  /** Sent by this attempt. */
  sent: number;
  /** Already done by an earlier attempt (sent or refused). */
  alreadyDone: number;
  /** Refused for good by the send path in this attempt. */
  refused: number;
  /** Claimed by an attempt that died: not sent again (at most once). */
  unknown: number;
  /** True when this attempt ran the bot (false: a redelivery used the committed reply). */
  computed: boolean;
}

/**
 * Computes (once) and sends (once per message) the reply to one queued job; see the module comment.
 * `budgetMs` is what is left of the worker's invocation (Lambda's `getRemainingTimeInMillis`).
 */
export async function deliverReply(
  job: ReplyJob,
  deps: DeliverDeps,
  budgetMs = Infinity,
): Promise<DeliverResult> {
  const clock = deps.clock ?? (() => new Date());
  const deadlines = workerMediaDeadlines(budgetMs, Date.now());
  const until = (at: number) => (Number.isFinite(at) ? signalAt(at) : undefined);
  const mediaStep = deps.media;
  const token = crypto.randomUUID();
  const message = parseIncomingMessage(job.params);
  const sid = message.messageSid;
  const log = { messageSid: sid, kind: message.kind };

  let reply: StoredReply | undefined = (await deps.store.getAnswer(sid))?.reply;
  let computed = false;
  if (!reply) {
    const receivedAt = new Date(job.receivedAt);
    // The group's earlier jobs are all done (FIFO), so the stored conversation holds their
    // consent, hand-off and recent messages; its times may already count later messages, so
    // those come from the webhook's snapshot.
    const fresh = await deps.store.getConversation(job.conversationId);
    const previous = previousConversation(job.previous, fresh);
    const turn = await runTurn(message, previous, job.conversationId, receivedAt, {
      bot: deps.bot,
      logger: deps.logger,
      errorReply: deps.errorReply,
      language: deps.language,
      handoff: deps.handoff,
      media:
        mediaStep &&
        ((received, conversation) =>
          mediaStep(received, conversation, until(deadlines.copyEndsAt))),
    });
    const messages: ReplyMessage[] = turn.reply.messages;
    const change = turn.change;
    const commit = await deps.store.commitReply(sid, { token, messages, change }, clock());
    reply = commit.stored
      ? { token, messages, items: messages.map(() => ({})), change }
      : commit.existing;
    computed = commit.stored;
    if (commit.stored && turn.afterAnswer) {
      try {
        await turn.afterAnswer(until(deadlines.cleanupEndsAt));
      } catch (err) {
        // The reply is committed and goes out; media left on Twilio is only a missed cleanup.
        logFailure(deps.logger, "after-answer step failed", log, err);
      }
    }
    deps.logger.debug("reply content", { ...log, body: message.body, reply: messages });
  }
  const { beforeSends, afterSends } = splitChange(reply.change);
  if (beforeSends) await deps.store.updateConversation(job.conversationId, beforeSends, clock());

  const result: DeliverResult = {
    messageSid: sid,
    sent: 0,
    alreadyDone: 0,
    refused: 0,
    unknown: 0,
    computed,
  };
  for (const [index, item] of reply.messages.entries()) {
    const state = reply.items[index] ?? {};
    if (state.outcome) {
      result.alreadyDone++;
      continue;
    }
    if (
      state.claimedBy !== undefined ||
      !(await deps.store.claimReplyItem(sid, index, token, clock()))
    ) {
      deps.logger.error("reply outcome unknown", { ...log, index });
      result.unknown++;
      continue;
    }
    let outboundSid: string;
    try {
      const sent = await deps.outbound.send({
        to: message.from.address,
        body: item.body,
        ...(item.mediaUrls?.length ? { mediaUrls: item.mediaUrls } : {}),
      });
      outboundSid = sent.messageSid;
    } catch (err) {
      const failure = classifySendFailure(err);
      if (failure === "refused") {
        const reason = err instanceof Error ? err.name : "refused";
        await deps.store.recordReplyItem(sid, index, { kind: "refused", reason }, clock());
        deps.logger.warn("reply refused", { ...log, index, reason });
        result.refused++;
        continue;
      }
      if (failure === "unknown") {
        // The claim stays: no attempt sends this message again.
        logFailure(deps.logger, "reply outcome unknown", { ...log, index }, err);
        result.unknown++;
        continue;
      }
      try {
        await deps.store.releaseReplyItem(sid, index, token);
      } catch (releaseErr) {
        // The claim stays: a retry treats this message as unknown and does not send it again.
        logFailure(deps.logger, "reply claim not released", { ...log, index }, releaseErr);
      }
      throw err;
    }
    // A failure here fails the job; the retry finds this claim without an outcome and, not knowing,
    // does not send again (the message did go out).
    await deps.store.recordReplyItem(
      sid,
      index,
      { kind: "sent", messageSid: outboundSid },
      clock(),
    );
    result.sent++;
  }
  if (afterSends) await deps.store.updateConversation(job.conversationId, afterSends, clock());
  return result;
}

/**
 * The conversation a queued turn runs on: times and count as the webhook read them before this
 * message (`snapshot`), consent, hand-off and recent messages as stored now (`fresh`).
 */
export function previousConversation(
  snapshot: Conversation | undefined,
  fresh: Conversation | undefined,
): Conversation | undefined {
  if (!snapshot && !fresh) return undefined;
  const id = snapshot?.id ?? (fresh as Conversation).id;
  const stateful: Partial<Conversation> = {};
  for (const key of ["optedOutAt", "consentMessageSid", "handoffAt", "recentMessages"] as const) {
    if (fresh?.[key] !== undefined) Object.assign(stateful, { [key]: fresh[key] });
  }
  return {
    id,
    profileName: snapshot?.profileName ?? fresh?.profileName,
    lastInboundAt: snapshot?.lastInboundAt,
    previousInboundAt: snapshot?.previousInboundAt,
    inboundCount: snapshot?.inboundCount ?? 0,
    ...stateful,
  };
}

/** A change split around the sends: an opt-out is written after them, everything else before. */
export function splitChange(change: ConversationChange | undefined): {
  beforeSends?: ConversationChange;
  afterSends?: ConversationChange;
} {
  if (!change) return {};
  const { optedOutAt, ...rest } = change;
  const optOut = typeof optedOutAt === "number";
  const before: ConversationChange = optOut ? rest : change;
  return {
    beforeSends: Object.keys(before).length > 0 ? before : undefined,
    afterSends: optOut ? { optedOutAt } : undefined,
  };
}

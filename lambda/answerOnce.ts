import type { Deadline } from "./deadline";
import { logFailure, type Logger } from "./logger";
import type { Conversation, ConversationChange, Store, StoredAnswer } from "./store/store";

/**
 * "Answer once" for incoming messages: a repeat of a message (Twilio's retry, its fallback call, a
 * concurrent duplicate) sees the first attempt's outcome.
 *
 * The answer is computed first and then stored with the message in one conditional write, which
 * is also what decides the race between attempts. So an attempt that fails or dies before that
 * write holds nothing (the next try runs the bot at once, with no lease to wait out), and one that
 * stored its answer has left it for any repeat. A request token in the item tells our own write,
 * applied but with its answer lost, from another attempt's. The happy path is one read of the
 * message and the conversation (two GetItems in parallel), the answer's PutItem and the
 * conversation's UpdateItem: two writes.
 *
 * Why not `@aws-lambda-powertools/idempotency` with its DynamoDB persistence layer: it claims
 * before running (PutItem INPROGRESS), then saves the result (UpdateItem), so with the
 * conversation's update that is three writes a message; a retried claim whose first answer was lost
 * finds its own INPROGRESS record and fails as "already in progress", which is the lost-first-
 * delivery bug this replaces; and it returns a stored result to every repeat, where a reply must
 * be sent again at most once or a replayed request could resend it without end.
 */

/** The route a message came in on; the fallback is Twilio saying the primary's answer failed. */
export type AnswerRoute = "incoming" | "fallback";

/** What an attempt ended with. */
export type AnswerOutcome =
  /** This attempt's answer was stored and is sent. */
  | { kind: "answered"; twiml: string; conversationRecorded: boolean }
  /** Another attempt's stored answer is sent again, to the fallback call (once per message). */
  | { kind: "resent"; twiml: string }
  /** Nothing is sent: the answer is going out with another attempt, or was sent again already. */
  | { kind: "duplicate"; reason: DuplicateReason };

/** Why a repeat gets no reply. */
export type DuplicateReason = "answered-elsewhere" | "already-resent" | "nothing-stored";

/** One attempt at answering a message. */
export interface AnswerAttempt {
  /** Incoming MessageSid. */
  messageSid: string;
  /** The sender's conversation id. */
  conversationId: string;
  /** The sender's profile name, when Twilio sent one. */
  profileName?: string;
  /** The route the request came in on. */
  route: AnswerRoute;
  /** The attempt's time (also the conversation's inbound time). */
  now: Date;
  /**
   * Computes the TwiML answer from the conversation as read before this message, and what else the
   * conversation's update writes (consent, hand-off, recent messages).
   */
  compute(previous: Conversation | undefined): Promise<ComputedAnswer>;
}

/** What {@link AnswerAttempt.compute} returns. */
export interface ComputedAnswer {
  /** The TwiML to store and send. */
  twiml: string;
  /** Written with the inbound record, in the same UpdateItem. */
  change?: ConversationChange;
}

/** What {@link answerOnce} needs besides the attempt. */
export interface AnswerOnceDeps {
  /** The store. */
  store: Store;
  /** The attempt's time budget; every store call races it. */
  deadline: Deadline;
  /** Logger (no message content above debug). */
  logger: Logger;
}

/** Answers a message, or hands a repeat the first attempt's outcome; see the module comment. */
export async function answerOnce(
  attempt: AnswerAttempt,
  deps: AnswerOnceDeps,
): Promise<AnswerOutcome> {
  const { store, deadline, logger } = deps;
  // Web Crypto's global (Node.js 19+), so the bundle requires no further built-in module.
  const token = crypto.randomUUID();
  const log = { messageSid: attempt.messageSid, route: attempt.route };
  const [stored, previous] = await deadline(
    Promise.all([
      store.getAnswer(attempt.messageSid),
      store.getConversation(attempt.conversationId),
    ]),
  );
  if (stored) return repeat(stored, token, attempt, deps);

  const { twiml, change } = await deadline(attempt.compute(previous));
  const commit = await deadline(
    store.commitAnswer(attempt.messageSid, { token, twiml }, attempt.now),
  );
  // Another attempt stored its answer while this one ran.
  if (!commit.stored) return repeat(commit.existing, token, attempt, deps);

  let conversationRecorded = false;
  try {
    conversationRecorded = await deadline(
      store.recordInbound(
        attempt.conversationId,
        attempt.messageSid,
        attempt.now,
        attempt.profileName,
        change,
      ),
    );
  } catch (err) {
    // The answer is stored and in hand: sending it matters more than this message's timestamp,
    // which only decides whether the user's next message is greeted. A consent or hand-off change
    // is named in the error line, so an operator can apply it by hand.
    logFailure(logger, "conversation not recorded", { ...log, ...changeFields(change) }, err);
  }
  return { kind: "answered", twiml, conversationRecorded };
}

/**
 * A repeat of a message that already has an answer. Twilio calls the fallback URL only when it got
 * no usable answer from the primary (an error, or no answer within its 15 s), so the fallback is
 * sent the stored answer, once. On the primary URL Twilio retries by default only when it could not
 * connect, that is before our code saw the request (the `rp` connection override,
 * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), so a repeat there is
 * a concurrent duplicate or a replay, and its twin answers.
 */
async function repeat(
  stored: StoredAnswer | undefined,
  token: string,
  attempt: AnswerAttempt,
  deps: AnswerOnceDeps,
): Promise<AnswerOutcome> {
  if (attempt.route !== "fallback") return { kind: "duplicate", reason: "answered-elsewhere" };
  if (stored?.twiml === undefined) return { kind: "duplicate", reason: "nothing-stored" };
  let first: boolean;
  try {
    first = await deps.deadline(deps.store.claimResend(attempt.messageSid, token, attempt.now));
  } catch (err) {
    // Unable to count the resend: send it anyway, since a lost reply is worse than a rare copy.
    logFailure(deps.logger, "resend not counted", { messageSid: attempt.messageSid }, err);
    first = true;
  }
  return first
    ? { kind: "resent", twiml: stored.twiml }
    : { kind: "duplicate", reason: "already-resent" };
}

/** The consent and hand-off part of a change, for the log (no message text). */
function changeFields(change: ConversationChange | undefined): Record<string, unknown> {
  if (!change) return {};
  const fields: Record<string, unknown> = {};
  if (change.optedOutAt !== undefined) fields.optedOut = change.optedOutAt !== null;
  if (change.handoffAt !== undefined) fields.handoff = change.handoffAt !== null;
  return fields;
}

import type { AnswerRoute } from "../answerOnce";
import type { Deadline } from "../deadline";
import { logFailure, type Logger } from "../logger";
import type { FormParams } from "../request";
import type { Store, StoredAnswer } from "../store/store";
import { emptyTwiml } from "../twiml";
import { encodeJob } from "./job";

/**
 * "Answer once" in `queued` mode, the webhook's half: the message is accepted (its job stored and
 * put on the reply queue) exactly once, and the worker's half (`deliver.ts`) sends its reply once.
 *
 * The same store calls as inline mode decide the race: the message and the conversation are read
 * together, the job (with the conversation as read) is stored by the one conditional PutItem that
 * `commitAnswer` makes, the conversation is recorded, and only then is the job enqueued. Twilio is
 * answered 200 only once the job is on the queue; an attempt that fails before that answers 500, so
 * Twilio calls the fallback URL, and the fallback finds the stored job and enqueues it again. The
 * queue drops the copy when the first one did arrive (FIFO deduplication on the MessageSid within
 * five minutes), and past that window the worker's per-message claims keep it from sending twice.
 */

/** One message for the reply queue. */
export interface QueueMessage {
  /** The job's JSON. */
  body: string;
  /** FIFO message group: the conversation, so one user's replies keep their order. */
  groupId: string;
  /** FIFO deduplication id: the incoming MessageSid. */
  deduplicationId: string;
}

/** Puts a message on the reply queue; throws when the queue did not take it. */
export type Enqueue = (message: QueueMessage) => Promise<void>;

/** What an attempt ended with. */
export type AcceptOutcome =
  /** This attempt stored the job and queued it. */
  | { kind: "queued"; conversationRecorded: boolean }
  /** A fallback call found the job stored by another attempt and queued it again. */
  | { kind: "requeued" }
  /** Nothing to do here: the twin attempt queues it, or nothing usable is stored. */
  | { kind: "duplicate"; reason: "answered-elsewhere" | "nothing-stored" };

/** One attempt at accepting a message. */
export interface AcceptAttempt {
  /** Incoming MessageSid. */
  messageSid: string;
  /** The sender's conversation id. */
  conversationId: string;
  /** The sender's profile name, when Twilio sent one. */
  profileName?: string;
  /** The route the request came in on. */
  route: AnswerRoute;
  /** The attempt's time (the conversation's inbound time and the turn's `now`). */
  now: Date;
  /** The verified form fields. */
  params: FormParams;
}

/** What {@link acceptOnce} needs besides the attempt. */
export interface AcceptDeps {
  /** The store. */
  store: Store;
  /** The attempt's time budget; every call races it. */
  deadline: Deadline;
  /** Logger (no message content above debug). */
  logger: Logger;
  /** The reply queue. */
  enqueue: Enqueue;
}

/** Accepts a message for the worker, once; see the module comment. */
export async function acceptOnce(attempt: AcceptAttempt, deps: AcceptDeps): Promise<AcceptOutcome> {
  const { store, deadline, logger } = deps;
  const token = crypto.randomUUID();
  const [stored, previous] = await deadline(
    Promise.all([
      store.getAnswer(attempt.messageSid),
      store.getConversation(attempt.conversationId),
    ]),
  );
  if (stored) return repeat(stored, attempt, deps);

  const job = encodeJob({
    v: 1,
    params: attempt.params,
    conversationId: attempt.conversationId,
    receivedAt: attempt.now.getTime(),
    ...(previous ? { previous } : {}),
  });
  // The empty TwiML is what Twilio is answered; an inline-mode repeat would resend just that.
  const commit = await deadline(
    store.commitAnswer(attempt.messageSid, { token, twiml: emptyTwiml(), job }, attempt.now),
  );
  if (!commit.stored) return repeat(commit.existing, attempt, deps);

  let conversationRecorded = false;
  try {
    conversationRecorded = await deadline(
      store.recordInbound(
        attempt.conversationId,
        attempt.messageSid,
        attempt.now,
        attempt.profileName,
      ),
    );
  } catch (err) {
    // As inline: the job is stored and carries the conversation it needs; getting it to the
    // worker matters more than this message's timestamp.
    logFailure(
      logger,
      "conversation not recorded",
      { messageSid: attempt.messageSid, route: attempt.route },
      err,
    );
  }
  await deadline(deps.enqueue(queueMessage(attempt, job)));
  return { kind: "queued", conversationRecorded };
}

function queueMessage(attempt: AcceptAttempt, job: string): QueueMessage {
  return { body: job, groupId: attempt.conversationId, deduplicationId: attempt.messageSid };
}

/**
 * A repeat of an accepted message. On the fallback URL (Twilio got no 200 from the primary, which
 * answers 200 only once the job is queued) the stored job is queued again; on the primary URL the
 * repeat is a concurrent duplicate or a replay, and its twin queues the job.
 */
async function repeat(
  stored: StoredAnswer | undefined,
  attempt: AcceptAttempt,
  deps: AcceptDeps,
): Promise<AcceptOutcome> {
  if (attempt.route !== "fallback") return { kind: "duplicate", reason: "answered-elsewhere" };
  // An answer stored by inline mode (the stack switched modes mid-message) has no job to queue.
  if (stored?.job === undefined) return { kind: "duplicate", reason: "nothing-stored" };
  await deps.deadline(deps.enqueue(queueMessage(attempt, stored.job)));
  return { kind: "requeued" };
}

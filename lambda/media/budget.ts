/**
 * How long the media step may take inside a webhook. Twilio waits 15 s for a webhook's answer and
 * then gives up on it (the `rt` read timeout's default, https://www.twilio.com/docs/usage/webhooks/
 * webhooks-connection-overrides), whatever Lambda's own timeout is, so the copy gets what is left
 * of the shorter of the two after a reserve for the bot, the answer's two writes and the reply's
 * trip back. An item still copying then is abandoned and reported as not stored.
 */

/** Twilio's default wait for a webhook's answer. */
export const TWILIO_WEBHOOK_TIMEOUT_MS = 15_000;

/** Kept back from the copy for the bot, the answer's writes and the response. */
export const MEDIA_RESERVE_MS = 3_000;

/** Kept back from the deletes after the answer is stored, for the response itself. */
export const CLEANUP_RESERVE_MS = 1_000;

/** When the copy and the cleanup of one inline request must stop, in epoch ms. */
export interface InlineMediaDeadlines {
  /** The copy's end: items still copying then are reported as not stored. */
  copyEndsAt: number;
  /** The end of deleting from Twilio after the answer is stored. */
  cleanupEndsAt: number;
}

/**
 * The deadlines for a request that arrived at `startedAt` with `budgetMs` left before Lambda stops
 * it (Infinity when nothing says).
 */
export function inlineMediaDeadlines(budgetMs: number, startedAt: number): InlineMediaDeadlines {
  const end = startedAt + Math.min(budgetMs, TWILIO_WEBHOOK_TIMEOUT_MS);
  return { copyEndsAt: end - MEDIA_RESERVE_MS, cleanupEndsAt: end - CLEANUP_RESERVE_MS };
}

/** A signal that aborts at `at` (epoch ms), or at once when that has passed. */
export function signalAt(at: number, now: () => number = Date.now): AbortSignal {
  return AbortSignal.timeout(Math.max(0, at - now()));
}

/**
 * Kept back from a queued turn's copy, out of the worker's own remaining time: nobody waits on the
 * worker but Lambda's timeout, which must still leave room for the bot, the commit and the sends
 * (each send is one REST call, a few seconds at worst).
 */
export const WORKER_MEDIA_RESERVE_MS = 10_000;

/**
 * The deadlines for a queued job started at `startedAt` with `budgetMs` left of the worker's
 * invocation (Infinity when nothing says): no Twilio timeout applies, only Lambda's.
 */
export function workerMediaDeadlines(budgetMs: number, startedAt: number): InlineMediaDeadlines {
  const end = startedAt + budgetMs;
  return { copyEndsAt: end - WORKER_MEDIA_RESERVE_MS, cleanupEndsAt: end - CLEANUP_RESERVE_MS };
}

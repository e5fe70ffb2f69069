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

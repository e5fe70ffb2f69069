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

/** Time limits of one inline request, measured from when it arrived. */
export interface InlineMediaWindow {
  /** Aborts when the copy must stop. */
  copySignal(): AbortSignal;
  /** Aborts when deleting from Twilio after the answer must stop. */
  cleanupSignal(): AbortSignal;
}

/**
 * The copy's and the cleanup's deadlines for a request that arrived at `startedAt` with `budgetMs`
 * left before Lambda stops it (Infinity when nothing says).
 */
export function inlineMediaWindow(
  budgetMs: number,
  startedAt: number,
  now: () => number = Date.now,
): InlineMediaWindow {
  const end = startedAt + Math.min(budgetMs, TWILIO_WEBHOOK_TIMEOUT_MS);
  const signalAt = (at: number) => AbortSignal.timeout(Math.max(0, at - now()));
  return {
    copySignal: () => signalAt(end - MEDIA_RESERVE_MS),
    cleanupSignal: () => signalAt(end - CLEANUP_RESERVE_MS),
  };
}

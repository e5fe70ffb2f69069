import {
  InvalidOutboundMessageError,
  OptedOutError,
  OutboundError,
  TwilioSendError,
  WindowClosedError,
} from "../outbound/errors";

/**
 * What a failed send means for a queued reply's message:
 * - `refused`: refused for good (opted out, window closed, malformed); sending again gets the same
 *   answer, so the outcome is recorded and the reply goes on;
 * - `retry`: surely not sent (Twilio said so with a 4xx, or 429/503, or the connection never
 *   opened, or the send path failed before calling Twilio), so the job fails and SQS retries it,
 *   which cannot make a copy;
 * - `unknown`: Twilio may have taken it (a timeout, a 5xx, an unreadable 2xx); `Messages.json`
 *   takes no idempotency key, so it is not sent again.
 */
export type SendFailure = "refused" | "retry" | "unknown";

/** Classifies a send's error; see {@link SendFailure}. */
export function classifySendFailure(err: unknown): SendFailure {
  if (
    err instanceof OptedOutError ||
    err instanceof WindowClosedError ||
    err instanceof InvalidOutboundMessageError
  ) {
    return "refused";
  }
  if (err instanceof OutboundError && err.retryable) return "retry";
  if (err instanceof TwilioSendError) {
    const status = err.status;
    return status !== undefined && status >= 400 && status < 500 ? "retry" : "unknown";
  }
  // The send path's own checks (credentials, the conversation read) fail before Twilio is called.
  return "retry";
}

/**
 * Why a send did not happen. One class per meaning, whoever found it: the window and consent
 * checks run before Twilio is called (`refusedBy: "bot"`), and Twilio can still refuse the same
 * things (`refusedBy: "twilio"`, with its error code), so a caller handles each case once.
 */

/** Who refused a send: the bot's own checks (Twilio was never called) or Twilio. */
export type RefusedBy = "bot" | "twilio";

/** Any send that did not happen. `retryable` is true only when sending again cannot duplicate it. */
export class OutboundError extends Error {
  /** Who refused it. */
  readonly refusedBy: RefusedBy;
  /** Twilio's error code, when Twilio answered with one. */
  readonly code?: number;
  /**
   * True when the message surely was not accepted and the same send may be tried later (rate
   * limit, Twilio unavailable, the connection never made). False for every refusal and for
   * failures where Twilio may have accepted it (a timeout, a 500): Messages.json takes no
   * idempotency key, so a retry there could send the message twice.
   */
  readonly retryable: boolean;

  constructor(
    message: string,
    details: { refusedBy: RefusedBy; code?: number; retryable?: boolean },
  ) {
    super(message);
    this.name = "OutboundError";
    this.refusedBy = details.refusedBy;
    if (details.code !== undefined) this.code = details.code;
    this.retryable = details.retryable ?? false;
  }
}

/** The message itself is malformed (a field and its fix are named); nothing was sent. */
export class InvalidOutboundMessageError extends OutboundError {
  /** The field at fault, e.g. `to`, `body`, `template.contentSid`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { refusedBy: "bot" });
    this.name = "InvalidOutboundMessageError";
    this.field = field;
  }
}

/**
 * Free-form text outside WhatsApp's 24-hour customer service window: only a template may be sent
 * (Twilio error 63016 when Twilio finds it).
 */
export class WindowClosedError extends OutboundError {
  constructor(message: string, details: { refusedBy: RefusedBy; code?: number }) {
    super(message, details);
    this.name = "WindowClosedError";
  }
}

/** The user opted out (`Conversation.optedOutAt`), or Twilio reports them unsubscribed (21610). */
export class OptedOutError extends OutboundError {
  constructor(message: string, details: { refusedBy: RefusedBy; code?: number }) {
    super(message, details);
    this.name = "OptedOutError";
  }
}

/** Twilio refused or failed the send for another reason; `status` is its HTTP status, if any. */
export class TwilioSendError extends OutboundError {
  /** HTTP status of Twilio's answer; undefined when none arrived (network failure, timeout). */
  readonly status?: number;

  constructor(message: string, details: { status?: number; code?: number; retryable: boolean }) {
    super(message, { refusedBy: "twilio", code: details.code, retryable: details.retryable });
    this.name = "TwilioSendError";
    if (details.status !== undefined) this.status = details.status;
  }
}

/** The send path's credentials are missing or malformed (the stack's outbound secret). */
export class OutboundCredentialsError extends OutboundError {
  constructor(message: string) {
    super(message, { refusedBy: "bot" });
    this.name = "OutboundCredentialsError";
  }
}

/**
 * The bot's way to send a message that is not a webhook's reply (a queued reply, a follow-up, a
 * person's answer): the REST API through the stack's Messaging Service. Both reply modes and every
 * tool that sends go through one {@link Outbound}, so the 24-hour window and consent are checked in
 * one place before Twilio is called.
 */

/** A WhatsApp template (Content API `HX…` SID) and the values of its `{{n}}` variables. */
export interface TemplateRef {
  /** The template's Content SID, `HX…`. */
  contentSid: string;
  /** Variable values by number (`"1"`, `"2"`…), sent as `ContentVariables`. */
  variables?: Readonly<Record<string, string>>;
}

/** One outbound message: free-form text (optionally with media) or a template. */
export interface OutboundMessage {
  /** The recipient, `whatsapp:+E164`. */
  to: string;
  /** Free-form text (inside the 24-hour window only). */
  body?: string;
  /** Public URLs of media to attach to free-form text. */
  mediaUrls?: readonly string[];
  /** A template, required outside the 24-hour window. */
  template?: TemplateRef;
}

/** What Twilio answered to one accepted send. */
export interface SentMessage {
  /** The outbound message's SID (`SM…`/`MM…`). */
  messageSid: string;
  /** Its first status (usually `accepted` or `queued`). */
  status: string;
}

/** Sends outbound messages; refuses (throws) what WhatsApp or the user would not accept. */
export interface Outbound {
  /** Sends one message, or throws before calling Twilio when it may not be sent. */
  send(message: OutboundMessage): Promise<SentMessage>;
}

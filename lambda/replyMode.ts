/** How the bot's replies leave: in the webhook's TwiML answer, or from a queue worker over REST. */
export const REPLY_MODES = ["inline", "queued"] as const;

/** One of {@link REPLY_MODES}. */
export type ReplyMode = (typeof REPLY_MODES)[number];

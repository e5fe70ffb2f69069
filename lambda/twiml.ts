// Deep import: only the TwiML builder (and xmlbuilder) end up in the bundle, not the REST client.
import MessagingResponse from "twilio/lib/twiml/MessagingResponse";
import type { BotReply } from "./bot";

/** Content type of every TwiML response. */
export const TWIML_CONTENT_TYPE = "text/xml; charset=utf-8";

/** Options for {@link renderTwiml}. */
export interface TwimlOptions {
  /** Where Twilio reports the delivery status of each reply (`action` on `<Message>`). */
  statusCallbackUrl?: string;
}

/**
 * Renders the bot's reply as TwiML with the SDK's MessagingResponse. A reply with media uses
 * `<Body>` and `<Media>` nouns; a plain one keeps the text inline, as Twilio's examples do.
 */
export function renderTwiml(reply: BotReply, options: TwimlOptions = {}): string {
  const response = new MessagingResponse();
  const attributes: MessagingResponse.MessageAttributes = options.statusCallbackUrl
    ? { action: options.statusCallbackUrl, method: "POST" }
    : {};
  for (const message of reply.messages) {
    const media = message.mediaUrls ?? [];
    if (media.length === 0) {
      response.message(attributes, message.body);
      continue;
    }
    const verb = response.message(attributes, "");
    if (message.body) verb.body(message.body);
    for (const url of media) verb.media(url);
  }
  return response.toString();
}

/** The empty TwiML response: Twilio sends nothing back (used for duplicates). */
export function emptyTwiml(): string {
  return new MessagingResponse().toString();
}

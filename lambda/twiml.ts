import type MessagingResponseClass from "twilio/lib/twiml/MessagingResponse";
import type { BotReply } from "./bot";

let builder: typeof MessagingResponseClass | undefined;

/**
 * The SDK's TwiML builder, loaded on the first reply rather than at import: it pulls in xmlbuilder,
 * about half of the module initialisation the cold start pays for (see BENCHMARKS.md). The deep
 * path keeps the REST client out of the bundle.
 */
function MessagingResponse(): MessagingResponseClass {
  // The module is CommonJS and exports the class itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: the cold start skips xmlbuilder
  builder ??= require("twilio/lib/twiml/MessagingResponse") as typeof MessagingResponseClass;
  return new builder();
}

/**
 * Characters XML 1.0 forbids (https://www.w3.org/TR/xml/#charsets): C0 controls other than tab,
 * line feed and carriage return, U+FFFE, U+FFFF, and surrogates that are not part of a pair (the
 * `u` flag makes a proper pair one code point, which the class does not match).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/gu;

/**
 * Drops the characters XML cannot carry. The SDK's builder throws on them, and the bot echoes user
 * text (profile names, location labels, button text), so without this a user could make every
 * reply fail.
 */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, "");
}

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
  const response = MessagingResponse();
  const attributes: MessagingResponseClass.MessageAttributes = options.statusCallbackUrl
    ? { action: options.statusCallbackUrl, method: "POST" }
    : {};
  for (const message of reply.messages) {
    const media = message.mediaUrls ?? [];
    if (media.length === 0) {
      response.message(attributes, xmlSafe(message.body));
      continue;
    }
    const verb = response.message(attributes, "");
    const body = xmlSafe(message.body);
    if (body) verb.body(body);
    for (const url of media) verb.media(xmlSafe(url));
  }
  return response.toString();
}

/** The empty TwiML response: Twilio sends nothing back (used for duplicates). */
export function emptyTwiml(): string {
  return MessagingResponse().toString();
}

import { scripts, type BotScript, type Language, type MenuOption } from "./botScript";
import type { ConversationView } from "./conversation";
import type { IncomingMessage, MediaItem, MediaKind, MediaRefusal } from "./message";

/** One outgoing WhatsApp message: text, optionally with media. */
export interface ReplyMessage {
  /** Text (or caption for media). */
  body: string;
  /** Public URLs of media to attach. */
  mediaUrls?: string[];
}

/** What the bot answers; no messages means no reply. */
export interface BotReply {
  /** Messages to send, in order. */
  messages: ReplyMessage[];
  /**
   * True when the reply hands the conversation to a person: the turn publishes it to the hand-off
   * topic and the bot stays quiet in this conversation until an agent releases it.
   */
  handoff?: boolean;
}

/** The replaceable bot: a pure async function of the message and the conversation. */
export type Bot = (message: IncomingMessage, conversation: ConversationView) => Promise<BotReply>;

/** Parses `BOT_LANGUAGE`; Spanish unless English is asked for. */
export function parseLanguage(value: string | undefined): Language {
  return (value ?? "").trim().toLowerCase().startsWith("en") ? "en" : "es";
}

/** Lower-cases, strips accents and punctuation, and collapses spaces, so "¡Menú!" matches "menu". */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function containsPhrase(normalized: string, phrase: string): boolean {
  return ` ${normalized} `.includes(` ${normalizeText(phrase)} `);
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}

/** The numbered menu as one message body. */
export function menuText(script: BotScript): string {
  const lines = script.options.map((option, i) => `${i + 1}. ${option.label}`);
  return [script.menuIntro, ...lines, script.menuFooter].join("\n");
}

function text(body: string): BotReply {
  return { messages: [{ body }] };
}

function optionReply(option: MenuOption): BotReply {
  return {
    messages: [{ body: option.answer, mediaUrls: option.mediaUrl ? [option.mediaUrl] : undefined }],
  };
}

/** Options for {@link createMenuBot}. */
export interface MenuBotOptions {
  /** Language of the built-in script; ignored when `script` is given. */
  language?: Language;
  /** A custom script. */
  script?: BotScript;
}

/**
 * The default menu bot: a greeting and numbered menu, keyword answers, acknowledgements of media,
 * locations and button taps, and a hand-off to a person. Pure: same input, same reply.
 */
export function createMenuBot(options: MenuBotOptions = {}): Bot {
  const script = options.script ?? scripts[options.language ?? "es"];
  const greeting = (name: string | undefined): string =>
    fill(script.greeting, { name: name ? `, ${name}` : "" });
  const welcome = (conversation: ConversationView): BotReply =>
    text(`${greeting(conversation.profileName)}\n\n${menuText(script)}`);
  const handoff = script.options.find((option) => option.handoff);
  const handoffReply = (): BotReply => ({
    ...text(handoff?.answer ?? script.options[script.options.length - 1]?.answer ?? script.error),
    handoff: true,
  });

  const answerText = (body: string, conversation: ConversationView): BotReply => {
    const normalized = normalizeText(body);
    const number = /^(\d{1,3})$/.exec(normalized);
    if (number) {
      const option = script.options[Number(number[1]) - 1];
      if (option) return option.handoff ? handoffReply() : optionReply(option);
    }
    if (script.handoffWords.some((word) => containsPhrase(normalized, word))) return handoffReply();
    if (script.menuWords.some((word) => containsPhrase(normalized, word))) {
      return conversation.isNewSession ? welcome(conversation) : text(menuText(script));
    }
    const keyword = script.keywords.find((k) => k.words.some((w) => containsPhrase(normalized, w)));
    if (keyword) return text(keyword.answer);
    if (conversation.isNewSession) return welcome(conversation);
    return text(`${script.notUnderstood}\n\n${menuText(script)}`);
  };

  const refusals: Record<MediaRefusal, string> = {
    "too-large": script.media.tooLarge,
    "type-not-allowed": script.media.typeNotAllowed,
    failed: script.media.notStored,
  };
  // Thanks for what was received, then one polite line per reason something was not kept.
  const mediaReply = (declared: MediaKind, media: MediaItem[]): BotReply => {
    const received = media.filter((item) => item.notStored === undefined);
    const messages: ReplyMessage[] = [];
    const count = received.length;
    // "your 2 images" is wrong for an image and a PDF, hence `mixed`.
    if (new Set(received.map((item) => item.kind)).size > 1) {
      messages.push({ body: fill(script.media.mixed, { count }) });
    } else if (count > 0) {
      const forms = script.media[count === media.length ? declared : received[0].kind];
      messages.push({ body: count > 1 ? fill(forms.many, { count }) : forms.one });
    }
    const reasons = new Set(media.map((item) => item.notStored));
    for (const reason of ["too-large", "type-not-allowed", "failed"] as const) {
      if (reasons.has(reason)) messages.push({ body: refusals[reason] });
    }
    return { messages };
  };

  return async (message, conversation) => {
    switch (message.kind) {
      case "text":
        return answerText(message.body, conversation);
      case "image":
      case "audio":
      case "video":
      case "document":
        return mediaReply(message.kind, message.media);
      case "location": {
        const place = message.label ?? message.address;
        return text(
          fill(script.location, {
            latitude: message.latitude,
            longitude: message.longitude,
            place: place ? fill(script.locationPlace, { place }) : "",
          }),
        );
      }
      case "button": {
        const payload = message.payload.trim();
        const option =
          script.options.find((o) => o.id === payload) ??
          (/^\d{1,3}$/.test(payload) ? script.options[Number(payload) - 1] : undefined);
        if (option) return option.handoff ? handoffReply() : optionReply(option);
        if (script.menuWords.some((word) => containsPhrase(normalizeText(payload), word))) {
          return text(menuText(script));
        }
        return text(fill(script.button, { text: message.text || payload }));
      }
      case "unsupported":
        return text(script.unsupported);
    }
  };
}

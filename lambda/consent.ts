import { normalizeText } from "./bot";
import { scripts as defaultScripts, type BotScript, type Language } from "./botScript";
import type { IncomingMessage } from "./message";

/** A consent keyword found in a message, and the script (language) whose list it is in. */
export interface ConsentKeyword {
  /** `out` stops every message to the user, `in` resumes them. */
  direction: "out" | "in";
  /** The script that lists the keyword: its confirmation is the one sent. */
  script: BotScript;
}

/**
 * The scripts whose consent keywords are honoured, the bot's own language first: a keyword that is
 * in several lists (STOP) is confirmed in the bot's language, any other in the language it is in.
 */
export function consentScripts(
  language: Language,
  all: Readonly<Record<Language, BotScript>> = defaultScripts,
): BotScript[] {
  return [
    all[language],
    ...Object.entries(all)
      .filter(([l]) => l !== language)
      .map(([, s]) => s),
  ];
}

/** The text a consent keyword is looked for in: a text's body, a button's payload and label. */
function candidates(message: IncomingMessage): string[] {
  if (message.kind === "text") return [message.body];
  if (message.kind === "button") return [message.payload, message.text];
  return [];
}

/**
 * Finds a consent keyword: the whole message must be the keyword (any case, accents and
 * punctuation ignored), so a sentence that merely contains "alto" or "stop" is not one.
 */
export function findConsentKeyword(
  message: IncomingMessage,
  scripts: readonly BotScript[],
): ConsentKeyword | undefined {
  const texts = candidates(message)
    .map(normalizeText)
    .filter((t) => t !== "");
  if (texts.length === 0) return undefined;
  const is = (words: readonly string[]) =>
    words.some((word) => texts.includes(normalizeText(word)));
  for (const script of scripts) {
    if (is(script.consent.optOutWords)) return { direction: "out", script };
  }
  for (const script of scripts) {
    if (is(script.consent.optInWords)) return { direction: "in", script };
  }
  return undefined;
}

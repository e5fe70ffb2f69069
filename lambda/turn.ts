import type { Bot, BotReply } from "./bot";
import type { Language } from "./botScript";
import { consentScripts, findConsentKeyword } from "./consent";
import { conversationView, withInbound } from "./conversation";
import { handoffEvent, type HandoffEvent } from "./handoff/event";
import { isPaused, pausedUntil, type HandoffSettings } from "./handoff/settings";
import { logFailure, type Logger } from "./logger";
import type { ReceivedMessage } from "./message";
import { unstoredView, type StoredMedia } from "./media/storeMedia";
import { withRecentMessage } from "./recentMessages";
import type { Conversation, ConversationChange } from "./store/store";

/**
 * One turn of the conversation: an incoming message and the conversation as stored before it in,
 * the reply out. Both reply modes run this same function (the webhook in `inline` mode, the queue
 * worker in `queued` mode), so a bot behaves the same whichever mode the stack uses; only how the
 * reply leaves (TwiML or the REST API) differs.
 *
 * Consent and hand-off are decided here, before the bot, so no bot can answer an opted-out user
 * or talk over a person: see docs/consent-and-handoff.md. The message's media is copied to the
 * bucket here too, after consent (an opted-out user's media is not kept) and before a paused
 * conversation's silence and the bot, so both modes store it alike (docs/media.md).
 */

/** What a turn needs besides the message. */
export interface TurnDeps {
  /** The bot that answers. */
  bot: Bot;
  /** Where a failing bot is logged. */
  logger: Logger;
  /** Sent instead when the bot throws. */
  errorReply: string;
  /** The bot's language: its consent keywords win where languages share one (STOP). Spanish by default. */
  language?: Language;
  /** Hand-off to a person; without it the hand-off option only answers, nothing is paused. */
  handoff?: HandoffSettings;
  /**
   * Copies the message's media to the bucket, with the caller's deadline bound in (lambda/media/
   * budget.ts for the webhook); without it the bot sees attachments with neither key nor refusal.
   */
  media?: (message: ReceivedMessage, conversationId: string) => Promise<StoredMedia>;
}

/**
 * Why the bot did not answer this message itself: `opt-out` and `opt-in` are consent changes whose
 * reply is the confirmation (an `opt-out` confirmation must be sent although the change records
 * the user as opted out), `opted-out` and `paused` have no reply.
 */
export type TurnGate = "opt-out" | "opt-in" | "opted-out" | "paused";

/** The outcome of one turn. */
export interface TurnResult {
  /** What to send back, in order; no messages means no reply. */
  reply: BotReply;
  /** True when this message opened a new 24-hour window. */
  newSession: boolean;
  /** What to write with the message's inbound record (`Store.recordInbound`'s `change`). */
  change: ConversationChange;
  /** Set when consent or a hand-off decided the reply instead of the bot. */
  gate?: TurnGate;
  /**
   * Run once the answer is stored, never before: deletes copied media from Twilio when the stack
   * asks for it, so a retry of a message whose answer was lost can still fetch its media.
   */
  afterAnswer?: (signal?: AbortSignal) => Promise<void>;
}

async function storeMedia(
  message: ReceivedMessage,
  conversationId: string,
  deps: TurnDeps,
): Promise<Pick<StoredMedia, "message"> & Partial<StoredMedia>> {
  if (!deps.media || !("media" in message) || message.media.length === 0) {
    return { message: unstoredView(message) };
  }
  try {
    return await deps.media(message, conversationId);
  } catch (err) {
    // The step reports each item's failure itself; this is a fault in the step, and the user
    // still gets an answer about media that was not stored.
    logFailure(deps.logger, "media step failed", { messageSid: message.messageSid }, err);
    const view = unstoredView(message);
    return "media" in view
      ? { message: { ...view, media: view.media.map((m) => ({ ...m, notStored: "failed" })) } }
      : { message: view };
  }
}

const silence: BotReply = { messages: [] };

/**
 * Runs one turn: consent keywords first, then silence for an opted-out user or a conversation a
 * person has, then the bot; a bot that throws is logged and answered with `errorReply`. A hand-off
 * (the bot's reply says so) and every message written during one are published to the hand-off
 * topic here; a failed publish rejects, so the message is retried rather than lost.
 */
export async function runTurn(
  received: ReceivedMessage,
  previous: Conversation | undefined,
  conversationId: string,
  now: Date,
  deps: TurnDeps,
): Promise<TurnResult> {
  // Consent, recent messages and logs see the message without Twilio's media URLs.
  const message = unstoredView(received);
  const view = conversationView(
    withInbound(previous, conversationId, now, message.from.profileName),
    now,
  );
  const newSession = view.isNewSession;
  const log = { messageSid: message.messageSid, conversationId };
  const recentMessages = withRecentMessage(previous?.recentMessages, message, now);
  const change: ConversationChange = { recentMessages };
  const handoff = deps.handoff;

  const publish = async (kind: HandoffEvent["kind"], startedAt: number) => {
    if (!handoff) return;
    await handoff.publisher.publish(
      handoffEvent({
        kind,
        conversationId,
        address: message.from.address,
        profileName: view.profileName,
        messageSid: message.messageSid,
        now,
        pausedUntil: pausedUntil({ handoffAt: startedAt }, handoff.timeoutMs) ?? now,
        recentMessages,
        logsUrl: handoff.logsUrl?.(message.messageSid),
        publicBaseUrl: handoff.publicBaseUrl,
      }),
    );
  };

  // A person has the conversation: they see every message, whatever it says.
  const paused = handoff !== undefined && isPaused(previous, now, handoff.timeoutMs);
  if (paused && previous?.handoffAt !== undefined) {
    await publish("message", previous.handoffAt);
    deps.logger.info("message forwarded to hand-off", log);
  }

  const optedOut = previous?.optedOutAt !== undefined;
  // A redelivery of the message that made the change gets the same confirmation again.
  const madeTheChange = previous?.consentMessageSid === message.messageSid;
  const keyword = findConsentKeyword(message, consentScripts(deps.language ?? "es"));
  if (keyword?.direction === "out" && (!optedOut || madeTheChange)) {
    if (!optedOut) change.optedOutAt = now.getTime();
    change.consentMessageSid = message.messageSid;
    // Opting out ends a hand-off: the person must not write to them either.
    if (previous?.handoffAt !== undefined) change.handoffAt = null;
    deps.logger.info("user opted out", log);
    return reply(keyword.script.consent.optedOut, "opt-out");
  }
  if (keyword?.direction === "in" && (optedOut || madeTheChange)) {
    if (optedOut) change.optedOutAt = null;
    change.consentMessageSid = message.messageSid;
    deps.logger.info("user opted in", log);
    return reply(keyword.script.consent.optedIn, "opt-in");
  }
  if (optedOut) {
    deps.logger.info("opted-out user: no reply", log);
    return { reply: silence, newSession, change, gate: "opted-out" };
  }
  // Kept for the person too when the conversation is paused: they may want what was sent.
  const stored = await storeMedia(received, conversationId, deps);
  const afterAnswer = stored.afterAnswer;
  if (paused) return { reply: silence, newSession, change, gate: "paused", afterAnswer };

  let answer: BotReply;
  try {
    answer = await deps.bot(stored.message, view);
  } catch (err) {
    logFailure(deps.logger, "bot failed", { ...log, kind: message.kind }, err);
    return { reply: { messages: [{ body: deps.errorReply }] }, newSession, change, afterAnswer };
  }
  if (answer.handoff === true) {
    if (handoff) {
      await publish("handoff", now.getTime());
      change.handoffAt = now.getTime();
      deps.logger.info("hand-off published", log);
    } else {
      deps.logger.warn("hand-off asked but no hand-off topic configured", log);
    }
  }
  return { reply: answer, newSession, change, afterAnswer };

  function reply(body: string, gate: TurnGate): TurnResult {
    return { reply: { messages: [{ body }] }, newSession, change, gate };
  }
}

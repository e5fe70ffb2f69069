import type { Bot, BotReply } from "./bot";
import { conversationView, withInbound } from "./conversation";
import { logFailure, type Logger } from "./logger";
import type { IncomingMessage } from "./message";
import type { Conversation } from "./store/store";

/**
 * One turn of the conversation: an incoming message and the conversation as stored before it in,
 * the reply out. Both reply modes run this same function (the webhook in `inline` mode, the queue
 * worker in `queued` mode), so a bot behaves the same whichever mode the stack uses; only how the
 * reply leaves (TwiML or the REST API) differs.
 */

/** What a turn needs besides the message. */
export interface TurnDeps {
  /** The bot that answers. */
  bot: Bot;
  /** Where a failing bot is logged. */
  logger: Logger;
  /** Sent instead when the bot throws. */
  errorReply: string;
}

/** The outcome of one turn. */
export interface TurnResult {
  /** What to send back, in order; no messages means no reply. */
  reply: BotReply;
  /** True when this message opened a new 24-hour window. */
  newSession: boolean;
}

/** Runs the bot on one message; a bot that throws is logged and answered with `errorReply`. */
export async function runTurn(
  message: IncomingMessage,
  previous: Conversation | undefined,
  conversationId: string,
  now: Date,
  deps: TurnDeps,
): Promise<TurnResult> {
  const view = conversationView(
    withInbound(previous, conversationId, now, message.from.profileName),
    now,
  );
  try {
    return { reply: await deps.bot(message, view), newSession: view.isNewSession };
  } catch (err) {
    logFailure(
      deps.logger,
      "bot failed",
      { messageSid: message.messageSid, kind: message.kind },
      err,
    );
    return { reply: { messages: [{ body: deps.errorReply }] }, newSession: view.isNewSession };
  }
}

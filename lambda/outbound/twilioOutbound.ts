import { silentLogger, type Logger } from "../logger";
import { conversationId } from "../message";
import type { Conversation, Store } from "../store/store";
import type { OutboundCredentialsSource } from "./credentials";
import { OutboundError, TwilioSendError } from "./errors";
import { createMessage, type CreateMessageParams, type MessagesApiOptions } from "./messagesApi";
import type { Outbound, OutboundMessage, SentMessage } from "./outbound";
import { decideSend } from "./policy";

/** What the Twilio send path needs. */
export interface TwilioOutboundDeps {
  /** The API key, account and Messaging Service (the stack's outbound secret). */
  credentials: OutboundCredentialsSource;
  /** Where the recipient's conversation (last message, opt-out) is read. */
  conversations: Pick<Store, "getConversation">;
  /** `StatusCallback` of every message: the stack's `/whatsapp/status` URL. */
  statusCallbackUrl: string;
  /** Clock, for the 24-hour window. */
  clock?: () => Date;
  /** Structured logger; refusals are logged at warn, sends at info (never text or numbers). */
  logger?: Logger;
  /** How to reach Twilio (the local server and tests point it elsewhere). */
  api?: MessagesApiOptions;
}

/**
 * The stored conversation of a recipient. Incoming WhatsApp messages are stored under their WaId
 * (the number without `+`), or under the address when Twilio sent none (see `conversationId`).
 */
export async function conversationOf(
  store: Pick<Store, "getConversation">,
  to: string,
): Promise<Conversation | undefined> {
  const waId = to.replace(/^whatsapp:\+/, "");
  return (
    (await store.getConversation(conversationId({ address: to, waId }))) ??
    (await store.getConversation(conversationId({ address: to })))
  );
}

function paramsOf(message: OutboundMessage, statusCallback: string): CreateMessageParams {
  if (message.template) {
    const variables = message.template.variables;
    return {
      to: message.to,
      statusCallback,
      contentSid: message.template.contentSid,
      contentVariables:
        variables && Object.keys(variables).length > 0 ? JSON.stringify(variables) : undefined,
    };
  }
  return { to: message.to, statusCallback, body: message.body, mediaUrls: message.mediaUrls };
}

function isKeyRefused(err: unknown): boolean {
  return err instanceof TwilioSendError && (err.status === 401 || err.code === 20003);
}

/**
 * The send path over Twilio's REST API: reads the recipient's conversation, refuses what
 * {@link decideSend} refuses (logged, never sent), then creates the message through the
 * Messaging Service with the stack's status callback. When Twilio refuses the API key the
 * credentials are read once more and the send tried once more: a 401 means nothing was sent,
 * and a rotated key reaches a warm container this way.
 */
export function createTwilioOutbound(deps: TwilioOutboundDeps): Outbound {
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;
  return {
    async send(message: OutboundMessage): Promise<SentMessage> {
      const conversation =
        typeof message.to === "string"
          ? await conversationOf(deps.conversations, message.to)
          : undefined;
      const decision = decideSend(message, conversation, clock());
      if (!decision.allowed) {
        logger.warn("outbound refused", {
          reason: decision.error.name,
          refusedBy: "bot",
          kind: message.template ? "template" : "freeform",
        });
        throw decision.error;
      }
      const params = paramsOf(message, deps.statusCallbackUrl);
      const log = { kind: decision.kind, contentSid: message.template?.contentSid };
      try {
        let sent: SentMessage;
        try {
          sent = await createMessage(await deps.credentials.get(), params, deps.api);
        } catch (err) {
          if (!isKeyRefused(err)) throw err;
          deps.credentials.refresh();
          sent = await createMessage(await deps.credentials.get(), params, deps.api);
        }
        logger.info("outbound sent", { ...log, messageSid: sent.messageSid, status: sent.status });
        return sent;
      } catch (err) {
        if (err instanceof OutboundError) {
          logger.warn("outbound failed", {
            ...log,
            reason: err.name,
            refusedBy: err.refusedBy,
            code: err.code,
            retryable: err.retryable,
          });
        }
        throw err;
      }
    },
  };
}

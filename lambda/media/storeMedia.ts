import type { AuthTokenSource } from "../authToken";
import { errorSummary, type Logger } from "../logger";
import type {
  IncomingMessage,
  MediaItem,
  MediaRefusal,
  ReceivedMessage,
  TwilioMedia,
} from "../message";
import type { MediaBucket } from "./bucket";
import { authTokenCredentials, type MediaCredentials } from "./credentials";
import { MediaTooLargeError, downloadMedia, readAll } from "./download";
import { mediaKey } from "./key";
import { typeAllowed, type MediaLimits } from "./limits";
import { TWILIO_HOST_RULES, mediaResourceUrl, parseMediaPath, type HostRules } from "./twilioHost";

/** What the media step needs. */
export interface MediaStepDeps {
  /** Where items are written. */
  bucket: MediaBucket;
  /**
   * The Basic auth for Twilio's media URLs (media/credentials.ts): the webhook's auth token, or the
   * worker's API key. Given instead, `authToken` means {@link authTokenCredentials} over it.
   */
  credentials?: MediaCredentials;
  /** The account's auth token, when no `credentials` are given. */
  authToken?: AuthTokenSource;
  /** Size and type limits. */
  limits: MediaLimits;
  /** Delete each item from Twilio once the answer is stored (`whatsapp-bot:deleteTwilioMedia`). */
  deleteFromTwilio: boolean;
  /** Where credentials may go; Twilio's API hosts over https by default. */
  rules?: HostRules;
  /** The fetch implementation. */
  fetch?: typeof fetch;
  /** Logger (no keys or URLs above debug: they carry the sender's number). */
  logger: Logger;
}

/** The outcome of the media step for one message. */
export interface StoredMedia {
  /** The message as the bot sees it: each attachment's key, or why it was not stored. */
  message: IncomingMessage;
  /**
   * Work left for after the answer is stored: deleting the copied items from Twilio. Run it only
   * then, so a retry of a message whose answer was lost can still fetch what it needs.
   */
  afterAnswer(signal?: AbortSignal): Promise<void>;
}

/** Stores a message's attachments within `signal`'s time and says what the bot sees. */
export type MediaStep = (
  message: ReceivedMessage,
  conversationId: string,
  signal?: AbortSignal,
) => Promise<StoredMedia>;

/** The bot's view of attachments no step stored: neither key nor refusal. */
export function unstoredView(message: ReceivedMessage): IncomingMessage {
  if (!("media" in message)) return message;
  return {
    ...message,
    media: message.media.map(({ kind, contentType }) => ({ kind, contentType })),
  };
}

function refusalOf(err: unknown): MediaRefusal {
  return err instanceof MediaTooLargeError ? "too-large" : "failed";
}

/**
 * Builds the media step: each attachment of a message is checked against the type list, fetched
 * from Twilio (credentials to Twilio's host only, see download.ts), checked against the size limit
 * and streamed into the bucket under its deterministic key, all attachments at once. A refused or
 * failed item is logged and reported to the bot, never thrown: the user still gets an answer.
 */
export function createMediaStep(deps: MediaStepDeps): MediaStep {
  const rules = deps.rules ?? TWILIO_HOST_RULES;
  const { logger, limits } = deps;
  const credentials =
    deps.credentials ?? (deps.authToken ? authTokenCredentials(deps.authToken) : undefined);
  if (!credentials) throw new TypeError("createMediaStep needs credentials or an authToken");

  const storeOne = async (
    item: TwilioMedia,
    n: number,
    message: ReceivedMessage,
    conversationId: string,
    signal: AbortSignal | undefined,
  ): Promise<MediaItem> => {
    const view = { kind: item.kind, contentType: item.contentType };
    const log = { messageSid: message.messageSid, item: n, contentType: item.contentType };
    if (!typeAllowed(item.contentType, limits.allowedTypes)) {
      logger.warn("media refused", { ...log, reason: "type-not-allowed" });
      return { ...view, notStored: "type-not-allowed" };
    }
    const started = Date.now();
    try {
      const url = new URL(item.url);
      const path = parseMediaPath(url);
      if (!path) throw new Error("MediaUrl is not a Twilio media resource URL");
      const fetched = await downloadMedia(item.url, {
        authorization: await credentials(path.accountSid),
        rules,
        maxBytes: limits.maxBytes,
        signal,
        fetch: deps.fetch,
      });
      // S3 needs a stream's length up front; without one the body (already capped) is read first.
      const body = fetched.length === undefined ? await readAll(fetched.body) : fetched.body;
      const length = Buffer.isBuffer(body) ? body.length : (fetched.length as number);
      const key = mediaKey(conversationId, message.messageSid, n, item.contentType);
      try {
        await deps.bucket.put({ key, body, length, contentType: item.contentType }, signal);
      } finally {
        if (!Buffer.isBuffer(body)) body.destroy();
      }
      logger.info("media stored", { ...log, bytes: length, ms: Date.now() - started });
      logger.debug("media key", { ...log, key });
      return { ...view, key };
    } catch (err) {
      const reason = refusalOf(err);
      const fields = {
        ...log,
        reason,
        ms: Date.now() - started,
        aborted: signal?.aborted === true,
        error: errorSummary(err),
      };
      if (reason === "too-large") logger.warn("media refused", fields);
      else logger.error("media not stored", fields);
      logger.debug("media not stored: detail", { ...log, error: err });
      return { ...view, notStored: reason };
    }
  };

  const deleteFromTwilio = async (item: TwilioMedia, signal: AbortSignal | undefined) => {
    const url = new URL(item.url);
    const path = parseMediaPath(url);
    if (!path || !rules.mayAuthenticate(url)) return;
    const log = { messageSid: path.messageSid, mediaSid: path.mediaSid };
    try {
      const response = await (deps.fetch ?? fetch)(mediaResourceUrl(url, path), {
        method: "DELETE",
        headers: { authorization: await credentials(path.accountSid) },
        redirect: "manual",
        signal,
      });
      await response.body?.cancel();
      // 404: already gone (an earlier attempt deleted it), which is what was wanted.
      if (response.status === 204 || response.status === 404) {
        logger.info("twilio media deleted", { ...log, status: response.status });
      } else {
        logger.warn("twilio media not deleted", { ...log, status: response.status });
      }
    } catch (err) {
      logger.warn("twilio media not deleted", { ...log, error: errorSummary(err) });
    }
  };

  return async (message, conversationId, signal) => {
    if (!("media" in message) || message.media.length === 0) {
      return { message: unstoredView(message), afterAnswer: async () => undefined };
    }
    const media = await Promise.all(
      message.media.map((item, n) => storeOne(item, n, message, conversationId, signal)),
    );
    const copied = message.media.filter((_, n) => media[n].key !== undefined);
    return {
      message: { ...message, media },
      afterAnswer: async (cleanupSignal) => {
        if (!deps.deleteFromTwilio) return;
        await Promise.all(copied.map((item) => deleteFromTwilio(item, cleanupSignal)));
      },
    };
  };
}

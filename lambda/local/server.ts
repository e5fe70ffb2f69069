import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { staticAuthToken } from "../authToken";
import { createMenuBot, parseLanguage, type Bot } from "../bot";
import { scripts, type Language } from "../botScript";
import { normalizeBaseUrl } from "../env";
import { createHandler } from "../handler";
import { REPLY_MODES, type ReplyMode } from "../replyMode";
import { createWorker } from "../worker";
import { printingHandoffPublisher, type HandoffPublisher } from "../handoff/publisher";
import { handleHandoffRelease } from "../handoff/release";
import { readHandoffEnv } from "../handoff/settings";
import { createJsonLogger, parseLogLevel, type Logger } from "../logger";
import type { MediaBucket } from "../media/bucket";
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from "../media/limits";
import { DirectoryMediaBucket } from "../media/localBucket";
import { readMediaSettings } from "../media/settings";
import { createMediaStep } from "../media/storeMedia";
import {
  apiKeyCredentials,
  authTokenCredentials,
  type MediaCredentials,
} from "../media/credentials";
import type { HostRules } from "../media/twilioHost";
import { HANDOFF_RELEASE_ROUTE, WEBHOOK_ROUTES } from "../routes";
import { staticOutboundCredentials } from "../outbound/credentials";
import type { Outbound } from "../outbound/outbound";
import { createTwilioOutbound } from "../outbound/twilioOutbound";
import { MemoryStore } from "../store/memory";
import type { Store } from "../store/store";
import { LOCAL_AUTH_TOKEN, LOCAL_HOST, LOCAL_MEDIA_DIR, LOCAL_TWILIO, parsePort } from "./defaults";
import { toPayloadV2Event } from "./event";
import { LocalOutbox } from "./outbox";
import { InProcessReplyQueue } from "./replyQueue";
import { answerLocalSend } from "./sendRoute";
import { answerLocalRest } from "./twilioRest";
import { startLocalMediaHost } from "./mediaHost";

/** Requests beyond this are cut off before the handler sees them (it refuses far smaller ones). */
const MAX_READ_BYTES = 1024 * 1024;

/** Options for {@link startLocalServer}. */
export interface LocalServerOptions {
  /** Port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Interface to bind; loopback (`127.0.0.1`) by default, `0.0.0.0` or `::` for every interface. */
  host?: string;
  /** Token signatures are checked against; the documented local default when unset. */
  authToken?: string;
  /** Public base URL used for signatures; `http://localhost:<port>` by default. */
  publicUrl?: string;
  /** Store; a fresh in-memory one by default. */
  store?: Store;
  /** Language of the default bot and of the apology sent when the bot throws; `es` by default. */
  language?: Language;
  /** Bot; the menu bot in `language` by default. */
  bot?: Bot;
  /** Logger; JSON lines to stdout at info by default. */
  logger?: Logger;
  /** Clock. */
  clock?: () => Date;
  /** Where hand-offs go; by default printed to stdout as an e-mail subscriber would get them. */
  handoffPublisher?: HandoffPublisher;
  /** How long a hand-off pauses the bot, in ms; HANDOFF_TIMEOUT_MINUTES's default when unset. */
  handoffTimeoutMs?: number;
  /** Where messages sent through the REST API are kept; a fresh one by default. */
  outbox?: LocalOutbox;
  /** Copies incoming media (from the local twin, lambda/local/mediaHost.ts); none without it. */
  media?: LocalMediaSetup;
  /**
   * `inline` (default): the reply is the webhook's TwiML. `queued`: the webhook answers an empty
   * TwiML and an in-process FIFO queue runs the worker, which sends the reply through this server's
   * own Messages.json, as the stack's SQS queue and worker Lambda do (docs/reply-modes.md).
   */
  replyMode?: ReplyMode;
}

/** Where the local bot copies media from and to. */
export interface LocalMediaSetup {
  /** The bucket stand-in. */
  bucket: MediaBucket;
  /** The twin's host rules: its origin gets the credentials, as Twilio's API hosts do. */
  rules: HostRules;
  /** Limits; WhatsApp's by default. */
  limits?: MediaLimits;
  /** Delete each item from the twin after the copy. */
  deleteFromTwilio?: boolean;
}

/** A running local server. */
export interface LocalServer {
  /** The port it listens on. */
  port: number;
  /** The address it is bound to (`127.0.0.1` unless a host was given). */
  host: string;
  /** Base URL to send requests to (and, unless overridden, the signed public URL). */
  url: string;
  /** The store it uses. */
  store: Store;
  /** The messages sent to it through Messages.json, which `npm run chat` prints. */
  outbox: LocalOutbox;
  /**
   * The bot's send path as in Lambda (window, consent, REST call), pointed at this server's own
   * Messages.json with the local account (`LOCAL_TWILIO`): what a local queue worker sends with.
   */
  outbound: Outbound;
  /** The in-process reply queue, in `queued` mode. */
  replyQueue?: InProcessReplyQueue;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_READ_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Serves the Lambda handler over plain HTTP: each request becomes the payload 2.0 event API Gateway
 * would send, and the handler's result becomes the HTTP response.
 */
export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  const store = options.store ?? new MemoryStore();
  const logger = options.logger ?? createJsonLogger();
  const configuredUrl =
    options.publicUrl === undefined ? undefined : normalizeBaseUrl(options.publicUrl, "PUBLIC_URL");
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 3000, options.host ?? LOCAL_HOST, () => resolve());
  });
  const { port, address: host } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  // Where the server's own send path reaches it: the bound address, or loopback for "any".
  const selfHost =
    host === "0.0.0.0"
      ? "127.0.0.1"
      : host === "::"
        ? "[::1]"
        : host.includes(":")
          ? `[${host}]`
          : host;
  const language = options.language ?? "es";
  const authToken = options.authToken ?? LOCAL_AUTH_TOKEN;
  const publicBaseUrl = configuredUrl ?? url;
  const outbox = options.outbox ?? new LocalOutbox();
  const outbound = createTwilioOutbound({
    credentials: staticOutboundCredentials(LOCAL_TWILIO),
    conversations: store,
    statusCallbackUrl: `${publicBaseUrl}${WEBHOOK_ROUTES.status}`,
    clock: options.clock,
    logger,
    api: { baseUrl: `http://${selfHost}:${port}` },
  });
  const tokenSource = staticAuthToken(authToken);
  // As on Lambda: the webhook copies with the auth token, the queued worker with the API key.
  const mediaStep = (credentials: MediaCredentials) =>
    options.media &&
    createMediaStep({
      bucket: options.media.bucket,
      credentials,
      limits: options.media.limits ?? DEFAULT_MEDIA_LIMITS,
      deleteFromTwilio: options.media.deleteFromTwilio ?? false,
      rules: options.media.rules,
      logger,
    });
  const media = mediaStep(authTokenCredentials(tokenSource));
  const bot = options.bot ?? createMenuBot({ language });
  const handoff = {
    publisher: options.handoffPublisher ?? printingHandoffPublisher(),
    timeoutMs: options.handoffTimeoutMs ?? readHandoffEnv({}).timeoutMs,
    publicBaseUrl,
  };
  // As lambda/index.ts does, so a failing bot apologises in the configured language here too.
  const errorReply = scripts[language].error;
  // The same worker as Lambda's, on this server's store and send path.
  const replyQueue =
    options.replyMode === "queued"
      ? new InProcessReplyQueue(
          createWorker({
            store,
            outbound,
            bot,
            logger,
            errorReply,
            language,
            handoff,
            clock: options.clock,
            media: mediaStep(apiKeyCredentials(staticOutboundCredentials(LOCAL_TWILIO))),
          }),
        )
      : undefined;
  const handler = createHandler({
    store,
    authToken: tokenSource,
    media,
    bot,
    publicBaseUrl,
    logger,
    clock: options.clock,
    errorReply,
    language,
    handoff,
    enqueue: replyQueue?.enqueue,
    extraRoutes: {
      [HANDOFF_RELEASE_ROUTE]: (params, signedUrl) =>
        handleHandoffRelease({ params, url: signedUrl }, { store, logger, clock: options.clock }),
    },
  });

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const body = await readBody(req);
        if (body === undefined) {
          res.writeHead(413, { "content-type": "text/plain; charset=utf-8" }).end("body too large");
          return;
        }
        const raw = {
          method: req.method ?? "GET",
          url: req.url ?? "/",
          authorization: req.headers.authorization,
          contentType: req.headers["content-type"],
          body,
        };
        const rest =
          (await answerLocalRest(raw, { credentials: LOCAL_TWILIO, authToken, outbox })) ??
          (await answerLocalSend(raw, outbound));
        if (rest) {
          res.writeHead(rest.status, { "content-type": "application/json" });
          res.end(JSON.stringify(rest.body));
          return;
        }
        const event = toPayloadV2Event({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress,
        });
        const result = await handler(event);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(result.headers ?? {}))
          headers[name] = String(value);
        const payload =
          result.body === undefined
            ? undefined
            : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
        res.writeHead(result.statusCode ?? 200, headers);
        res.end(payload);
      } catch (err) {
        logger.error("local server failed", { error: err });
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
        res.end("internal error");
      }
    })();
  });

  return {
    port,
    host,
    url,
    store,
    outbox,
    outbound,
    replyQueue,
    close: async () => {
      // Replies still in the queue are sent to this server: let them finish first.
      await replyQueue?.idle();
      await new Promise<void>((resolve, reject) => {
        outbox.close();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** Raised for a reply mode `npm start` does not know. */
export class ReplyModeError extends Error {
  constructor(value: string) {
    super(
      `unknown reply mode "${value}": use --reply-mode ${REPLY_MODES.join("|")} (or REPLY_MODE=…)`,
    );
    this.name = "ReplyModeError";
  }
}

/**
 * The reply mode of `npm start`: `--reply-mode queued` (or `--reply-mode=queued`), else the
 * `REPLY_MODE` variable, else `inline`.
 */
export function readReplyMode(argv: readonly string[], env: NodeJS.ProcessEnv): ReplyMode {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === "--reply-mode") value = argv[i + 1] ?? "";
    else if (arg.startsWith("--reply-mode=")) value = arg.slice("--reply-mode=".length);
  });
  value ??= env.REPLY_MODE?.trim() || "inline";
  if (!(REPLY_MODES as readonly string[]).includes(value)) throw new ReplyModeError(value);
  return value as ReplyMode;
}

/** `npm start`: the bot, the media twin on PORT+1 (or MEDIA_PORT) and MEDIA_DIR as the bucket. */
async function main(): Promise<void> {
  const language = parseLanguage(process.env.BOT_LANGUAGE);
  const replyMode = readReplyMode(process.argv.slice(2), process.env);
  const port = parsePort(process.env.PORT);
  const authToken = process.env.TWILIO_AUTH_TOKEN || undefined;
  const mediaDir = process.env.MEDIA_DIR || LOCAL_MEDIA_DIR;
  // The deployed function's variables, so limits can be tried locally.
  const settings = readMediaSettings({ ...process.env, MEDIA_BUCKET: mediaDir });
  const mediaHost = await startLocalMediaHost({
    // PORT=0 (a free port) gives the twin a free one too; its URL is in the banner.
    port: parsePort(process.env.MEDIA_PORT, port === 0 ? 0 : port + 1),
    host: process.env.HOST || undefined,
    authToken,
  });
  const bucket = new DirectoryMediaBucket(mediaDir);
  const local = await startLocalServer({
    replyMode,
    port,
    host: process.env.HOST || undefined,
    authToken,
    publicUrl: process.env.PUBLIC_URL || undefined,
    language,
    logger: createJsonLogger({ level: parseLogLevel(process.env.LOG_LEVEL) }),
    handoffTimeoutMs: readHandoffEnv(process.env).timeoutMs,
    media: {
      bucket,
      rules: mediaHost.rules,
      limits: settings?.limits,
      deleteFromTwilio: settings?.deleteFromTwilio,
    },
  });
  const lang = language === "es" ? "Spanish" : "English";
  console.error(
    `WhatsApp bot (${lang}, ${replyMode} replies) on ${local.url}: POST ${[...Object.values(WEBHOOK_ROUTES), HANDOFF_RELEASE_ROUTE].join(", ")} ` +
      `(listening on ${local.host}; set HOST to change). Media twin on ${mediaHost.url}, ` +
      `stored under ${bucket.root}. ` +
      `In another terminal: npm run chat -- "${scripts[language].menuWords[1]}"`,
  );
  const stop = () =>
    void Promise.all([local.close(), mediaHost.close()]).then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}

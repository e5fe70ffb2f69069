import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { answerOnce } from "./answerOnce";
import type { AuthTokenSource } from "./authToken";
import { scripts, type Language } from "./botScript";
import type { Bot, BotReply } from "./bot";
import { deadlineIn } from "./deadline";
import { HttpError, MethodNotAllowedError, NotFoundError } from "./errors";
import type { HandoffSettings } from "./handoff/settings";
import { logFailure, silentLogger, type Logger } from "./logger";
import { inlineMediaDeadlines, signalAt } from "./media/budget";
import type { MediaStep } from "./media/storeMedia";
import { conversationId, parseIncomingMessage, parseStatusCallback } from "./message";
import { MAX_BODY_BYTES, verifyTwilioRequest, type FormParams } from "./request";
import { WEBHOOK_ROUTES, type WebhookRoute } from "./routes";
import type { Store } from "./store/store";
import { TWIML_CONTENT_TYPE, emptyTwiml, renderTwiml } from "./twiml";
import { runTurn } from "./turn";
import { acceptOnce, type Enqueue } from "./queue/accept";

/** The part of Lambda's context the handler reads: how long the invocation may still run. */
export interface TimeLeft {
  /** Milliseconds before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
}

/** The Lambda handler's shape: an HTTP API payload 2.0 event in, a structured result out. */
export type WebhookHandler = (
  event: APIGatewayProxyEventV2,
  context?: TimeLeft,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Time kept back from Lambda's limit to answer 500 and log, rather than be stopped mid-way. */
export const RESPONSE_MARGIN_MS = 500;

/** Everything the handler needs, injected so Lambda, the local server and tests differ only here. */
export interface HandlerDeps {
  /** Claims, conversations and statuses. */
  store: Store;
  /** The Twilio auth token (signature key). */
  authToken: AuthTokenSource;
  /** The bot that answers incoming messages. */
  bot: Bot;
  /** The public base URL Twilio calls (no trailing slash). */
  publicBaseUrl: string;
  /** Clock, for conversation times and TTLs. */
  clock?: () => Date;
  /** Structured logger. */
  logger?: Logger;
  /** Sent when the bot throws; the Spanish script's apology by default. */
  errorReply?: string;
  /** Body size limit in bytes. */
  maxBodyBytes?: number;
  /**
   * Time budget of one request in ms when no Lambda context says how long is left (local runs,
   * tests); unlimited by default.
   */
  timeLimitMs?: number;
  /** The bot's language: its consent keywords win where languages share one. Spanish by default. */
  language?: Language;
  /** Hand-off to a person (topic publisher, timeout); without it nothing is published or paused. */
  handoff?: HandoffSettings;
  /**
   * The reply queue. When set, the webhook runs in `queued` mode: it stores and enqueues each
   * message and answers an empty TwiML, and the worker replies (docs/reply-modes.md).
   */
  enqueue?: Enqueue;
  /** More Twilio-signed POST routes by path (e.g. `/twilio/usage`); they get verified fields. */
  extraRoutes?: Readonly<Record<string, ExtraRoute>>;
  /** Copies incoming media to the bucket (lambda/media); without it no media is fetched. */
  media?: MediaStep;
}

/**
 * A further signed route: verified form fields and the URL they were signed with in, a response
 * out; HttpErrors map to 4xx.
 */
export type ExtraRoute = (
  params: FormParams,
  url: string,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route name. */
export type RouteName = WebhookRoute;

/** The routes Twilio calls, by path. */
export const ROUTES: Readonly<Record<string, RouteName>> = Object.fromEntries(
  Object.entries(WEBHOOK_ROUTES).map(([name, path]) => [path, name as RouteName]),
);

/** Finds the route for a request (a built-in name or an extra route's path), or throws 404/405. */
export function matchRoute(
  event: APIGatewayProxyEventV2,
  extraRoutes: Readonly<Record<string, ExtraRoute>> = {},
): RouteName | { extra: string } {
  const path = typeof event?.rawPath === "string" ? event.rawPath : "";
  const has = (table: object) => Object.prototype.hasOwnProperty.call(table, path);
  const route = has(ROUTES) ? ROUTES[path] : has(extraRoutes) ? { extra: path } : undefined;
  if (!route) throw new NotFoundError("no such route");
  const method = event.requestContext?.http?.method;
  if (typeof method !== "string" || method.toUpperCase() !== "POST") {
    throw new MethodNotAllowedError("only POST is allowed");
  }
  return route;
}

function twiml(body: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: 200, headers: { "content-type": TWIML_CONTENT_TYPE }, body };
}

function plain(statusCode: number, body: string): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (statusCode === 405) headers.allow = "POST";
  return { statusCode, headers, body };
}

function shortPath(event: APIGatewayProxyEventV2): string | undefined {
  return typeof event?.rawPath === "string" ? event.rawPath.slice(0, 120) : undefined;
}

/** Builds the webhook handler: route, decode, verify, dispatch, respond; errors map to statuses here. */
export function createHandler(deps: HandlerDeps): WebhookHandler {
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;
  const errorReply = deps.errorReply ?? scripts.es.error;
  const statusCallbackUrl = `${deps.publicBaseUrl}${WEBHOOK_ROUTES.status}`;

  const answer = async (
    params: FormParams,
    route: "incoming" | "fallback",
    budgetMs: number,
    startedAt: number,
  ) => {
    const deadline = deadlineIn(budgetMs);
    const mediaDeadlines = inlineMediaDeadlines(budgetMs, startedAt);
    const mediaStep = deps.media;
    const message = parseIncomingMessage(params);
    const now = clock();
    const log = { messageSid: message.messageSid, route, kind: message.kind };
    if (route === "fallback") {
      // Twilio calls the fallback URL when the primary failed; ErrorCode says why.
      logger.warn("fallback webhook", {
        ...log,
        errorCode: params.ErrorCode,
        errorUrl: params.ErrorUrl,
      });
    }
    const id = conversationId(message.from);
    if (deps.enqueue) {
      const accepted = await acceptOnce(
        {
          messageSid: message.messageSid,
          conversationId: id,
          profileName: message.from.profileName,
          route,
          now,
          params,
        },
        { store: deps.store, deadline, logger, enqueue: deps.enqueue },
      );
      const { kind: outcome, ...detail } = accepted;
      logger.info(outcome === "duplicate" ? "duplicate message ignored" : "message queued", {
        ...log,
        outcome,
        ...detail,
      });
      return twiml(emptyTwiml());
    }
    let reply: BotReply | undefined;
    let newSession = false;
    let gate: string | undefined;
    let afterAnswer: ((signal?: AbortSignal) => Promise<void>) | undefined;
    const outcome = await answerOnce(
      {
        messageSid: message.messageSid,
        conversationId: id,
        profileName: message.from.profileName,
        route,
        now,
        compute: async (previous) => {
          const turn = await runTurn(message, previous, id, now, {
            bot: deps.bot,
            logger,
            errorReply,
            language: deps.language,
            handoff: deps.handoff,
            // Bounded so the copy never makes the answer miss Twilio's timeout (media/budget.ts).
            media:
              mediaStep &&
              ((received, conversation) =>
                mediaStep(received, conversation, signalAt(mediaDeadlines.copyEndsAt))),
          });
          reply = turn.reply;
          newSession = turn.newSession;
          gate = turn.gate;
          afterAnswer = turn.afterAnswer;
          return { twiml: renderTwiml(reply, { statusCallbackUrl }), change: turn.change };
        },
      },
      { store: deps.store, deadline, logger },
    );
    if (outcome.kind === "duplicate") {
      logger.info("duplicate message ignored", { ...log, reason: outcome.reason });
      return twiml(emptyTwiml());
    }
    if (outcome.kind === "resent") {
      logger.info("stored answer sent again", log);
      return twiml(outcome.twiml);
    }
    if (afterAnswer) {
      try {
        await afterAnswer(signalAt(mediaDeadlines.cleanupEndsAt));
      } catch (err) {
        logFailure(logger, "after-answer step failed", log, err);
      }
    }
    logger.info("message answered", {
      ...log,
      media: "media" in message ? message.media.length : 0,
      newSession,
      replies: reply?.messages.length ?? 0,
      gate,
      conversationRecorded: outcome.conversationRecorded,
    });
    logger.debug("message content", { ...log, body: message.body, reply: reply?.messages });
    return twiml(outcome.twiml);
  };

  const recordStatus = async (params: FormParams) => {
    const callback = parseStatusCallback(params);
    const advanced = await deps.store.recordStatus(callback, clock());
    logger.info("status recorded", {
      messageSid: callback.messageSid,
      status: callback.status,
      errorCode: callback.errorCode,
      advanced,
    });
    return { statusCode: 204 };
  };

  return async (event, context) => {
    const startedAt = Date.now();
    const budgetMs = context
      ? context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS
      : (deps.timeLimitMs ?? Infinity);
    try {
      const route = matchRoute(event, deps.extraRoutes);
      const { params, url } = await verifyTwilioRequest(
        event,
        deps.publicBaseUrl,
        deps.authToken,
        deps.maxBodyBytes ?? MAX_BODY_BYTES,
      );
      const extra = typeof route === "object" ? deps.extraRoutes?.[route.extra] : undefined;
      if (extra) return await extra(params, url);
      if (route === "status") return await recordStatus(params);
      return typeof route === "string"
        ? await answer(params, route, budgetMs, startedAt)
        : plain(404, "no such route");
    } catch (err) {
      if (err instanceof HttpError) {
        logger.warn("request refused", {
          statusCode: err.statusCode,
          reason: err.message,
          path: shortPath(event),
        });
        return plain(err.statusCode, err.message);
      }
      logFailure(logger, "request failed", { path: shortPath(event) }, err);
      return plain(500, "internal error");
    }
  };
}

import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { AuthTokenSource } from "../authToken";
import { HttpError, MethodNotAllowedError, NotFoundError } from "../errors";
import type { WebhookHandler } from "../handler";
import { silentLogger, type Logger } from "../logger";
import {
  MAX_BODY_BYTES,
  signedContentDigest,
  verifyTwilioRequest,
  type VerifiedRequest,
} from "../request";
import { USAGE_ROUTE } from "../routes";
import type { Store } from "../store/store";
import { formatSpendingAlert } from "./alertMessage";
import type { AlertPublisher } from "./publisher";
import { parseUsageCallback } from "./usageCallback";

/** Prefix of a firing's claim key, so it can never meet a MessageSid claim. */
export const USAGE_CLAIM_PREFIX = "usage#";

/** What {@link handleUsageCallback} needs; every field but `alerts` has a harmless default. */
export interface UsageCallbackDeps {
  /** Where alerts go; undefined when the stack has no alert topic (the route then answers 404). */
  alerts?: AlertPublisher;
  /** Claims each firing once (the MessageSid claim under another prefix); none means no dedup. */
  store?: Pick<Store, "claimMessage">;
  /** Clock for the claim's TTL. */
  clock?: () => Date;
  /** Structured logger. */
  logger?: Logger;
  /** Names the receiver (e.g. the function `whatsapp-bot-<stack>`) in the alert. */
  source?: string;
}

/**
 * Handles a usage-trigger callback whose signature was already verified: parse (400 when
 * malformed), claim the firing, publish one alert, answer 204. A redelivery of a claimed firing
 * answers 204 without publishing. The claim comes before the publish, so a firing is published at
 * most once: if SNS then fails, the 500 shows in the API's 5xx alarm and the alert's subject in the
 * error log, and Twilio's redelivery is not published again.
 *
 * The claim is keyed on a digest of the whole signed content (URL and every field), not on
 * IdempotencyToken or DateFired: Twilio signs names and values glued together, so characters can
 * move between neighbouring fields (a token that swallows `Recurringmonthly`, a DateFired that
 * swallows the token) without breaking the signature, and a key built from fields would let one
 * captured callback be replayed into many alerts. Every such variant has the same signed content.
 */
export async function handleUsageCallback(
  { params, url }: VerifiedRequest,
  deps: UsageCallbackDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const logger = deps.logger ?? silentLogger;
  const callback = parseUsageCallback(params);
  const log = {
    usageTriggerSid: callback.usageTriggerSid,
    usageCategory: callback.usageCategory,
    currentValue: callback.currentValue,
    triggerValue: callback.triggerValue,
    idempotencyToken: callback.idempotencyToken,
  };
  if (deps.alerts === undefined) {
    // A trigger left behind by an earlier deployment still calls; 404 makes it visible in Twilio.
    logger.warn("usage callback but no alert topic configured", log);
    throw new NotFoundError("spending alerts are not configured");
  }
  if (deps.store !== undefined) {
    const now = (deps.clock ?? (() => new Date()))();
    const key = `${USAGE_CLAIM_PREFIX}${signedContentDigest(url, params)}`;
    if (!(await deps.store.claimMessage(key, now))) {
      logger.info("duplicate usage callback ignored", log);
      return { statusCode: 204 };
    }
  }
  const alert = formatSpendingAlert(callback, deps.source);
  try {
    await deps.alerts.publish(alert);
  } catch (err) {
    logger.error("spending alert not published", { ...log, subject: alert.subject, error: err });
    throw err;
  }
  logger.info("spending alert published", log);
  return { statusCode: 204 };
}

/** What {@link createUsageWebhook} needs: the usage deps plus the signature check's. */
export interface UsageWebhookDeps extends UsageCallbackDeps {
  /** The Twilio auth token (signature key). */
  authToken: AuthTokenSource;
  /** The public base URL Twilio calls (no trailing slash). */
  publicBaseUrl: string;
  /** Body size limit in bytes. */
  maxBodyBytes?: number;
}

/**
 * The usage route on its own: `POST /twilio/usage`, Twilio signature checked with the same
 * `verifyTwilioRequest` as the WhatsApp routes, then {@link handleUsageCallback}. For a function
 * serving only this route; the bot's handler instead dispatches to `handleUsageCallback`.
 */
export function createUsageWebhook(deps: UsageWebhookDeps): WebhookHandler {
  const logger = deps.logger ?? silentLogger;
  return async (event) => {
    try {
      if (event?.rawPath !== USAGE_ROUTE) throw new NotFoundError("no such route");
      if (event.requestContext?.http?.method?.toUpperCase() !== "POST") {
        throw new MethodNotAllowedError("only POST is allowed");
      }
      const request = await verifyTwilioRequest(
        event,
        deps.publicBaseUrl,
        deps.authToken,
        deps.maxBodyBytes ?? MAX_BODY_BYTES,
      );
      return await handleUsageCallback(request, deps);
    } catch (err) {
      if (err instanceof HttpError) {
        logger.warn("request refused", { statusCode: err.statusCode, reason: err.message });
        const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
        if (err.statusCode === 405) headers.allow = "POST";
        return { statusCode: err.statusCode, headers, body: err.message };
      }
      logger.error("request failed", { error: err, path: USAGE_ROUTE });
      return { statusCode: 500, headers: { "content-type": "text/plain" }, body: "internal error" };
    }
  };
}

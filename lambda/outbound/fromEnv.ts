import { ConfigError, normalizeBaseUrl } from "../env";
import type { Logger } from "../logger";
import { WEBHOOK_ROUTES } from "../routes";
import type { Store } from "../store/store";
import { secretOutboundCredentials, type OutboundCredentialsSource } from "./credentials";
import type { MessagesApiOptions } from "./messagesApi";
import type { Outbound } from "./outbound";
import { createTwilioOutbound } from "./twilioOutbound";

/** The environment variable naming the secret with the send path's credentials (JSON). */
export const OUTBOUND_SECRET_ENV = "OUTBOUND_SECRET_ARN";

/** What the send path reads from a Lambda's environment. */
export interface OutboundConfig {
  /** `OUTBOUND_SECRET_ARN`: the secret holding `{accountSid, apiKeySid, apiKeySecret, messagingServiceSid}`. */
  secretArn: string;
  /** `PUBLIC_BASE_URL` + `/whatsapp/status`: every message's StatusCallback. */
  statusCallbackUrl: string;
}

/**
 * Reads the send path's settings; undefined when the stack gave this function no outbound secret.
 * The secret is referenced by ARN only: its value never passes through the environment.
 */
export function readOutboundConfig(env: NodeJS.ProcessEnv): OutboundConfig | undefined {
  const secretArn = env[OUTBOUND_SECRET_ENV]?.trim();
  if (!secretArn) return undefined;
  const base = env.PUBLIC_BASE_URL?.trim();
  if (!base) throw new ConfigError(`${OUTBOUND_SECRET_ENV} is set but PUBLIC_BASE_URL is missing`);
  return {
    secretArn,
    statusCallbackUrl: `${normalizeBaseUrl(base, "PUBLIC_BASE_URL")}${WEBHOOK_ROUTES.status}`,
  };
}

/**
 * The Lambda's send path (for the queue worker, or any function the stack gives the secret):
 * Twilio's REST API with the credentials read from Secrets Manager on the first send.
 */
export function outboundFromEnv(
  env: NodeJS.ProcessEnv,
  deps: {
    store: Pick<Store, "getConversation">;
    logger?: Logger;
    api?: MessagesApiOptions;
    /** The secret's reader, when the caller shares it (the worker's media step does). */
    credentials?: OutboundCredentialsSource;
  },
): Outbound {
  const config = readOutboundConfig(env);
  if (!config) {
    throw new ConfigError(
      `missing environment variable ${OUTBOUND_SECRET_ENV}: this function was deployed without the send path's secret`,
    );
  }
  return createTwilioOutbound({
    credentials: deps.credentials ?? secretOutboundCredentials(config.secretArn),
    conversations: deps.store,
    statusCallbackUrl: config.statusCallbackUrl,
    logger: deps.logger,
    api: deps.api,
  });
}

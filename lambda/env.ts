import { parseLanguage } from "./bot";
import type { Language } from "./botScript";
import { parseLogLevel, type LogLevel } from "./logger";
import { parseTemplateSids, type TemplateSids } from "./templates";

/** Raised when a required environment variable is missing or malformed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The Lambda's settings, read from the environment the stack sets. */
export interface LambdaConfig {
  /** `TABLE_NAME`; undefined means the in-memory store. */
  tableName?: string;
  /** `AUTH_TOKEN_SECRET_ARN`: the secret holding the Twilio auth token. */
  authTokenSecretArn: string;
  /** `AUTH_TOKEN_SECRET_VERSION_ID`: the secret version to read; undefined means the current one. */
  authTokenSecretVersionId?: string;
  /** `PUBLIC_BASE_URL` without a trailing slash. */
  publicBaseUrl: string;
  /** `BOT_LANGUAGE`. */
  language: Language;
  /** `LOG_LEVEL`. */
  logLevel: LogLevel;
  /** `REPLY_QUEUE_URL`: set in `queued` mode, where the webhook enqueues and a worker replies. */
  replyQueueUrl?: string;
  /** `TEMPLATE_SIDS`: each declared WhatsApp template's content SID by name (empty when none). */
  templateSids: TemplateSids;
}

/** Checks that a base URL is absolute http(s) with no query or fragment, and drops a trailing slash. */
export function normalizeBaseUrl(value: string, name: string): string {
  const trimmed = value.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i.test(trimmed)) {
    throw new ConfigError(`${name} must be an absolute http(s) URL without query, got "${value}"`);
  }
  return trimmed;
}

/** Reads the Lambda's configuration; the auth token never comes from a plaintext variable here. */
export function readLambdaConfig(env: NodeJS.ProcessEnv): LambdaConfig {
  const missing = ["AUTH_TOKEN_SECRET_ARN", "PUBLIC_BASE_URL"].filter((name) => !env[name]?.trim());
  if (missing.length > 0)
    throw new ConfigError(`missing environment variables: ${missing.join(", ")}`);
  return {
    tableName: env.TABLE_NAME?.trim() || undefined,
    authTokenSecretArn: (env.AUTH_TOKEN_SECRET_ARN ?? "").trim(),
    authTokenSecretVersionId: env.AUTH_TOKEN_SECRET_VERSION_ID?.trim() || undefined,
    publicBaseUrl: normalizeBaseUrl(env.PUBLIC_BASE_URL ?? "", "PUBLIC_BASE_URL"),
    language: parseLanguage(env.BOT_LANGUAGE),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    templateSids: parseTemplateSids(env),
    replyQueueUrl: env.REPLY_QUEUE_URL?.trim() || undefined,
  };
}

/** The queued mode worker's settings: no auth token (it verifies nothing) and no public routes. */
export interface WorkerConfig {
  /** `TABLE_NAME`; undefined means the in-memory store. */
  tableName?: string;
  /** `PUBLIC_BASE_URL` without a trailing slash: the status callback and hand-off links. */
  publicBaseUrl: string;
  /** `BOT_LANGUAGE`. */
  language: Language;
  /** `LOG_LEVEL`. */
  logLevel: LogLevel;
}

/** Reads the worker's configuration (the send path reads its own variables). */
export function readWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  if (!env.PUBLIC_BASE_URL?.trim()) {
    throw new ConfigError("missing environment variables: PUBLIC_BASE_URL");
  }
  return {
    tableName: env.TABLE_NAME?.trim() || undefined,
    publicBaseUrl: normalizeBaseUrl(env.PUBLIC_BASE_URL, "PUBLIC_BASE_URL"),
    language: parseLanguage(env.BOT_LANGUAGE),
    logLevel: parseLogLevel(env.LOG_LEVEL),
  };
}

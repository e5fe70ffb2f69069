import twilio from "twilio";

/**
 * The one place that builds the Twilio SDK client for the dynamic providers, maps Twilio errors to
 * messages with hints, and retries what is safe to retry.
 *
 * Credentials never pass through resource inputs: `configureTwilio` (called by each provider's
 * `configure`, with the stack config) leaves them on the process object, and the environment is
 * read at call time. Pulumi's closure serializer emits `process` as a reference to the global, so
 * nothing put there is ever copied into the serialized provider stored in the state.
 */

/** The Twilio client type the providers use. */
export type TwilioClient = twilio.Twilio;

/** Account SID with either an API key and secret, or the auth token. */
export interface TwilioCredentials {
  accountSid: string;
  apiKey?: string;
  apiSecret?: string;
  authToken?: string;
}

/** Builds a client from credentials (the real SDK by default; a stand-in in tests). */
export type TwilioClientFactory = (credentials: TwilioCredentials) => TwilioClient;

/** The stack config keys that carry credentials (set `apiSecret` and `authToken` with --secret). */
export const CONFIG_KEYS = {
  accountSid: "twilio:accountSid",
  apiKey: "twilio:apiKey",
  apiSecret: "twilio:apiSecret",
  authToken: "twilio:authToken",
} as const;

/** The environment variables read at call time when the stack config has no credentials. */
export const ENV_KEYS = {
  accountSid: "TWILIO_ACCOUNT_SID",
  apiKey: "TWILIO_API_KEY",
  apiSecret: "TWILIO_API_SECRET",
  authToken: "TWILIO_AUTH_TOKEN",
} as const;

/** Retry tuning; tests shorten the delay. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

interface Slot {
  config?: Partial<TwilioCredentials>;
  factory?: TwilioClientFactory;
  retry?: RetryPolicy;
}

const SLOT_KEY = "__whatsappBotTwilioProvider";

/** The process-wide holder (see the file comment for why it lives on `process`). */
function slot(): Slot {
  const host = process as unknown as Record<string, Slot | undefined>;
  let s = host[SLOT_KEY];
  if (!s) {
    s = {};
    // Not enumerable, so a dump of `process` (a crash report, a debugger) does not list it.
    Object.defineProperty(host, SLOT_KEY, { value: s, enumerable: false, configurable: true });
  }
  return s;
}

/** The subset of Pulumi's dynamic ConfigureRequest the providers read. */
export interface ConfigSource {
  config: { get(key: string): string | undefined };
}

/** Called from every provider's `configure`: remembers the credentials found in stack config. */
export async function configureTwilio(req: ConfigSource): Promise<void> {
  const read = (key: string): string | undefined => {
    const v = req.config.get(key);
    return v === undefined || v === "" ? undefined : v;
  };
  slot().config = {
    accountSid: read(CONFIG_KEYS.accountSid),
    apiKey: read(CONFIG_KEYS.apiKey),
    apiSecret: read(CONFIG_KEYS.apiSecret),
    authToken: read(CONFIG_KEYS.authToken),
  };
}

/** Forgets credentials taken from stack config (tests). */
export function clearConfiguredCredentials(): void {
  delete slot().config;
}

/**
 * Errors thrown by the providers are plain `Error` objects with a `name`, made by factories rather
 * than `class ... extends Error`: in the serialized provider a subclass of Error loses its message
 * and stops being `instanceof Error` (Pulumi's closure serializer rewrites `super(...)` into
 * `Error.call(this, ...)`); the serialization test guards this.
 */
export interface NamedError extends Error {
  name: string;
}

/** The name of errors raised when neither stack config nor environment carries usable credentials. */
export const MISSING_CREDENTIALS_ERROR = "MissingTwilioCredentialsError";

/** Makes a MissingTwilioCredentialsError. */
export function missingCredentialsError(message: string): NamedError {
  const err = new Error(message);
  err.name = MISSING_CREDENTIALS_ERROR;
  return err;
}

/** Credentials from stack config when it has an account SID, else from the environment. */
export function resolveCredentials(env: NodeJS.ProcessEnv = process.env): TwilioCredentials {
  const config = slot().config ?? {};
  const fromConfig = Boolean(config.accountSid);
  const source: Partial<TwilioCredentials> = fromConfig
    ? config
    : {
        accountSid: env[ENV_KEYS.accountSid] || undefined,
        apiKey: env[ENV_KEYS.apiKey] || undefined,
        apiSecret: env[ENV_KEYS.apiSecret] || undefined,
        authToken: env[ENV_KEYS.authToken] || undefined,
      };
  const fix =
    `set ${CONFIG_KEYS.accountSid} plus ${CONFIG_KEYS.apiKey} and ${CONFIG_KEYS.apiSecret} (or ${CONFIG_KEYS.authToken}) ` +
    `with \`pulumi config set [--secret] <key> <value>\`, or export ${ENV_KEYS.accountSid} with ${ENV_KEYS.apiKey} and ` +
    `${ENV_KEYS.apiSecret} (or ${ENV_KEYS.authToken})`;
  if (!source.accountSid) {
    throw missingCredentialsError(`No Twilio account SID: ${fix}`);
  }
  if (!/^AC[0-9a-f]{32}$/.test(source.accountSid)) {
    throw missingCredentialsError(
      `The Twilio account SID must look like AC followed by 32 hex digits (the Console's "Account SID"): ${fix}`,
    );
  }
  if (source.apiKey && source.apiSecret) {
    return { accountSid: source.accountSid, apiKey: source.apiKey, apiSecret: source.apiSecret };
  }
  if (source.authToken) {
    return { accountSid: source.accountSid, authToken: source.authToken };
  }
  throw missingCredentialsError(
    `Twilio account SID found but no API key and secret, nor auth token: ${fix}`,
  );
}

/** The real SDK client: API key auth when a key is given, else the auth token. */
function sdkClient(credentials: TwilioCredentials): TwilioClient {
  if (credentials.apiKey && credentials.apiSecret) {
    return twilio(credentials.apiKey, credentials.apiSecret, {
      accountSid: credentials.accountSid,
    });
  }
  return twilio(credentials.accountSid, credentials.authToken);
}

/** Replaces how clients are built; only tests call this (to point the SDK at the stand-in). */
export function setTwilioClientFactory(factory: TwilioClientFactory | undefined): void {
  slot().factory = factory;
}

/** Overrides the retry policy (tests use a short delay). */
export function setRetryPolicy(policy: RetryPolicy | undefined): void {
  slot().retry = policy;
}

/** A Twilio client with the credentials known right now. */
export function twilioClient(): TwilioClient {
  const factory = slot().factory ?? sdkClient;
  return factory(resolveCredentials());
}

/**
 * A client for the calls a Standard API key may not make (creating and revoking API keys: Twilio
 * takes only the auth token or a Main key there). It uses the auth token from the same source as
 * the credentials (stack config, else the environment) when there is one, else the API key, which
 * works only when it is a Main key.
 */
export function twilioAccountClient(env: NodeJS.ProcessEnv = process.env): TwilioClient {
  const factory = slot().factory ?? sdkClient;
  const credentials = resolveCredentials(env);
  const config = slot().config ?? {};
  const authToken = config.accountSid ? config.authToken : env[ENV_KEYS.authToken] || undefined;
  return factory(authToken ? { accountSid: credentials.accountSid, authToken } : credentials);
}

/** The account SID the client acts for (used in api v2010 paths). */
export function accountSidOf(client: TwilioClient): string {
  return client.accountSid;
}

/** The fields of a Twilio REST error the providers look at. */
interface TwilioErrorShape {
  status?: number;
  code?: number | string;
  message?: string;
  moreInfo?: string;
}

function errorShape(err: unknown): TwilioErrorShape {
  return err !== null && typeof err === "object" ? err : {};
}

/** Whether an error is Twilio's "resource not found" (HTTP 404, error 20404). */
export function isNotFound(err: unknown): boolean {
  const e = errorShape(err);
  return e.status === 404 || Number(e.code) === 20404;
}

/** The Twilio error code of an error, if any. */
export function twilioErrorCode(err: unknown): number | undefined {
  const code = Number(errorShape(err).code);
  return Number.isFinite(code) && code > 0 ? code : undefined;
}

// Arrays, not Sets: Pulumi's closure serializer cannot rebuild a Set inside the serialized provider.
const NETWORK_CODES = [
  "ECONNABORTED",
  "ETIMEDOUT",
  "ECONNRESET",
  "ESOCKETTIMEDOUT",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EPIPE",
];
/** Failures where the request surely never reached Twilio, so even a create may be re-sent. */
const NOT_SENT_CODES = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"];

function networkCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && NETWORK_CODES.includes(code) ? code : undefined;
}

/**
 * Whether a failed call may be sent again. Rate limits (429) and "service unavailable" (503) were
 * not processed, so they are always retried; other 5xx and timeouts may have been applied, so they
 * are retried only for calls that are safe to repeat (reads, updates, deletes), never for creates.
 */
export function isRetryable(err: unknown, idempotent: boolean): boolean {
  const status = errorShape(err).status;
  if (status === 429 || status === 503) return true;
  const net = networkCode(err);
  if (net && NOT_SENT_CODES.includes(net)) return true;
  if (!idempotent) return false;
  return (typeof status === "number" && status >= 500) || net !== undefined;
}

/** The name of errors for Twilio calls that failed. */
export const TWILIO_API_ERROR = "TwilioApiError";

/** A Twilio call that failed, with the code, Twilio's message and a hint for the common cases. */
export interface TwilioApiError extends NamedError {
  status?: number;
  code?: number;
  hint?: string;
}

/** Makes a TwilioApiError (see NamedError for why this is not a class). */
export function twilioApiError(
  message: string,
  details: { status?: number; code?: number; hint?: string },
): TwilioApiError {
  const err = new Error(message) as TwilioApiError;
  err.name = TWILIO_API_ERROR;
  if (details.status !== undefined) err.status = details.status;
  if (details.code !== undefined) err.code = details.code;
  if (details.hint !== undefined) err.hint = details.hint;
  return err;
}

/** Whether an error is a TwilioApiError. */
export function isTwilioApiError(err: unknown): err is TwilioApiError {
  return err instanceof Error && err.name === TWILIO_API_ERROR;
}

/** A hint for the Twilio error codes users meet most while standing up the bot. */
export function hintFor(code: number | undefined, status?: number): string | undefined {
  if (code === 20003 || status === 401) {
    return `authentication failed: check ${CONFIG_KEYS.accountSid} with ${CONFIG_KEYS.apiKey}/${CONFIG_KEYS.apiSecret} or ${CONFIG_KEYS.authToken} (or the ${ENV_KEYS.accountSid}/${ENV_KEYS.apiKey}/${ENV_KEYS.apiSecret}/${ENV_KEYS.authToken} variables); an API key must belong to that account`;
  }
  if (code === 20429 || status === 429) {
    return "Twilio rate-limited the request and retries ran out; run `pulumi up` again in a minute";
  }
  if (code === 21712) {
    return "a sender belongs to one Messaging Service at a time: remove it from the other service (Console > Messaging > Services > Sender Pool), or point serviceSid at that service";
  }
  if (code === 20404 || status === 404) {
    return "the object no longer exists in Twilio: run `pulumi refresh` to forget it, then `pulumi up`";
  }
  if (code === 63016) {
    return "WhatsApp allows free-form messages only within 24 hours of the user's last message; outside that window send an approved template (https://www.twilio.com/docs/errors/63016)";
  }
  if (code === 63007) {
    return "Twilio has no WhatsApp sender for that From address: check the sender is registered and ONLINE (the WhatsAppSender resource's status output)";
  }
  if (code !== undefined && code >= 63000 && code < 64000) {
    return `WhatsApp rejected the request (error ${code}): check the WhatsApp sender's registration and status in the Console (Messaging > Senders > WhatsApp senders) and https://www.twilio.com/docs/errors/${code}`;
  }
  return undefined;
}

/** Removes every known credential value (and Basic auth headers) from a message. */
export function redact(text: string, credentials?: Partial<TwilioCredentials>): string {
  let out = text.replace(/Basic\s+[A-Za-z0-9+/=]+/g, "Basic [redacted]");
  const secrets = [credentials?.apiSecret, credentials?.authToken, credentials?.apiKey];
  for (const env of [ENV_KEYS.apiSecret, ENV_KEYS.authToken, ENV_KEYS.apiKey])
    secrets.push(process.env[env]);
  const config = slot().config;
  secrets.push(config?.apiSecret, config?.authToken, config?.apiKey);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** Turns whatever the SDK threw into a TwilioApiError naming the operation, code and hint. */
export function describeTwilioError(operation: string, err: unknown): TwilioApiError {
  if (isTwilioApiError(err)) return err;
  const e = errorShape(err);
  const code = twilioErrorCode(err);
  const net = networkCode(err);
  const hint = net
    ? `could not reach Twilio (${net}); check the network and run \`pulumi up\` again`
    : hintFor(code, e.status);
  const parts = [`Twilio ${operation} failed`];
  if (e.status) parts.push(`(HTTP ${e.status}${code ? `, error ${code}` : ""})`);
  let message = `${parts.join(" ")}: ${e.message ?? String(err)}`;
  if (hint) message += `. Hint: ${hint}`;
  if (code) message += ` (https://www.twilio.com/docs/errors/${code})`;
  return twilioApiError(redact(message), { status: e.status, code, hint });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/**
 * Runs one Twilio call with retries and exponential backoff (with jitter) for rate limits, 5xx
 * and timeouts, then maps a final failure to a TwilioApiError.
 */
export async function callTwilio<T>(
  operation: string,
  fn: () => Promise<T>,
  opts: { idempotent: boolean },
): Promise<T> {
  const policy = slot().retry ?? { attempts: 5, baseDelayMs: 500, maxDelayMs: 8000 };
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= policy.attempts || !isRetryable(err, opts.idempotent)) {
        throw describeTwilioError(operation, err);
      }
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(backoff / 2 + Math.random() * (backoff / 2));
    }
  }
}

/**
 * Runs a create whose object carries a name unique to the stack, so that a create Twilio applied
 * but answered with a 5xx or a timeout is never orphaned: unless Twilio clearly refused it (a 4xx),
 * the failed create is followed by a look-up by that name, and the object found is taken over.
 * Two objects of that name are not guessed between: the error lists them.
 */
export async function createOrTakeOver<T extends { sid: string }>(
  what: string,
  name: string,
  create: () => Promise<T>,
  findByName: () => Promise<T[]>,
): Promise<T> {
  try {
    return await create();
  } catch (err) {
    const status = errorShape(err).status;
    if (typeof status === "number" && status >= 400 && status < 500) throw err;
    const found = await findByName();
    if (found.length === 1) return found[0];
    if (found.length > 1) {
      throw twilioApiError(
        `${(err as Error).message}. The ${what} may have been created anyway, and ${found.length} named "${name}" exist ` +
          `(${found.map((f) => f.sid).join(", ")}): delete the extra ones in the Twilio Console, then run \`pulumi up\` again`,
        { status, code: twilioErrorCode(err) },
      );
    }
    throw err;
  }
}

import { readFromSecretsManager, type SecretReader } from "../authToken";
import { OutboundCredentialsError } from "./errors";

/**
 * What the send path needs to call Twilio, kept together in one Secrets Manager secret as JSON
 * (the stack writes it: infra/outboundSecret.ts). The Messaging Service SID is not secret, but it
 * cannot be an environment variable: the service's webhook URLs come from the API, whose routes
 * lead to this very function, so the stack writes it into the secret after the service exists.
 */
export interface OutboundCredentials {
  /** The account the messages are sent from (`AC…`); Messages.json paths name it. */
  accountSid: string;
  /** The API key's SID (`SK…`), the Basic auth user name. */
  apiKeySid: string;
  /** The API key's secret, the Basic auth password. */
  apiKeySecret: string;
  /** The stack's Messaging Service (`MG…`), which picks the WhatsApp sender. */
  messagingServiceSid: string;
}

/** Reads the credentials; {@link OutboundCredentialsSource.refresh} drops a cached copy. */
export interface OutboundCredentialsSource {
  /** The credentials, cached by implementations that read them from elsewhere. */
  get(): Promise<OutboundCredentials>;
  /** Forgets the cached copy, so the next {@link get} reads again (after Twilio refused the key). */
  refresh(): void;
}

const FIELDS: Record<keyof OutboundCredentials, { pattern: RegExp; what: string }> = {
  accountSid: { pattern: /^AC[0-9a-f]{32}$/, what: "an account SID (AC + 32 hex digits)" },
  apiKeySid: { pattern: /^SK[0-9a-f]{32}$/, what: "an API key SID (SK + 32 hex digits)" },
  apiKeySecret: { pattern: /^\S{16,}$/, what: "an API key secret (16 or more characters)" },
  messagingServiceSid: {
    pattern: /^MG[0-9a-f]{32}$/,
    what: "a Messaging Service SID (MG + 32 hex digits)",
  },
};

/**
 * Parses the secret's JSON. A failure names the field and where it came from, never a value:
 * the secret's text holds the API key secret.
 */
export function parseOutboundCredentials(
  text: string | undefined,
  source: string,
): OutboundCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? "");
  } catch {
    throw new OutboundCredentialsError(
      `${source} does not hold JSON with ${Object.keys(FIELDS).join(", ")}: run \`pulumi up\` to write it`,
    );
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const out: Partial<OutboundCredentials> = {};
  for (const [name, { pattern, what }] of Object.entries(FIELDS)) {
    const value = record[name];
    if (typeof value !== "string" || !pattern.test(value)) {
      throw new OutboundCredentialsError(`${source}: ${name} must be ${what}`);
    }
    out[name as keyof OutboundCredentials] = value;
  }
  return out as OutboundCredentials;
}

/** Options for {@link secretOutboundCredentials}. */
export interface SecretCredentialsOptions {
  /** Reads the secret; Secrets Manager (SDK loaded on first use) by default. */
  read?: SecretReader;
  /**
   * How long a copy is served before it is read again, in ms (15 minutes by default). A rotated
   * key is also picked up at once when Twilio refuses the old one (see `refresh`).
   */
  maxAgeMs?: number;
  /** Clock, for the age. */
  now?: () => number;
}

/** The default age of a cached copy: a key rotation reaches warm containers within it. */
export const CREDENTIALS_MAX_AGE_MS = 15 * 60 * 1000;

/**
 * The credentials from a Secrets Manager secret (its current version), read on first use and
 * cached. Unlike the auth token this is not pinned to a version by an environment variable: the
 * version is written after the Messaging Service, which depends on this function through its
 * webhook URLs, so the function cannot name it (a dependency cycle). A cached copy is read again
 * after `maxAgeMs`, or at once after Twilio refused the key (`refresh`). A failed read is not
 * cached.
 */
export function secretOutboundCredentials(
  secretId: string,
  options: SecretCredentialsOptions = {},
): OutboundCredentialsSource {
  const read = options.read ?? readFromSecretsManager;
  const maxAge = options.maxAgeMs ?? CREDENTIALS_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  let cached: { value: Promise<OutboundCredentials>; at: number } | undefined;
  return {
    get() {
      if (cached && now() - cached.at >= maxAge) cached = undefined;
      if (!cached) {
        const entry = {
          value: read(secretId).then((text) =>
            parseOutboundCredentials(text, `secret ${secretId}`),
          ),
          at: now(),
        };
        cached = entry;
        entry.value.catch(() => {
          if (cached === entry) cached = undefined;
        });
      }
      return cached.value;
    },
    refresh() {
      cached = undefined;
    },
  };
}

/** Fixed credentials (the local server's, tests). */
export function staticOutboundCredentials(
  credentials: OutboundCredentials,
): OutboundCredentialsSource {
  return { get: async () => credentials, refresh: () => undefined };
}

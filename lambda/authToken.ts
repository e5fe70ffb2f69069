/** Returns the Twilio auth token; implementations cache it. */
export type AuthTokenSource = () => Promise<string>;

/** Raised when the secret store has no usable token. */
export class AuthTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthTokenError";
  }
}

/** Reads a secret's SecretString; injectable so tests can stand in for Secrets Manager. */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

/** Reads from AWS Secrets Manager; the SDK (external to the bundle) loads only on first use. */
export const readFromSecretsManager: SecretReader = async (secretId) => {
  const { getSecretString } = await import("./secretsManager");
  return getSecretString(secretId);
};

/**
 * The auth token from a secret, fetched once and cached for the life of the container. A failed
 * fetch is not cached, so the next request tries again.
 */
export function secretAuthToken(
  secretId: string,
  read: SecretReader = readFromSecretsManager,
): AuthTokenSource {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= read(secretId).then((value) => {
      const token = (value ?? "").trim();
      if (token === "") throw new AuthTokenError(`secret ${secretId} has no SecretString`);
      return token;
    });
    cached.catch(() => {
      cached = undefined;
    });
    return cached;
  };
}

/** A fixed token (the local server's, from TWILIO_AUTH_TOKEN). */
export function staticAuthToken(token: string): AuthTokenSource {
  return async () => token;
}

/** Returns the Twilio auth token; implementations cache it. */
export type AuthTokenSource = () => Promise<string>;

/** Raised when the secret store has no usable token. */
export class AuthTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthTokenError";
  }
}

/** Reads a secret's SecretString (a given version, or the current one); injectable for tests. */
export type SecretReader = (secretId: string, versionId?: string) => Promise<string | undefined>;

/** Reads from AWS Secrets Manager; the SDK (external to the bundle) loads only on first use. */
export const readFromSecretsManager: SecretReader = async (secretId, versionId) => {
  const { getSecretString } = await import("./secretsManager");
  return getSecretString(secretId, versionId);
};

/**
 * The auth token from a secret, fetched once and cached for the life of the container. A failed
 * fetch is not cached, so the next request tries again. With `versionId` (the stack passes the
 * version it wrote) a rotated token changes the function's configuration, so Lambda starts new
 * containers that read the new token instead of warm ones validating with the old one.
 */
export function secretAuthToken(
  secretId: string,
  read: SecretReader = readFromSecretsManager,
  versionId?: string,
): AuthTokenSource {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= read(secretId, versionId).then((value) => {
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

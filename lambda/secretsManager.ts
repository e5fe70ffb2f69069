import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

let client: SecretsManagerClient | undefined;

/** Reads a secret's SecretString (one version when `versionId` is set) with one client per container. */
export async function getSecretString(
  secretId: string,
  versionId?: string,
): Promise<string | undefined> {
  client ??= new SecretsManagerClient({});
  const out = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: versionId }),
  );
  return out.SecretString;
}

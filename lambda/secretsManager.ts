import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

let client: SecretsManagerClient | undefined;

/** Reads a secret's SecretString from AWS Secrets Manager with one client per container. */
export async function getSecretString(secretId: string): Promise<string | undefined> {
  client ??= new SecretsManagerClient({});
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  return out.SecretString;
}

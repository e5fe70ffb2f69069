import { type ResourceValidationPolicy } from "@pulumi/policy";
import { known, knownEntries } from "./known";
import { AWS_TYPES } from "./resourceTypes";

/** Name parts that mark a variable as holding a credential. */
const SECRET_WORDS = new Set([
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "PWD",
  "KEY",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
]);
/** A last name part that marks the variable as a reference to a secret, not the secret itself. */
const REFERENCE_SUFFIXES = new Set(["ARN", "ID", "NAME", "PARAMETER", "PARAM", "PATH"]);
/** Values shaped like Twilio credentials: an auth token (32 hex) or an API key SID. */
const SECRET_VALUES: { pattern: RegExp; what: string }[] = [
  { pattern: /^[0-9a-f]{32}$/, what: "a Twilio auth token (32 hex characters)" },
  { pattern: /^SK[0-9a-fA-F]{32}$/, what: "a Twilio API key SID (SK…)" },
];

/** Policy config: variable names to let through despite their name. */
export interface LambdaEnvSecretsConfig {
  /** Exact variable names that are known not to hold a secret. */
  allowedNames?: string[];
}

/** Why a variable name looks like it holds a secret, or undefined when it does not. */
export function secretLookingName(name: string): string | undefined {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((p) => p !== "");
  const word = parts.find((p) => SECRET_WORDS.has(p));
  if (word === undefined) return undefined;
  if (REFERENCE_SUFFIXES.has(parts[parts.length - 1])) return undefined;
  return `its name contains ${word}`;
}

/**
 * No Lambda environment variable holds a secret in plaintext: the function configuration (and
 * Pulumi state) would show it to anyone with read access. The bot reads the Twilio auth token
 * from Secrets Manager through AUTH_TOKEN_SECRET_ARN instead. Values are never echoed.
 */
export const lambdaEnvSecrets: ResourceValidationPolicy = {
  name: "lambda-env-no-plaintext-secrets",
  description:
    "Lambda environment variables hold no secret in plaintext (reference it by ARN instead).",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedNames: { type: "array", items: { type: "string" }, default: [] },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_TYPES.lambdaFunction) return;
    const allowed = new Set(args.getConfig<LambdaEnvSecretsConfig>().allowedNames ?? []);
    const variables = known(
      (): unknown =>
        (args.props as { environment?: { variables?: unknown } }).environment?.variables,
    );
    for (const [name, value] of knownEntries(variables)) {
      if (allowed.has(name)) continue;
      const byName = secretLookingName(name);
      if (byName !== undefined) {
        reportViolation(
          `environment variable ${name} looks like a secret (${byName}); store it in Secrets Manager and pass its ARN.`,
        );
        continue;
      }
      const shape =
        typeof value === "string" ? SECRET_VALUES.find((s) => s.pattern.test(value)) : undefined;
      if (shape !== undefined) {
        reportViolation(
          `environment variable ${name} holds a value shaped like ${shape.what}; store it in Secrets Manager and pass its ARN.`,
        );
      }
    }
  },
};

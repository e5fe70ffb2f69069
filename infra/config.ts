import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import {
  KEYS,
  PROJECT,
  SENDER_FIELD_EXAMPLES,
  TWILIO_KEYS,
  senderProfileSchema,
  senderSchema,
  type Environment,
  type KeyDef,
  type KeyName,
  type KeyValues,
} from "./configSchema";

export {
  BOT_LANGUAGES,
  ENVIRONMENTS,
  LOG_LEVELS,
  LOG_RETENTION_DAYS,
  PROJECT,
  type BotLanguage,
  type Environment,
  type LogLevel,
  type SenderConfig,
  type SenderProfileConfig,
} from "./configSchema";

/** Every key this program reads in its own namespace; anything else is a typo. */
export const KNOWN_KEYS = Object.keys(KEYS) as KeyName[];

/** The default of each key that has one regardless of the environment, as written in YAML. */
export const DEFAULTS = Object.fromEntries(
  Object.entries(KEYS as Record<KeyName, KeyDef>)
    .filter(([, def]) => def.default !== undefined)
    .map(([name, def]) => [name, def.default]),
) as Readonly<Record<string, unknown>>;

/** Twilio credentials; secrets stay Outputs marked secret so they never reach state in plaintext. */
export interface TwilioConfig {
  /** `twilio:accountSid`, when set in stack config (the provider may also read TWILIO_ACCOUNT_SID). */
  readonly accountSid?: string;
  /** `twilio:apiKey` (SK…), when set. */
  readonly apiKey?: string;
  /** `twilio:apiSecret`, secret, present when `apiKey` is. */
  readonly apiSecret?: pulumi.Output<string>;
  /**
   * `twilio:authToken`, secret: stored in Secrets Manager for signature validation. Undefined only
   * in a preview run without it (pull-request previews get no Twilio credentials); `pulumi up`
   * requires it.
   */
  readonly authToken?: pulumi.Output<string>;
}

/** The validated configuration of one stack: every key of the schema, parsed, plus what is derived. */
export type StackConfig = Readonly<
  KeyValues & {
    /** The Pulumi stack name. */
    stack: string;
    /** Prefix of every resource name: `whatsapp-bot-<stack>`. */
    namePrefix: string;
    /** Tags for every AWS resource: project, stack, environment and the user's own. */
    tags: Readonly<Record<string, string>>;
    /** Twilio credentials. */
    twilio: TwilioConfig;
  }
>;

/** One problem with one config key, and the command that fixes it. */
export interface ConfigProblem {
  /** The full key, e.g. `whatsapp-bot:lambdaMemoryMb`. */
  readonly key: string;
  /** What is wrong, never echoing a secret. */
  readonly reason: string;
  /** The command (or step) that fixes it. */
  readonly fix: string;
}

/** Thrown by {@link loadConfig} before any resource exists; lists every problem found. */
export class ConfigError extends Error {
  /** Every problem found, in key order. */
  readonly problems: readonly ConfigProblem[];

  constructor(stack: string, problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration for stack "${stack}":\n` +
        problems.map((p) => `  - ${p.key}: ${p.reason}. Fix: ${p.fix}`).join("\n"),
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Longest stack name whose derived AWS names (Lambda, IAM role with suffix) stay within limits. */
const MAX_STACK_NAME = 32;
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const REVIEW_STACK = /^pr-[1-9][0-9]*$/;
const INTEGER = /^\s*-?[0-9]+\s*$/;

/** The pulumi SDK marks this @internal, but it is how Config knows which keys the CLI decrypted. */
type RuntimeWithSecretKeys = typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };

type Report = (key: string, reason: string, fix: string) => void;

/**
 * The value a key's text stands for: the CLI passes scalars as text and lists and maps as JSON.
 * Text that does not fit is passed on as it is, so the schema refuses it with the key's own rule.
 */
function fromCliText(def: KeyDef, raw: string): unknown {
  switch (def.kind) {
    case "integer":
      return INTEGER.test(raw) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "array":
    case "object":
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

/** The fields a map at `path` of the sender may hold, for the "allowed:" part of a message. */
function allowedFields(input: unknown, path: readonly PropertyKey[]): string {
  if (path.at(-1) === "profile") return Object.keys(senderProfileSchema.shape).join(", ");
  const mode = (input as { mode?: unknown } | undefined)?.mode;
  const variant = senderSchema.options.find((o) => o.shape.mode.value === mode);
  return Object.keys(variant?.shape ?? {}).join(", ");
}

/** Turns a schema issue into problems: the full key (with the field's path) and the fix. */
function problemsOf(
  name: KeyName,
  def: KeyDef,
  raw: string,
  input: unknown,
  issue: z.core.$ZodIssue,
  problem: Report,
): void {
  const full = `${PROJECT}:${name}`;
  const fix = (issue as { params?: { fix?: string } }).params?.fix;
  if (issue.path.length === 0 && issue.code !== "unrecognized_keys") {
    // A scalar (or a whole map or list) is wrong: the key's own rule and fix.
    const shown = def.kind === "string" || def.kind === "integer" || def.kind === "boolean";
    const reason =
      shown && !issue.message.includes("(got") ? `${issue.message} (got "${raw}")` : issue.message;
    const isModeUnion = name === "sender" && issue.code === "invalid_union";
    if (isModeUnion) {
      problem(`${full}.mode`, issue.message, `pulumi config set --path '${full}.mode' adopt`);
      return;
    }
    problem(full, reason, fix ?? def.fix ?? `pulumi config set ${full} ${def.example}`);
    return;
  }
  const at = [full, ...issue.path.map(String)].join(".");
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.at(-1) === "profile" ? "a profile field" : undefined;
    const mode = (input as { mode?: unknown } | undefined)?.mode;
    for (const field of issue.keys) {
      problem(
        `${at}.${field}`,
        `is not ${where ?? `a field of a "${String(mode)}" sender`} (allowed: ${allowedFields(input, issue.path)})`,
        `pulumi config rm --path '${at}.${field}'`,
      );
    }
    return;
  }
  const field = String(issue.path.at(-1));
  const example = SENDER_FIELD_EXAMPLES[field] ?? "<value>";
  const setFix = issue.message.startsWith("must be a list")
    ? `pulumi config set --path '${at}[0]' <value>`
    : `pulumi config set --path '${at}' ${example}`;
  problem(at, issue.message, fix ?? setFix);
}

/**
 * Reads and validates the whole stack configuration against the schema in configSchema.ts. The only
 * reader of `pulumi.Config` in the program. Throws {@link ConfigError} listing every problem before
 * any resource is declared.
 */
export function loadConfig(): StackConfig {
  const stack = pulumi.getStack();
  const own = new pulumi.Config(PROJECT);
  const problems: ConfigProblem[] = [];
  const problem: Report = (key, reason, fix) => {
    problems.push({ key, reason, fix });
  };
  const full = (name: string): string => `${PROJECT}:${name}`;

  for (const key of Object.keys(pulumi.runtime.allConfig())) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    if (!(KNOWN_KEYS as string[]).includes(key.slice(PROJECT.length + 1))) {
      problem(
        key,
        "is not a key this program reads",
        `pulumi config rm ${key} (known keys: ${KNOWN_KEYS.join(", ")})`,
      );
    }
  }

  if (!STACK_NAME.test(stack) || stack.length > MAX_STACK_NAME) {
    problem(
      "stack name",
      `"${stack}" must be letters, digits, "-" or "_", at most ${MAX_STACK_NAME} characters, because AWS resource names carry it`,
      "pulumi stack rename <shorter-name>",
    );
  }

  // The environment comes first: other keys' defaults and rules depend on it.
  const environmentRaw = own.get("environment");
  const environmentParsed = KEYS.environment.schema.safeParse(environmentRaw);
  const environment: Environment = environmentParsed.success ? environmentParsed.data : "dev";

  const values: Partial<Record<KeyName, unknown>> = {};
  for (const [name, def] of Object.entries(KEYS) as Array<[KeyName, KeyDef]>) {
    const raw = own.get(name);
    if (raw === undefined && def.default === undefined && def.defaultFor === undefined) {
      problem(
        full(name),
        "is required",
        def.fix ?? `pulumi config set ${full(name)} ${def.example}`,
      );
      continue;
    }
    const input =
      raw === undefined ? (def.defaultFor?.(environment) ?? def.default) : fromCliText(def, raw);
    const parsed = def.schema.safeParse(input);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      for (const issue of parsed.error.issues) {
        problemsOf(name, def, raw ?? "", input, issue, problem);
      }
    }
  }

  // Rules across keys.
  if (environment === "review" && environmentRaw !== undefined && !REVIEW_STACK.test(stack)) {
    problem(
      full("environment"),
      `review stacks are named pr-<number>, this one is "${stack}"`,
      "pulumi stack init pr-<number> for a review stack, or set another environment",
    );
  }
  if (REVIEW_STACK.test(stack) && environmentParsed.success && environment !== "review") {
    problem(
      full("environment"),
      `stack "${stack}" is named like a review stack but its environment is "${environmentRaw}"`,
      `pulumi config set ${full("environment")} review`,
    );
  }
  // Staging and review stacks must be destroyable to zero, which protection would block.
  if (values.protect === true && (environment === "review" || environment === "staging")) {
    problem(
      full("protect"),
      `must be false for ${environment} stacks, which must be destroyable to zero`,
      `pulumi config set ${full("protect")} false`,
    );
  }
  // A sender belongs to one Messaging Service only; a review stack taking it would break prod.
  const sender = values.sender as KeyValues["sender"] | undefined;
  if (environment === "review" && sender !== undefined && sender.mode !== "none") {
    problem(
      `${full("sender")}.mode`,
      "review stacks run without a sender",
      `pulumi config set --path '${full("sender")}.mode' none`,
    );
  }

  // A review stack sharing a console-made service would repoint its URLs away from the real stack.
  const adopted = values.messagingService as KeyValues["messagingService"] | undefined;
  if (environment === "review" && adopted?.sid !== undefined) {
    problem(
      `${full("messagingService")}.sid`,
      "review stacks create their own Messaging Service and never adopt one",
      `pulumi config rm ${full("messagingService")}`,
    );
  }

  const twilioConfig = readTwilio(new pulumi.Config("twilio"), problem);

  if (problems.length > 0) throw new ConfigError(stack, problems);

  const parsed = values as KeyValues;
  return {
    ...parsed,
    stack,
    environment,
    namePrefix: `${PROJECT}-${stack}`,
    tags: { ...parsed.tags, project: PROJECT, stack, environment },
    twilio: twilioConfig,
  };
}

function readTwilio(config: pulumi.Config, problem: Report): TwilioConfig {
  const isSecret = (pulumi.runtime as RuntimeWithSecretKeys).isConfigSecret;
  // Only secret-ness and shape are checked here; a secret's value is never put in a message.
  const secret = (name: string, pattern: RegExp | undefined, what: string, required: boolean) => {
    const key = `twilio:${name}`;
    const fix = `pulumi config set --secret ${key} <${what}>`;
    const raw = config.get(name);
    if (raw === undefined) {
      if (required) problem(key, "is required", fix);
      return undefined;
    }
    if (isSecret === undefined || !isSecret(key)) {
      problem(key, "is stored in plaintext; it must be secret config", fix);
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(raw)) {
      problem(key, `does not look like a ${what}`, fix);
      return undefined;
    }
    return config.requireSecret(name);
  };
  const plain = (name: string, pattern: RegExp, example: string): string | undefined => {
    const key = `twilio:${name}`;
    const raw = config.get(name);
    if (raw !== undefined && !pattern.test(raw)) {
      problem(key, `is not valid (got "${raw}")`, `pulumi config set ${key} ${example}`);
      return undefined;
    }
    return raw;
  };

  const accountSid = plain(
    "accountSid",
    TWILIO_KEYS.accountSid.pattern,
    TWILIO_KEYS.accountSid.example,
  );
  const apiKey = plain("apiKey", TWILIO_KEYS.apiKey.pattern, TWILIO_KEYS.apiKey.example);
  // A preview makes no Twilio call (the providers' check and diff are local), and the token only
  // feeds the secret version, whose deployed value the stack then keeps; an update needs it.
  const previewOnly = pulumi.runtime.isDryRun();
  const authToken = secret(
    "authToken",
    TWILIO_KEYS.authToken.pattern,
    TWILIO_KEYS.authToken.example,
    !previewOnly,
  );
  if (authToken === undefined && previewOnly && config.get("authToken") === undefined) {
    void pulumi.log.warn(
      "twilio:authToken is not set: previewing with the auth token the stack last deployed. " +
        "`pulumi up` needs it: pulumi config set --secret twilio:authToken <auth token>",
    );
  }
  const apiSecret = secret(
    "apiSecret",
    TWILIO_KEYS.apiSecret.pattern,
    TWILIO_KEYS.apiSecret.example,
    config.get("apiKey") !== undefined,
  );
  if (config.get("apiSecret") !== undefined && config.get("apiKey") === undefined) {
    problem(
      "twilio:apiKey",
      "is required when twilio:apiSecret is set",
      "pulumi config set twilio:apiKey SK<32 hex>",
    );
  }
  return { accountSid, apiKey, apiSecret, authToken };
}

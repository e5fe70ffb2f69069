import * as pulumi from "@pulumi/pulumi";
import {
  DISPLAY_NAME_MAX_LENGTH,
  VERIFICATION_CODE_PATTERN,
  VERTICALS,
  WHATSAPP_NUMBER_PATTERN,
  type Vertical,
} from "./twilio/senderRules";

/** The Pulumi project name, which is also the namespace of this program's own config keys. */
export const PROJECT = "whatsapp-bot";

/** The kinds of environment a stack can be. */
export const ENVIRONMENTS = ["dev", "staging", "prod", "review"] as const;
/** One of {@link ENVIRONMENTS}. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** Languages the default bot script ships in. */
export const BOT_LANGUAGES = ["es", "en"] as const;
/** One of {@link BOT_LANGUAGES}. */
export type BotLanguage = (typeof BOT_LANGUAGES)[number];

/** Log levels the Lambda understands (`LOG_LEVEL`). */
export const LOG_LEVELS = ["info", "debug", "warn", "error"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy); anything else is rejected by AWS. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** Defaults for keys whose default does not depend on the environment; Pulumi.yaml declares the same. */
export const DEFAULTS = {
  lambdaMemoryMb: 256,
  lambdaTimeoutSeconds: 10,
  logRetentionDays: 14,
  throttleRateLimit: 25,
  throttleBurstLimit: 50,
  api4xxAlarmThreshold: 5,
  botLanguage: "es" as BotLanguage,
  logLevel: "info" as LogLevel,
  alarmEmail: "",
  budgetUsd: 0,
  budgetThresholdsPercent: [50, 80, 100] as readonly number[],
} as const;

/** The WhatsApp profile fields a stack may manage on its sender (passed through to WhatsAppSender). */
export interface SenderProfileConfig {
  /** "About" text shown in WhatsApp. */
  readonly about?: string;
  /** Business address. */
  readonly address?: string;
  /** Business description. */
  readonly description?: string;
  /** Business vertical, e.g. `Shopping and Retail`. */
  readonly vertical?: Vertical;
  /** Business websites (https). */
  readonly websites?: string[];
  /** Business e-mail addresses. */
  readonly emails?: string[];
  /** Logo as an https URL. */
  readonly logoUrl?: string;
  /** Logo as a local JPG/PNG file, relative to the project directory. */
  readonly logoFile?: string;
}

/** Settings shared by the adopt and register sender modes. */
interface ManagedSenderConfig {
  /** Point the sender's own webhook at this stack's routes too. */
  readonly webhook: boolean;
  /** Profile fields to manage; undefined leaves the profile as it is. */
  readonly profile?: SenderProfileConfig;
  /** Delete the sender in Twilio when the stack is destroyed (default: only detach it). */
  readonly deleteOnDestroy: boolean;
}

/** `whatsapp-bot:sender`: no sender, adopt an existing one, or register a new one. */
export type SenderConfig =
  | { readonly mode: "none" }
  | (ManagedSenderConfig & {
      readonly mode: "adopt";
      /** The sender's XE… SID. */
      readonly sid?: string;
      /** The sender's number, `+E164` or `whatsapp:+E164`. */
      readonly number?: string;
    })
  | (ManagedSenderConfig & {
      readonly mode: "register";
      /** The number to register, `+E164` or `whatsapp:+E164`. */
      readonly number: string;
      /** The WhatsApp Business Account id. */
      readonly wabaId: string;
      /** How Meta sends the verification code. */
      readonly verificationMethod: "sms" | "voice";
      /** The code received, set on a later `pulumi up`. */
      readonly verificationCode?: string;
      /** The display name Meta reviews; cannot change after registration. */
      readonly displayName: string;
    });

/** Twilio credentials; secrets stay Outputs marked secret so they never reach state in plaintext. */
export interface TwilioConfig {
  /** `twilio:accountSid`, when set in stack config (the provider may also read TWILIO_ACCOUNT_SID). */
  readonly accountSid?: string;
  /** `twilio:apiKey` (SK…), when set. */
  readonly apiKey?: string;
  /** `twilio:apiSecret`, secret, present when `apiKey` is. */
  readonly apiSecret?: pulumi.Output<string>;
  /** `twilio:authToken`, secret: stored in Secrets Manager for signature validation. */
  readonly authToken: pulumi.Output<string>;
}

/** The validated configuration of one stack. */
export interface StackConfig {
  /** The Pulumi stack name. */
  readonly stack: string;
  /** `whatsapp-bot:environment`. */
  readonly environment: Environment;
  /** Prefix of every resource name: `whatsapp-bot-<stack>`. */
  readonly namePrefix: string;
  /** Lambda memory in MB. */
  readonly lambdaMemoryMb: number;
  /** Lambda timeout in seconds. */
  readonly lambdaTimeoutSeconds: number;
  /** CloudWatch Logs retention in days. */
  readonly logRetentionDays: number;
  /** Steady-state requests per second the API accepts. */
  readonly throttleRateLimit: number;
  /** Burst of requests the API accepts. */
  readonly throttleBurstLimit: number;
  /** 4xx answers from the API within five minutes that raise the rejected-requests alarm. */
  readonly api4xxAlarmThreshold: number;
  /** DynamoDB point-in-time recovery. */
  readonly pointInTimeRecovery: boolean;
  /** Where alarm (and spending alert) e-mails go; undefined means no e-mail notifications. */
  readonly alarmEmail?: string;
  /** Monthly budget in USD for spending alerts; undefined turns them off. */
  readonly budgetUsd?: number;
  /** Spending alert thresholds in percent of the budget, ascending. */
  readonly budgetThresholdsPercent: readonly number[];
  /** The bot's language. */
  readonly botLanguage: BotLanguage;
  /** The Lambda's log level. */
  readonly logLevel: LogLevel;
  /** Tags for every AWS resource: project, stack, environment and the user's own. */
  readonly tags: Readonly<Record<string, string>>;
  /** Protect what must survive (table, secret, Messaging Service, sender binding). */
  readonly protect: boolean;
  /** The WhatsApp sender. */
  readonly sender: SenderConfig;
  /** Twilio credentials. */
  readonly twilio: TwilioConfig;
}

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
const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
const API_KEY_SID = /^SK[0-9a-f]{32}$/;
const AUTH_TOKEN = /^[0-9a-f]{32}$/;
const SENDER_SID = /^XE[0-9a-f]{32}$/;
const WABA_ID = /^[0-9]{5,20}$/;
const DISPLAY_NAME = new RegExp(`^.{1,${DISPLAY_NAME_MAX_LENGTH}}$`);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INTEGER = /^-?[0-9]+$/;

/** Every key this program reads in its own namespace; anything else is a typo. */
export const KNOWN_KEYS = [
  "environment",
  "lambdaMemoryMb",
  "lambdaTimeoutSeconds",
  "logRetentionDays",
  "throttleRateLimit",
  "throttleBurstLimit",
  "api4xxAlarmThreshold",
  "pointInTimeRecovery",
  "alarmEmail",
  "budgetUsd",
  "budgetThresholdsPercent",
  "botLanguage",
  "logLevel",
  "tags",
  "protect",
  "sender",
] as const;

const SENDER_KEYS: Record<SenderConfig["mode"], readonly string[]> = {
  none: ["mode"],
  adopt: ["mode", "sid", "number", "webhook", "profile", "deleteOnDestroy"],
  register: [
    "mode",
    "number",
    "wabaId",
    "verificationMethod",
    "verificationCode",
    "displayName",
    "webhook",
    "profile",
    "deleteOnDestroy",
  ],
};

const PROFILE_STRING_KEYS = ["about", "address", "description", "vertical", "logoUrl", "logoFile"];
const PROFILE_LIST_KEYS = ["websites", "emails"];
const RESERVED_TAGS = ["project", "stack", "environment"];

/** The pulumi SDK marks this @internal, but it is how Config knows which keys the CLI decrypted. */
type RuntimeWithSecretKeys = typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };

/**
 * Reads and validates the whole stack configuration. The only reader of `pulumi.Config` in the
 * program, so every key, default and rule lives here. Throws {@link ConfigError} listing every
 * problem before any resource is declared.
 */
export function loadConfig(): StackConfig {
  const stack = pulumi.getStack();
  const own = new pulumi.Config(PROJECT);
  const twilio = new pulumi.Config("twilio");
  const problems: ConfigProblem[] = [];
  const problem = (key: string, reason: string, fix: string): void => {
    problems.push({ key, reason, fix });
  };
  const full = (key: string): string => `${PROJECT}:${key}`;
  const setFix = (key: string, example: string | number | boolean): string =>
    `pulumi config set ${full(key)} ${example}`;

  for (const key of Object.keys(pulumi.runtime.allConfig())) {
    if (!key.startsWith(`${PROJECT}:`)) continue;
    const name = key.slice(PROJECT.length + 1);
    if (!(KNOWN_KEYS as readonly string[]).includes(name)) {
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

  const environmentRaw = own.get("environment");
  let environment: Environment = "dev";
  if (environmentRaw === undefined) {
    problem(
      full("environment"),
      "is required",
      `${setFix("environment", "dev")} (one of ${ENVIRONMENTS.join("|")})`,
    );
  } else if (!(ENVIRONMENTS as readonly string[]).includes(environmentRaw)) {
    problem(
      full("environment"),
      `must be one of ${ENVIRONMENTS.join("|")} (got "${environmentRaw}")`,
      setFix("environment", "dev"),
    );
  } else {
    environment = environmentRaw as Environment;
  }
  if (environment === "review" && environmentRaw !== undefined && !REVIEW_STACK.test(stack)) {
    problem(
      full("environment"),
      `review stacks are named pr-<number>, this one is "${stack}"`,
      "pulumi stack init pr-<number> for a review stack, or set another environment",
    );
  }
  if (REVIEW_STACK.test(stack) && environmentRaw !== undefined && environment !== "review") {
    problem(
      full("environment"),
      `stack "${stack}" is named like a review stack but its environment is "${environmentRaw}"`,
      setFix("environment", "review"),
    );
  }

  const integer = (
    key: keyof typeof DEFAULTS,
    min: number,
    max: number,
    example?: number,
  ): number => {
    const fallback = DEFAULTS[key] as number;
    const raw = own.get(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!INTEGER.test(raw.trim()) || value < min || value > max) {
      problem(
        full(key),
        `must be an integer from ${min} to ${max} (got "${raw}")`,
        setFix(key, example ?? fallback),
      );
      return fallback;
    }
    return value;
  };
  const boolean = (key: string, fallback: boolean): boolean => {
    const raw = own.get(key);
    if (raw === undefined) return fallback;
    if (raw !== "true" && raw !== "false") {
      problem(full(key), `must be true or false (got "${raw}")`, setFix(key, fallback));
      return fallback;
    }
    return raw === "true";
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const raw = own.get(key);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problem(
        full(key),
        `must be one of ${allowed.join("|")} (got "${raw}")`,
        setFix(key, fallback),
      );
      return fallback;
    }
    return raw as T;
  };

  const lambdaMemoryMb = integer("lambdaMemoryMb", 128, 10240);
  // HTTP API integrations time out at 30 s, so a longer Lambda run could never answer Twilio.
  const lambdaTimeoutSeconds = integer("lambdaTimeoutSeconds", 1, 30);
  const logRetentionDays = integer("logRetentionDays", 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    problem(
      full("logRetentionDays"),
      `must be a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")} (got ${logRetentionDays})`,
      setFix("logRetentionDays", DEFAULTS.logRetentionDays),
    );
  }
  const throttleRateLimit = integer("throttleRateLimit", 1, 10000);
  const throttleBurstLimit = integer("throttleBurstLimit", 1, 5000);
  const api4xxAlarmThreshold = integer("api4xxAlarmThreshold", 1, 100_000);
  const pointInTimeRecovery = boolean("pointInTimeRecovery", environment === "prod");
  const botLanguage = oneOf("botLanguage", BOT_LANGUAGES, DEFAULTS.botLanguage);
  const logLevel = oneOf("logLevel", LOG_LEVELS, DEFAULTS.logLevel);

  const alarmEmailRaw = own.get("alarmEmail") ?? DEFAULTS.alarmEmail;
  if (alarmEmailRaw !== "" && !EMAIL.test(alarmEmailRaw)) {
    problem(
      full("alarmEmail"),
      `must be an e-mail address (got "${alarmEmailRaw}")`,
      setFix("alarmEmail", "ops@example.com"),
    );
  }
  const alarmEmail = alarmEmailRaw === "" ? undefined : alarmEmailRaw;

  // 0 (the default) means no budget, hence no spending alerts.
  const budgetUsd = integer("budgetUsd", 0, 1_000_000, 200);
  const budgetThresholdsPercent = readThresholds(own, problem, full);

  // Staging and review stacks must be destroyable to zero, which protection would block.
  const protect = boolean("protect", environment === "prod");
  if (protect && (environment === "review" || environment === "staging")) {
    problem(
      full("protect"),
      `must be false for ${environment} stacks, which must be destroyable to zero`,
      setFix("protect", false),
    );
  }

  const userTags = readObject(
    own,
    "tags",
    problem,
    full,
    `pulumi config set --path '${full("tags")}.team' bots`,
  );
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(userTags ?? {})) {
    const fix = `pulumi config set --path '${full("tags")}.${key}' <value> (or remove it)`;
    if (RESERVED_TAGS.includes(key)) {
      problem(
        full("tags"),
        `tag "${key}" is set by the program itself`,
        `pulumi config rm --path '${full("tags")}.${key}'`,
      );
    } else if (key.toLowerCase().startsWith("aws:") || key.length === 0 || key.length > 128) {
      problem(
        full("tags"),
        `tag key "${key}" must be 1-128 characters and not start with "aws:"`,
        fix,
      );
    } else if (typeof value !== "string" || value.length > 256) {
      problem(full("tags"), `tag "${key}" must be a string of at most 256 characters`, fix);
    } else {
      tags[key] = value;
    }
  }
  // AWS allows 50 tags per resource; three are ours.
  if (Object.keys(tags).length > 47) {
    problem(
      full("tags"),
      "at most 47 tags of your own (AWS allows 50, three are the program's)",
      "remove some tags",
    );
  }

  const sender = readSender(own, environment, problem, full);
  const twilioConfig = readTwilio(twilio, problem);

  if (problems.length > 0) throw new ConfigError(stack, problems);

  return {
    stack,
    environment,
    namePrefix: `${PROJECT}-${stack}`,
    lambdaMemoryMb,
    lambdaTimeoutSeconds,
    logRetentionDays,
    throttleRateLimit,
    throttleBurstLimit,
    api4xxAlarmThreshold,
    pointInTimeRecovery,
    alarmEmail,
    budgetUsd: budgetUsd === 0 ? undefined : budgetUsd,
    budgetThresholdsPercent,
    botLanguage,
    logLevel,
    tags: { ...tags, project: PROJECT, stack, environment },
    protect,
    sender,
    twilio: twilioConfig!,
  };
}

type Report = (key: string, reason: string, fix: string) => void;

/** AWS Budgets takes at most ten notifications per budget, one per threshold. */
const MAX_THRESHOLDS = 10;

/** Parses `budgetThresholdsPercent` (a list, passed by the CLI as JSON text). */
function readThresholds(
  config: pulumi.Config,
  problem: Report,
  full: (key: string) => string,
): readonly number[] {
  const key = full("budgetThresholdsPercent");
  const fix = `pulumi config set --path '${key}[0]' 50 (and [1], [2]… for more)`;
  const raw = config.get("budgetThresholdsPercent");
  if (raw === undefined) return DEFAULTS.budgetThresholdsPercent;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length >= 1 &&
    parsed.length <= MAX_THRESHOLDS &&
    parsed.every((p) => Number.isInteger(p) && p >= 1 && p <= 1000) &&
    new Set(parsed).size === parsed.length;
  if (!valid) {
    problem(
      key,
      `must list 1 to ${MAX_THRESHOLDS} different whole percentages from 1 to 1000 (got ${raw})`,
      fix,
    );
    return DEFAULTS.budgetThresholdsPercent;
  }
  return [...(parsed as number[])].sort((a, b) => a - b);
}

/** Parses an object-valued key (stored by the CLI as JSON text); undefined when unset or invalid. */
function readObject(
  config: pulumi.Config,
  key: string,
  problem: Report,
  full: (key: string) => string,
  fix: string,
): Record<string, unknown> | undefined {
  const raw = config.get(key);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    problem(full(key), "must be an object (a YAML map in Pulumi.<stack>.yaml)", fix);
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

function readSender(
  config: pulumi.Config,
  environment: Environment,
  problem: Report,
  full: (key: string) => string,
): SenderConfig {
  const key = full("sender");
  const obj = readObject(
    config,
    "sender",
    problem,
    full,
    `pulumi config set --path '${key}.mode' none`,
  );
  if (obj === undefined) return { mode: "none" };
  const mode = obj.mode;
  if (mode !== "none" && mode !== "adopt" && mode !== "register") {
    problem(
      `${key}.mode`,
      `must be none|adopt|register (got ${JSON.stringify(mode)})`,
      `pulumi config set --path '${key}.mode' adopt`,
    );
    return { mode: "none" };
  }
  for (const field of Object.keys(obj)) {
    if (!SENDER_KEYS[mode].includes(field)) {
      problem(
        `${key}.${field}`,
        `is not a field of a "${mode}" sender (allowed: ${SENDER_KEYS[mode].join(", ")})`,
        `pulumi config rm --path '${key}.${field}'`,
      );
    }
  }
  if (mode === "none") return { mode };
  // A sender belongs to one Messaging Service only; a review stack taking it would break prod.
  if (environment === "review") {
    problem(
      `${key}.mode`,
      "review stacks run without a sender",
      `pulumi config set --path '${key}.mode' none`,
    );
  }

  const str = (
    field: string,
    pattern: RegExp | undefined,
    example: string,
    required: boolean,
  ): string | undefined => {
    const value = obj[field];
    const fix = `pulumi config set --path '${key}.${field}' ${example}`;
    if (value === undefined) {
      if (required) problem(`${key}.${field}`, `is required when mode is ${mode}`, fix);
      return undefined;
    }
    if (typeof value !== "string") {
      // YAML reads 123456 as a number; codes and ids keep leading zeros only as strings.
      problem(
        `${key}.${field}`,
        `must be a string, quoted in YAML (got ${JSON.stringify(value)})`,
        fix,
      );
      return undefined;
    }
    if (pattern !== undefined && !pattern.test(value)) {
      problem(`${key}.${field}`, `is not valid (got ${JSON.stringify(value)})`, fix);
      return undefined;
    }
    return value;
  };
  const flag = (field: string): boolean => {
    const value = obj[field];
    if (value === undefined) return false;
    if (typeof value !== "boolean") {
      problem(
        `${key}.${field}`,
        `must be true or false (got ${JSON.stringify(value)})`,
        `pulumi config set --path '${key}.${field}' false`,
      );
      return false;
    }
    return value;
  };
  const common = {
    webhook: flag("webhook"),
    deleteOnDestroy: flag("deleteOnDestroy"),
    profile: readProfile(obj.profile, `${key}.profile`, problem),
  };

  if (mode === "adopt") {
    const sid = str("sid", SENDER_SID, "XE<32 hex>", false);
    const number = str("number", WHATSAPP_NUMBER_PATTERN, "'+15005550006'", false);
    if (obj.sid === undefined && obj.number === undefined) {
      problem(
        `${key}.sid`,
        "an adopted sender needs its sid (XE…) or its number",
        `pulumi config set --path '${key}.number' '+15005550006'`,
      );
    }
    return { mode, sid, number, ...common };
  }
  const method = obj.verificationMethod;
  if (method !== "sms" && method !== "voice") {
    problem(
      `${key}.verificationMethod`,
      `must be sms or voice (got ${JSON.stringify(method)})`,
      `pulumi config set --path '${key}.verificationMethod' sms`,
    );
  }
  const displayName = str("displayName", DISPLAY_NAME, "'Acme Support'", true) ?? "";
  return {
    mode,
    number: str("number", WHATSAPP_NUMBER_PATTERN, "'+15005550006'", true) ?? "",
    wabaId: str("wabaId", WABA_ID, "<your WABA id>", true) ?? "",
    verificationMethod: method === "voice" ? "voice" : "sms",
    verificationCode: str(
      "verificationCode",
      VERIFICATION_CODE_PATTERN,
      "<code you received>",
      false,
    ),
    displayName,
    ...common,
  };
}

function readProfile(
  value: unknown,
  key: string,
  problem: Report,
): SenderProfileConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problem(key, "must be an object", `pulumi config set --path '${key}.about' 'Hello'`);
    return undefined;
  }
  const profile: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(value)) {
    const fix = `pulumi config set --path '${key}.${field}' <value> (or remove it)`;
    if (field === "vertical" && !(VERTICALS as readonly unknown[]).includes(v)) {
      problem(
        `${key}.${field}`,
        `must be one of ${VERTICALS.join("; ")} (got ${JSON.stringify(v)})`,
        `pulumi config set --path '${key}.${field}' 'Professional Services'`,
      );
    } else if (PROFILE_STRING_KEYS.includes(field)) {
      if (typeof v === "string") profile[field] = v;
      else problem(`${key}.${field}`, "must be a string", fix);
    } else if (PROFILE_LIST_KEYS.includes(field)) {
      if (Array.isArray(v) && v.every((item) => typeof item === "string")) profile[field] = v;
      else
        problem(
          `${key}.${field}`,
          "must be a list of strings",
          `pulumi config set --path '${key}.${field}[0]' <value>`,
        );
    } else {
      problem(
        `${key}.${field}`,
        `is not a profile field (allowed: ${[...PROFILE_STRING_KEYS, ...PROFILE_LIST_KEYS].join(", ")})`,
        `pulumi config rm --path '${key}.${field}'`,
      );
    }
  }
  return profile;
}

function readTwilio(config: pulumi.Config, problem: Report): TwilioConfig | undefined {
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

  const accountSid = plain("accountSid", ACCOUNT_SID, "AC<32 hex>");
  const apiKey = plain("apiKey", API_KEY_SID, "SK<32 hex>");
  const authToken = secret("authToken", AUTH_TOKEN, "auth token", true);
  const apiSecret = secret(
    "apiSecret",
    undefined,
    "API key secret",
    config.get("apiKey") !== undefined,
  );
  if (config.get("apiSecret") !== undefined && config.get("apiKey") === undefined) {
    problem(
      "twilio:apiKey",
      "is required when twilio:apiSecret is set",
      "pulumi config set twilio:apiKey SK<32 hex>",
    );
  }
  if (authToken === undefined) return undefined;
  return { accountSid, apiKey, apiSecret, authToken };
}

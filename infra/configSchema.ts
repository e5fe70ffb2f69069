import { z } from "zod";
import { REPLY_MODES } from "../lambda/replyMode";
import {
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_MEDIA_TYPES,
  MEDIA_MAX_BYTES_CEILING,
  MEDIA_TYPE_PATTERN,
} from "../lambda/media/limits";
import {
  DISPLAY_NAME_MAX_LENGTH,
  VERIFICATION_CODE_PATTERN,
  VERTICALS,
  WHATSAPP_NUMBER_PATTERN,
} from "./twilio/senderRules";

/**
 * The schema of every config key this program reads: its type, rule, default and description,
 * declared once with zod. infra/config.ts validates against it, `Pulumi.yaml`'s `config:` section
 * and docs/configuration.md are generated from it (`npm run config:docs`), and tests keep both
 * current. Adding a key means adding one entry to {@link KEYS}.
 */

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

// The Lambda side's names are the one source: `npm start -- --reply-mode` takes the same ones.
export { REPLY_MODES, type ReplyMode } from "../lambda/replyMode";

/** Log levels the Lambda understands (`LOG_LEVEL`). */
export const LOG_LEVELS = ["info", "debug", "warn", "error"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy); anything else is rejected by AWS. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

/** AWS Budgets takes at most ten notifications per budget, one per threshold. */
export const MAX_THRESHOLDS = 10;

/** Spending alert thresholds used when none are configured, in percent of the monthly budget. */
export const DEFAULT_THRESHOLDS_PERCENT: readonly number[] = [50, 80, 100];

/** Tags the program sets itself on every AWS resource. */
export const RESERVED_TAGS = ["project", "stack", "environment"] as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How the CLI hands a key to the program: scalars as text, lists and maps as JSON text. */
type Kind = "string" | "integer" | "boolean" | "array" | "object";

/** One config key of this project's namespace. */
export interface KeyDef<S extends z.ZodType = z.ZodType> {
  /** One line for Pulumi.yaml and the reference. */
  readonly description: string;
  /** Checks the value (already read from the CLI's text) and turns it into what the program uses. */
  readonly schema: S;
  /** How the value is written in Pulumi.<stack>.yaml. */
  readonly kind: Kind;
  /**
   * The default, as it would be written in Pulumi.<stack>.yaml (it goes through the schema too), or
   * a function of the environment; undefined makes the key required.
   */
  readonly default?: unknown;
  /** The default by environment, for keys whose default depends on it. */
  readonly defaultFor?: (environment: Environment) => unknown;
  /** The value shown in the `pulumi config set` fix. */
  readonly example: string;
  /** The fix when the default `pulumi config set <key> <example>` is not the right command. */
  readonly fix?: string;
  /** More text for the reference page (cross-key rules, the fields of a map). */
  readonly details?: string;
}

function key<S extends z.ZodType>(def: KeyDef<S>): KeyDef<S> {
  return def;
}

/** An integer key from `min` to `max`. */
function integer(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

const boolean = z.boolean({ error: "must be true or false" });

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join("|")}` });
}

/** A string field of the sender map: YAML turns an unquoted 123456 into a number. */
function text(pattern?: RegExp) {
  const s = z.string({
    error: (issue) =>
      issue.input === undefined
        ? "is required"
        : `must be a string, quoted in YAML (got ${JSON.stringify(issue.input)})`,
  });
  return pattern === undefined
    ? s
    : s.regex(pattern, { error: (issue) => `is not valid (got ${JSON.stringify(issue.input)})` });
}

const flag = z
  .boolean({ error: (issue) => `must be true or false (got ${JSON.stringify(issue.input)})` })
  .default(false);

/** The WhatsApp profile fields a stack may manage on its sender (passed through to WhatsAppSender). */
export const senderProfileSchema = z.strictObject(
  {
    /** "About" text shown in WhatsApp. */
    about: z.string({ error: "must be a string" }).optional(),
    /** Business address. */
    address: z.string({ error: "must be a string" }).optional(),
    /** Business description. */
    description: z.string({ error: "must be a string" }).optional(),
    /** Business vertical, e.g. `Shopping and Retail`. */
    vertical: z
      .enum(VERTICALS, {
        error: (issue) =>
          `must be one of ${VERTICALS.join("; ")} (got ${JSON.stringify(issue.input)})`,
      })
      .optional(),
    /** Business websites (https). */
    websites: z.array(z.string(), { error: "must be a list of strings" }).optional(),
    /** Business e-mail addresses. */
    emails: z.array(z.string(), { error: "must be a list of strings" }).optional(),
    /** Logo as an https URL. */
    logoUrl: z.string({ error: "must be a string" }).optional(),
    /** Logo as a local JPG/PNG file, relative to the project directory. */
    logoFile: z.string({ error: "must be a string" }).optional(),
  },
  { error: "must be an object" },
);

/** Settings shared by the adopt and register sender modes. */
const managed = {
  /** Point the sender's own webhook at this stack's routes too. */
  webhook: flag,
  /** Profile fields to manage; undefined leaves the profile as it is. */
  profile: senderProfileSchema.optional(),
  /** Delete the sender in Twilio when the stack is destroyed (default: only detach it). */
  deleteOnDestroy: flag,
};

const NUMBER_EXAMPLE = "'+15005550006'";

/** `whatsapp-bot:messagingService`: an existing (console-made) Messaging Service adopted by SID. */
export const messagingServiceSchema = z.strictObject({
  /** The service's SID (MG…); without it the stack creates `whatsapp-bot-<stack>`. */
  sid: text(/^MG[0-9a-f]{32}$/).optional(),
  /** Delete the adopted service on destroy (default: it stays, only this stack's URLs are cleared). */
  deleteOnDestroy: flag,
});

/** The adopted Messaging Service as the program uses it. */
export type MessagingServiceConfig = z.output<typeof messagingServiceSchema>;

/** The value a `pulumi config set --path` fix shows for each field of the sender map. */
export const SENDER_FIELD_EXAMPLES: Readonly<Record<string, string>> = {
  mode: "adopt",
  sid: "XE<32 hex>",
  number: NUMBER_EXAMPLE,
  wabaId: "<your WABA id>",
  verificationMethod: "sms",
  verificationCode: "<code you received>",
  displayName: "'Acme Support'",
  webhook: "false",
  deleteOnDestroy: "false",
  vertical: "'Professional Services'",
};

/** `whatsapp-bot:sender`: no sender, adopt an existing one, or register a new one. */
export const senderSchema = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({ mode: z.literal("none") }),
    z
      .strictObject({
        mode: z.literal("adopt"),
        /** The sender's XE… SID. */
        sid: text(/^XE[0-9a-f]{32}$/).optional(),
        /** The sender's number, `+E164` or `whatsapp:+E164`. */
        number: text(WHATSAPP_NUMBER_PATTERN).optional(),
        ...managed,
      })
      .refine((s) => s.sid !== undefined || s.number !== undefined, {
        path: ["sid"],
        error: "an adopted sender needs its sid (XE…) or its number",
        params: { fix: `pulumi config set --path '${PROJECT}:sender.number' ${NUMBER_EXAMPLE}` },
      }),
    z.strictObject({
      mode: z.literal("register"),
      /** The number to register, `+E164` or `whatsapp:+E164`. */
      number: text(WHATSAPP_NUMBER_PATTERN),
      /** The WhatsApp Business Account id. */
      wabaId: text(/^[0-9]{5,20}$/),
      /** How Meta sends the verification code. */
      verificationMethod: z.enum(["sms", "voice"], {
        error: (issue) =>
          issue.input === undefined
            ? "is required: sms or voice"
            : `must be sms or voice (got ${JSON.stringify(issue.input)})`,
      }),
      /** The code received, set on a later `pulumi up`. */
      verificationCode: text(VERIFICATION_CODE_PATTERN).optional(),
      /** The display name Meta reviews; cannot change after registration. */
      displayName: text(new RegExp(`^.{1,${DISPLAY_NAME_MAX_LENGTH}}$`)),
      ...managed,
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `must be none|adopt|register (got ${JSON.stringify((issue.input as { mode?: unknown })?.mode)})`
        : "must be an object (a YAML map in Pulumi.<stack>.yaml)",
  },
);

/** The sender as the program uses it. */
export type SenderConfig = z.output<typeof senderSchema>;
/** The profile fields a sender config may set. */
export type SenderProfileConfig = z.output<typeof senderProfileSchema>;

const tagsSchema = z
  .record(z.string(), z.unknown(), {
    error: "must be an object (a YAML map in Pulumi.<stack>.yaml)",
  })
  .superRefine((tags, ctx) => {
    for (const [name, value] of Object.entries(tags)) {
      const fix = `pulumi config set --path '${PROJECT}:tags.${name}' <value> (or remove it)`;
      const fail = (message: string, params = { fix }) =>
        ctx.addIssue({ code: "custom", message, params });
      if ((RESERVED_TAGS as readonly string[]).includes(name)) {
        fail(`tag "${name}" is set by the program itself`, {
          fix: `pulumi config rm --path '${PROJECT}:tags.${name}'`,
        });
      } else if (name.toLowerCase().startsWith("aws:") || name.length === 0 || name.length > 128) {
        fail(`tag key "${name}" must be 1-128 characters and not start with "aws:"`);
      } else if (typeof value !== "string" || value.length > 256) {
        fail(`tag "${name}" must be a string of at most 256 characters`);
      }
    }
    // AWS allows 50 tags per resource; three are ours.
    if (Object.keys(tags).length > 50 - RESERVED_TAGS.length) {
      ctx.addIssue({
        code: "custom",
        message: `at most ${50 - RESERVED_TAGS.length} tags of your own (AWS allows 50, three are the program's)`,
        params: { fix: "remove some tags" },
      });
    }
  })
  .transform((tags) => tags as Record<string, string>);

const mediaTypesRule =
  "must list 1 to 100 different lower-case MIME types (type/subtype) or families (type/*)";

const thresholdsRule = `must list 1 to ${MAX_THRESHOLDS} different whole percentages from 1 to 1000`;

/** Every key of the `whatsapp-bot:` namespace. */
export const KEYS = {
  environment: key({
    description:
      "What kind of stack this is: dev, staging, prod or review (review stacks are named pr-<number>).",
    schema: oneOf(ENVIRONMENTS),
    kind: "string",
    example: "dev",
    fix: `pulumi config set ${PROJECT}:environment dev (one of ${ENVIRONMENTS.join("|")})`,
    details:
      "Required. A stack named `pr-<number>` must be a review stack, and a review stack must be named so.",
  }),
  lambdaMemoryMb: key({
    description: "Lambda memory in MB (128-10240).",
    schema: integer(128, 10240),
    kind: "integer",
    default: 256,
    example: "256",
  }),
  lambdaTimeoutSeconds: key({
    description: "Lambda timeout in seconds (1-30; the HTTP API gives up after 30).",
    // HTTP API integrations time out at 30 s, so a longer Lambda run could never answer Twilio.
    schema: integer(1, 30),
    kind: "integer",
    default: 10,
    example: "10",
  }),
  logRetentionDays: key({
    description:
      "CloudWatch Logs retention in days (a value CloudWatch accepts, e.g. 7, 14, 30, 90, 365).",
    schema: z.int().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      error: `must be a retention CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
    kind: "integer",
    default: 14,
    example: "14",
  }),
  throttleRateLimit: key({
    description: "Steady-state requests per second the API accepts before answering 429.",
    schema: integer(1, 10000),
    kind: "integer",
    default: 25,
    example: "25",
  }),
  throttleBurstLimit: key({
    description: "Request burst the API accepts.",
    schema: integer(1, 5000),
    kind: "integer",
    default: 50,
    example: "50",
  }),
  api4xxAlarmThreshold: key({
    description:
      "4xx answers from the API within five minutes (403 from a missed auth-token rotation, 429 from throttling, strangers' requests) that raise the rejected-requests alarm.",
    schema: integer(1, 100_000),
    kind: "integer",
    default: 5,
    example: "5",
  }),
  pointInTimeRecovery: key({
    description: "DynamoDB point-in-time recovery.",
    schema: boolean,
    kind: "boolean",
    defaultFor: (environment) => environment === "prod",
    example: "false",
  }),
  alarmEmail: key({
    description:
      "E-mail address for CloudWatch alarm notifications; empty for alarms without notifications.",
    schema: z
      .string()
      .refine((email) => email === "" || EMAIL.test(email), { error: "must be an e-mail address" })
      .transform((email) => (email === "" ? undefined : email)),
    kind: "string",
    default: "",
    example: "ops@example.com",
    details: "Spending alerts e-mail the same address. Review stacks never subscribe it.",
  }),
  budgetUsd: key({
    description:
      "Monthly budget in USD for spending alerts (Twilio usage triggers and an AWS Budget); 0 turns them off. Review stacks never get them.",
    // 0 (the default) means no budget, hence no spending alerts.
    schema: integer(0, 1_000_000).transform((usd) => (usd === 0 ? undefined : usd)),
    kind: "integer",
    default: 0,
    example: "200",
  }),
  budgetThresholdsPercent: key({
    description: "Spending alert thresholds in percent of budgetUsd (1 to 10 different values).",
    schema: z
      .array(z.int({ error: thresholdsRule }).min(1).max(1000), { error: thresholdsRule })
      .min(1, { error: thresholdsRule })
      .max(MAX_THRESHOLDS, { error: thresholdsRule })
      .refine((list) => new Set(list).size === list.length, { error: thresholdsRule })
      .transform((list): readonly number[] => [...list].sort((a, b) => a - b)),
    kind: "array",
    default: DEFAULT_THRESHOLDS_PERCENT,
    example: "50",
    fix: `pulumi config set --path '${PROJECT}:budgetThresholdsPercent[0]' 50 (and [1], [2]… for more)`,
  }),
  botLanguage: key({
    description: "The bot's language: es or en.",
    schema: oneOf(BOT_LANGUAGES),
    kind: "string",
    default: "es",
    example: "es",
  }),
  logLevel: key({
    description: "The Lambda's log level: info, debug, warn or error.",
    schema: oneOf(LOG_LEVELS),
    kind: "string",
    default: "info",
    example: "info",
  }),
  handoffEmails: key({
    description:
      "E-mail addresses subscribed to the hand-off topic (a person asked for, messages while paused); empty for none.",
    schema: z
      .array(z.string().regex(EMAIL, { error: "must be an e-mail address" }), {
        error: "must be a list of e-mail addresses",
      })
      .max(20, { error: "at most 20 addresses (subscribe a list address instead)" })
      .refine((list) => new Set(list).size === list.length, { error: "lists an address twice" }),
    kind: "array",
    default: [],
    example: "support@example.com",
    fix: `pulumi config set --path '${PROJECT}:handoffEmails[0]' support@example.com (and [1]… for more)`,
    details:
      "Each address gets a confirmation e-mail from AWS first. The messages carry the user's number and recent messages (docs/consent-and-handoff.md). Review stacks never subscribe them.",
  }),
  handoffTimeoutMinutes: key({
    description:
      "Minutes the bot stays quiet in a conversation handed to a person, unless an agent releases it first.",
    schema: integer(1, 10080),
    kind: "integer",
    default: 60,
    example: "60",
  }),
  replyMode: key({
    description:
      "How replies leave: inline (TwiML in the webhook's answer) or queued (an SQS FIFO queue and a worker Lambda send them with the REST API, for bots slower than Twilio's 15 s).",
    schema: oneOf(REPLY_MODES),
    kind: "string",
    default: "inline",
    example: "queued",
    details:
      "`queued` adds a FIFO queue, a dead-letter queue with an alarm and a worker function " +
      "(timeout `workerTimeoutSeconds`). See docs/reply-modes.md.",
  }),
  workerTimeoutSeconds: key({
    description:
      "Timeout in seconds of the queued mode's worker Lambda (1-900): the slowest bot turn plus its sends.",
    // Lambda's own limit; the queue's visibility timeout is derived from it (six times).
    schema: integer(1, 900),
    kind: "integer",
    default: 60,
    example: "60",
    details: "Used only with `replyMode: queued`.",
  }),
  templatesDir: key({
    description:
      "The folder of WhatsApp template files (one <name>.yaml each), relative to the project directory (docs/templates.md).",
    schema: z.string().trim().min(1),
    kind: "string",
    default: "templates",
    example: "templates",
  }),
  tags: key({
    description: "Tags added to every AWS resource, as a map of string to string.",
    schema: tagsSchema,
    kind: "object",
    default: {},
    example: "bots",
    fix: `pulumi config set --path '${PROJECT}:tags.team' bots`,
    details: `The program sets ${RESERVED_TAGS.map((t) => `\`${t}\``).join(", ")} itself; at most ${50 - RESERVED_TAGS.length} of your own.`,
  }),
  protect: key({
    description:
      "Protect what must survive (table, secret, Messaging Service, sender binding) from deletion.",
    schema: boolean,
    kind: "boolean",
    defaultFor: (environment) => environment === "prod",
    example: "false",
    details: "Refused for staging and review stacks, which must be destroyable to zero.",
  }),
  sender: key({
    description:
      "The WhatsApp sender: mode none, adopt (an existing sender) or register (a new one).",
    schema: senderSchema,
    kind: "object",
    default: { mode: "none" },
    example: "none",
    fix: `pulumi config set --path '${PROJECT}:sender.mode' none`,
    details:
      "`mode: adopt` takes `sid` (XE…) or `number`; `mode: register` takes `number`, `wabaId`, " +
      "`verificationMethod` (sms|voice), `displayName` and later `verificationCode`. Both take " +
      "`webhook`, `deleteOnDestroy` (booleans) and `profile` (`about`, `address`, `description`, " +
      "`vertical`, `websites`, `emails`, `logoUrl`, `logoFile`). Review stacks run without a sender. " +
      "See docs/runbook.md.",
  }),
  messagingService: key({
    description:
      "An existing Messaging Service (made in the Console) to adopt by its MG… SID instead of creating one.",
    schema: messagingServiceSchema,
    kind: "object",
    default: {},
    example: "MG<32 hex>",
    fix: `pulumi config set --path '${PROJECT}:messagingService.sid' MG<32 hex>`,
    details:
      "`sid` (MG…) and `deleteOnDestroy` (boolean). The stack manages the adopted service's URLs; on " +
      "destroy the service stays (unless `deleteOnDestroy: true`) with only the URLs that still point " +
      "at this stack cleared, and a sender that was already in its pool stays there. Review stacks " +
      "never adopt one.",
  }),
  mediaRetentionDays: key({
    description:
      "Days incoming media stays in the stack's media bucket before S3 expires it (1-3650).",
    schema: integer(1, 3650),
    kind: "integer",
    default: 30,
    example: "30",
  }),
  mediaMaxBytes: key({
    description: `Largest incoming media item copied to the bucket, in bytes (1-${MEDIA_MAX_BYTES_CEILING}); a larger one is refused politely.`,
    schema: integer(1, MEDIA_MAX_BYTES_CEILING),
    kind: "integer",
    default: DEFAULT_MEDIA_MAX_BYTES,
    example: String(DEFAULT_MEDIA_MAX_BYTES),
    details:
      "The default, 16 MiB, is WhatsApp's limit for audio and video and Twilio's for a WhatsApp " +
      "message (images are at most 5 MB, documents 100 MB). See docs/media.md.",
  }),
  mediaAllowedTypes: key({
    description:
      "MIME types (or type/* families) of incoming media copied to the bucket; others are refused politely.",
    schema: z
      .array(z.string({ error: mediaTypesRule }), { error: mediaTypesRule })
      .min(1, { error: mediaTypesRule })
      .max(100, { error: mediaTypesRule })
      // Checked on the whole list so the problem names the key and the entry, not an index.
      .superRefine((list, ctx) => {
        const bad = list.find((type) => !MEDIA_TYPE_PATTERN.test(type));
        if (bad !== undefined) {
          ctx.addIssue({ code: "custom", message: `${mediaTypesRule} (got "${bad}")` });
        } else if (new Set(list).size !== list.length) {
          ctx.addIssue({ code: "custom", message: `${mediaTypesRule} (an entry repeats)` });
        }
      })
      .transform((list): readonly string[] => list),
    kind: "array",
    default: DEFAULT_MEDIA_TYPES,
    example: "image/*",
    fix: `pulumi config set --path '${PROJECT}:mediaAllowedTypes[0]' image/jpeg (and [1], [2]… for more)`,
    details:
      "The default is every type WhatsApp documents for media: JPEG, PNG and WebP (stickers) images; " +
      "AAC, AMR, MP3, M4A and OGG audio; MP4 and 3GPP video; PDF, text, Word, Excel and PowerPoint " +
      "documents; and vCard contacts.",
  }),
  deleteTwilioMedia: key({
    description:
      "Delete each media item from Twilio once it is copied and the answer is stored, so only the stack's bucket keeps it.",
    schema: boolean,
    kind: "boolean",
    default: false,
    example: "true",
  }),
} satisfies Record<string, KeyDef>;

/** A key of the program's own namespace. */
export type KeyName = keyof typeof KEYS;

/** The parsed value of each key of the program's own namespace. */
export type KeyValues = { -readonly [K in KeyName]: z.output<(typeof KEYS)[K]["schema"]> };

/** The keys of the `twilio:` namespace, read by the program and by the Twilio provider. */
export const TWILIO_KEYS = {
  accountSid: {
    description:
      "Twilio account SID (AC…); plain. The provider may read TWILIO_ACCOUNT_SID instead.",
    pattern: /^AC[0-9a-f]{32}$/,
    example: "AC<32 hex>",
    secret: false,
  },
  apiKey: {
    description:
      "Twilio API key SID (SK…), to call Twilio with an API key instead of the auth token.",
    pattern: /^SK[0-9a-f]{32}$/,
    example: "SK<32 hex>",
    secret: false,
  },
  apiSecret: {
    description: "The API key's secret; secret config, required with apiKey.",
    pattern: undefined,
    example: "API key secret",
    secret: true,
  },
  authToken: {
    description:
      "The account's auth token; secret config, required by `pulumi up` (a preview without it, as pull-request previews run, keeps the deployed token). Stored in Secrets Manager for signature checks.",
    pattern: /^[0-9a-f]{32}$/,
    example: "auth token",
    secret: true,
  },
} as const;

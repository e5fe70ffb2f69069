import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import {
  ConfigError,
  DEFAULTS,
  KNOWN_KEYS,
  type StackConfig,
  loadConfig,
} from "../../infra/config";
import { PulumiRecorder, isSecret, valueOf } from "../helpers/pulumiMocks";

const ROOT = path.join(__dirname, "..", "..");
const TOKEN = "0123456789abcdef0123456789abcdef";
const API_SECRET = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tAB";

const recorder = new PulumiRecorder();

/** The minimal valid config: a dev stack with a secret auth token. */
const BASE: Record<string, string> = {
  "whatsapp-bot:environment": "dev",
  "twilio:authToken": TOKEN,
};
const BASE_SECRETS = ["twilio:authToken"];

async function load(
  stack: string,
  config: Record<string, string>,
  secretKeys: readonly string[] = BASE_SECRETS,
  dryRun = false,
): Promise<StackConfig> {
  await recorder.install({ stack, dryRun });
  pulumi.runtime.setAllConfig(config, [...secretKeys]);
  return loadConfig();
}

/** The ConfigError `load` throws; fails the test when it does not throw one. */
async function configError(
  stack: string,
  config: Record<string, string>,
  secretKeys: readonly string[] = BASE_SECRETS,
): Promise<ConfigError> {
  try {
    await load(stack, config, secretKeys);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("loadConfig accepted the configuration");
}

/** A stack file's config as the CLI hands it to the program: objects as JSON, scalars as text. */
function stackFileConfig(file: string): Record<string, string> {
  const doc = parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** The project file's declared defaults, as YAML values. */
function declaredDefaults(): Record<string, unknown> {
  const doc = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, { type: string; default?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(doc.config)
      .filter(([, decl]) => decl.default !== undefined)
      .map(([k, decl]) => [k, decl.default]),
  );
}

/** The project file's defaults applied the way the CLI applies them: lists as JSON text. */
function projectDefaults(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(declaredDefaults()).map(([k, v]) => [
      k,
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
}

afterEach(async () => {
  await recorder.settle();
});

describe("loadConfig accepts", () => {
  test("a minimal dev stack, filling in every default", async () => {
    const config = await load("dev", BASE);
    expect(config).toMatchObject({
      stack: "dev",
      environment: "dev",
      namePrefix: "whatsapp-bot-dev",
      lambdaMemoryMb: DEFAULTS.lambdaMemoryMb,
      lambdaTimeoutSeconds: DEFAULTS.lambdaTimeoutSeconds,
      logRetentionDays: DEFAULTS.logRetentionDays,
      throttleRateLimit: DEFAULTS.throttleRateLimit,
      throttleBurstLimit: DEFAULTS.throttleBurstLimit,
      api4xxAlarmThreshold: 5,
      pointInTimeRecovery: false,
      alarmEmail: undefined,
      botLanguage: "es",
      logLevel: "info",
      protect: false,
      sender: { mode: "none" },
      tags: { project: "whatsapp-bot", stack: "dev", environment: "dev" },
    });
    expect(await valueOf(config.twilio.authToken)).toBe(TOKEN);
    expect(await isSecret(config.twilio.authToken!)).toBe(true);
  });

  test("a preview without any Twilio credential (pull-request previews get none)", async () => {
    const config = await load("dev", { "whatsapp-bot:environment": "dev" }, [], true);
    expect(config.twilio).toEqual({
      accountSid: undefined,
      apiKey: undefined,
      apiSecret: undefined,
      authToken: undefined,
    });
  });

  test("a 4xx alarm threshold of the stack's own", async () => {
    const config = await load("dev", { ...BASE, "whatsapp-bot:api4xxAlarmThreshold": "40" });
    expect(config.api4xxAlarmThreshold).toBe(40);
  });

  test("prod defaults to protection and point-in-time recovery", async () => {
    const config = await load("prod", { ...BASE, "whatsapp-bot:environment": "prod" });
    expect(config.protect).toBe(true);
    expect(config.pointInTimeRecovery).toBe(true);
  });

  test("a review stack named pr-<number> without a sender", async () => {
    const config = await load("pr-42", { ...BASE, "whatsapp-bot:environment": "review" });
    expect(config.environment).toBe("review");
    expect(config.protect).toBe(false);
    expect(config.namePrefix).toBe("whatsapp-bot-pr-42");
  });

  test("user tags next to the program's own, and an API key with a secret API secret", async () => {
    const config = await load(
      "dev",
      {
        ...BASE,
        "whatsapp-bot:tags": JSON.stringify({ team: "bots", "cost-center": "42" }),
        "twilio:accountSid": `AC${"a".repeat(32)}`,
        "twilio:apiKey": `SK${"b".repeat(32)}`,
        "twilio:apiSecret": API_SECRET,
      },
      ["twilio:authToken", "twilio:apiSecret"],
    );
    expect(config.tags).toEqual({
      team: "bots",
      "cost-center": "42",
      project: "whatsapp-bot",
      stack: "dev",
      environment: "dev",
    });
    expect(config.twilio.apiKey).toBe(`SK${"b".repeat(32)}`);
    expect(await isSecret(config.twilio.apiSecret!)).toBe(true);
  });

  test("a budget with its thresholds, sorted; no budget means no spending alerts", async () => {
    const withBudget = await load("dev", {
      ...BASE,
      "whatsapp-bot:budgetUsd": "200",
      "whatsapp-bot:budgetThresholdsPercent": "[100,25]",
    });
    expect(withBudget.budgetUsd).toBe(200);
    expect(withBudget.budgetThresholdsPercent).toEqual([25, 100]);
    const without = await load("dev", { ...BASE, "whatsapp-bot:budgetUsd": "0" });
    expect(without.budgetUsd).toBeUndefined();
    expect(without.budgetThresholdsPercent).toEqual([50, 80, 100]);
  });

  test("an adopted sender by number and a registered one with a profile", async () => {
    const adopt = await load("dev", {
      ...BASE,
      "whatsapp-bot:sender": JSON.stringify({ mode: "adopt", number: "whatsapp:+15005550006" }),
    });
    expect(adopt.sender).toEqual({
      mode: "adopt",
      number: "whatsapp:+15005550006",
      sid: undefined,
      webhook: false,
      deleteOnDestroy: false,
      profile: undefined,
    });
    const register = await load("prod", {
      ...BASE,
      "whatsapp-bot:environment": "prod",
      "whatsapp-bot:sender": JSON.stringify({
        mode: "register",
        number: "+15005550006",
        wabaId: "123456789012345",
        verificationMethod: "voice",
        displayName: "Acme",
        webhook: true,
        profile: { about: "Hi", websites: ["https://example.com"] },
      }),
    });
    expect(register.sender).toMatchObject({
      mode: "register",
      verificationMethod: "voice",
      webhook: true,
      profile: { about: "Hi", websites: ["https://example.com"] },
    });
  });

  test.each(["Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml"])(
    "the committed example %s once its secrets are set",
    async (file) => {
      const stack = file.split(".")[1];
      const fromFile = stackFileConfig(file);
      // What the README tells the user to set with --secret next to the committed file.
      const secrets: Record<string, string> = { "twilio:authToken": TOKEN };
      if (fromFile["twilio:apiKey"] !== undefined) secrets["twilio:apiSecret"] = API_SECRET;
      const config = await load(
        stack,
        { ...projectDefaults(), ...fromFile, ...secrets },
        Object.keys(secrets),
      );
      expect(config.environment).toBe(stack);
      expect(config.protect).toBe(stack === "prod");
    },
  );
});

describe("the files generated from the schema", () => {
  test("Pulumi.yaml's config section is current (npm run config:docs)", async () => {
    const { PROJECT_FILE, renderProjectFile } = await import("../../scripts/configDocs");
    const current = fs.readFileSync(PROJECT_FILE, "utf8");
    expect(renderProjectFile(current)).toBe(current);
  });

  test("docs/configuration.md is current (npm run config:docs)", async () => {
    const { CONFIG_DOC, renderConfigReference } = await import("../../scripts/configDocs");
    expect(renderConfigReference()).toBe(fs.readFileSync(CONFIG_DOC, "utf8"));
  });

  test("Pulumi.yaml declares the defaults the program applies, and only keys it reads", () => {
    const declared = declaredDefaults();
    expect(Object.keys(declared).length).toBeGreaterThan(5);
    for (const [key, value] of Object.entries(declared)) {
      const name = key.replace(/^whatsapp-bot:/, "");
      expect(KNOWN_KEYS).toContain(name);
      expect({ key, value: DEFAULTS[name] }).toEqual({ key, value });
    }
  });

  test("the reference documents every key the program reads", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8");
    for (const key of KNOWN_KEYS) expect(doc).toContain(`\`whatsapp-bot:${key}\``);
  });
});

describe("loadConfig refuses, naming the key and the fix", () => {
  test.each<[string, string, Record<string, string>, string, string]>([
    [
      "a missing environment",
      "dev",
      { "whatsapp-bot:environment": "" },
      "whatsapp-bot:environment",
      "pulumi config set whatsapp-bot:environment dev",
    ],
    [
      "an unknown environment",
      "dev",
      { "whatsapp-bot:environment": "qa" },
      "whatsapp-bot:environment",
      "pulumi config set whatsapp-bot:environment dev",
    ],
    [
      "a review environment on a stack not named pr-<n>",
      "dev",
      { "whatsapp-bot:environment": "review" },
      "whatsapp-bot:environment",
      "pulumi stack init pr-<number>",
    ],
    [
      "a pr-<n> stack that is not a review",
      "pr-7",
      {},
      "whatsapp-bot:environment",
      "pulumi config set whatsapp-bot:environment review",
    ],
    [
      "memory that is not a number",
      "dev",
      { "whatsapp-bot:lambdaMemoryMb": "lots" },
      "whatsapp-bot:lambdaMemoryMb",
      "pulumi config set whatsapp-bot:lambdaMemoryMb 256",
    ],
    [
      "memory below Lambda's minimum",
      "dev",
      { "whatsapp-bot:lambdaMemoryMb": "64" },
      "whatsapp-bot:lambdaMemoryMb",
      "pulumi config set whatsapp-bot:lambdaMemoryMb 256",
    ],
    [
      "a timeout beyond the API's 30 s",
      "dev",
      { "whatsapp-bot:lambdaTimeoutSeconds": "60" },
      "whatsapp-bot:lambdaTimeoutSeconds",
      "pulumi config set whatsapp-bot:lambdaTimeoutSeconds 10",
    ],
    [
      "a retention CloudWatch does not offer",
      "dev",
      { "whatsapp-bot:logRetentionDays": "10" },
      "whatsapp-bot:logRetentionDays",
      "pulumi config set whatsapp-bot:logRetentionDays 14",
    ],
    [
      "a 4xx alarm threshold of zero (the alarm would never clear)",
      "dev",
      { "whatsapp-bot:api4xxAlarmThreshold": "0" },
      "whatsapp-bot:api4xxAlarmThreshold",
      "pulumi config set whatsapp-bot:api4xxAlarmThreshold 5",
    ],
    [
      "a fractional throttle",
      "dev",
      { "whatsapp-bot:throttleRateLimit": "2.5" },
      "whatsapp-bot:throttleRateLimit",
      "pulumi config set whatsapp-bot:throttleRateLimit 25",
    ],
    [
      "a boolean that is not true/false",
      "dev",
      { "whatsapp-bot:pointInTimeRecovery": "yes" },
      "whatsapp-bot:pointInTimeRecovery",
      "pulumi config set whatsapp-bot:pointInTimeRecovery false",
    ],
    [
      "an alarm e-mail that is not an address",
      "dev",
      { "whatsapp-bot:alarmEmail": "ops" },
      "whatsapp-bot:alarmEmail",
      "pulumi config set whatsapp-bot:alarmEmail",
    ],
    [
      "a negative budget",
      "dev",
      { "whatsapp-bot:budgetUsd": "-5" },
      "whatsapp-bot:budgetUsd",
      "pulumi config set whatsapp-bot:budgetUsd 200",
    ],
    [
      "a media retention of zero days",
      "dev",
      { "whatsapp-bot:mediaRetentionDays": "0" },
      "whatsapp-bot:mediaRetentionDays",
      "pulumi config set whatsapp-bot:mediaRetentionDays 30",
    ],
    [
      "a media limit above WhatsApp's largest item",
      "dev",
      { "whatsapp-bot:mediaMaxBytes": "104857601" },
      "whatsapp-bot:mediaMaxBytes",
      "pulumi config set whatsapp-bot:mediaMaxBytes 16777216",
    ],
    [
      "a media type that is not a MIME type",
      "dev",
      { "whatsapp-bot:mediaAllowedTypes": '["image/jpeg","pdf"]' },
      "whatsapp-bot:mediaAllowedTypes",
      "pulumi config set --path 'whatsapp-bot:mediaAllowedTypes[0]' image/jpeg (and [1], [2]… for more)",
    ],
    [
      "thresholds that repeat",
      "dev",
      { "whatsapp-bot:budgetThresholdsPercent": "[80,80]" },
      "whatsapp-bot:budgetThresholdsPercent",
      "pulumi config set --path 'whatsapp-bot:budgetThresholdsPercent[0]' 50",
    ],
    [
      "more thresholds than AWS Budgets takes",
      "dev",
      { "whatsapp-bot:budgetThresholdsPercent": "[1,2,3,4,5,6,7,8,9,10,11]" },
      "whatsapp-bot:budgetThresholdsPercent",
      "pulumi config set --path",
    ],
    [
      "a verification code YAML read as a number",
      "dev",
      {
        "whatsapp-bot:sender":
          '{"mode":"register","number":"+15005550006","wabaId":"123456","verificationMethod":"sms","displayName":"A","verificationCode":123456}',
      },
      "whatsapp-bot:sender.verificationCode",
      "pulumi config set --path 'whatsapp-bot:sender.verificationCode'",
    ],
    [
      "a language the bot does not speak",
      "dev",
      { "whatsapp-bot:botLanguage": "fr" },
      "whatsapp-bot:botLanguage",
      "pulumi config set whatsapp-bot:botLanguage es",
    ],
    [
      "an unknown log level",
      "dev",
      { "whatsapp-bot:logLevel": "trace" },
      "whatsapp-bot:logLevel",
      "pulumi config set whatsapp-bot:logLevel info",
    ],
    [
      "protection on a review stack",
      "pr-3",
      { "whatsapp-bot:environment": "review", "whatsapp-bot:protect": "true" },
      "whatsapp-bot:protect",
      "pulumi config set whatsapp-bot:protect false",
    ],
    [
      "protection on staging",
      "staging",
      { "whatsapp-bot:environment": "staging", "whatsapp-bot:protect": "true" },
      "whatsapp-bot:protect",
      "pulumi config set whatsapp-bot:protect false",
    ],
    [
      "a misspelt key",
      "dev",
      { "whatsapp-bot:lambdaMemory": "512" },
      "whatsapp-bot:lambdaMemory",
      "pulumi config rm whatsapp-bot:lambdaMemory",
    ],
    [
      "tags that are not a map",
      "dev",
      { "whatsapp-bot:tags": '["a"]' },
      "whatsapp-bot:tags",
      "pulumi config set --path 'whatsapp-bot:tags.team' bots",
    ],
    [
      "a tag the program sets itself",
      "dev",
      { "whatsapp-bot:tags": '{"stack":"x"}' },
      "whatsapp-bot:tags",
      "pulumi config rm --path 'whatsapp-bot:tags.stack'",
    ],
    [
      "a tag key AWS reserves",
      "dev",
      { "whatsapp-bot:tags": '{"aws:x":"y"}' },
      "whatsapp-bot:tags",
      "pulumi config set --path 'whatsapp-bot:tags.aws:x'",
    ],
    [
      "an unknown sender mode",
      "dev",
      { "whatsapp-bot:sender": '{"mode":"borrow"}' },
      "whatsapp-bot:sender.mode",
      "pulumi config set --path 'whatsapp-bot:sender.mode'",
    ],
    [
      "an adopted sender without sid or number",
      "dev",
      { "whatsapp-bot:sender": '{"mode":"adopt"}' },
      "whatsapp-bot:sender.sid",
      "pulumi config set --path 'whatsapp-bot:sender.number'",
    ],
    [
      "an adopted sender with a bad number",
      "dev",
      { "whatsapp-bot:sender": '{"mode":"adopt","number":"5550006"}' },
      "whatsapp-bot:sender.number",
      "pulumi config set --path 'whatsapp-bot:sender.number'",
    ],
    [
      "an adopted sender with a phone-number SID",
      "dev",
      { "whatsapp-bot:sender": `{"mode":"adopt","sid":"PN${"0".repeat(32)}"}` },
      "whatsapp-bot:sender.sid",
      "pulumi config set --path 'whatsapp-bot:sender.sid'",
    ],
    [
      "a registration without a WABA id",
      "dev",
      {
        "whatsapp-bot:sender":
          '{"mode":"register","number":"+15005550006","verificationMethod":"sms","displayName":"A"}',
      },
      "whatsapp-bot:sender.wabaId",
      "pulumi config set --path 'whatsapp-bot:sender.wabaId'",
    ],
    [
      "a registration by fax",
      "dev",
      {
        "whatsapp-bot:sender":
          '{"mode":"register","number":"+15005550006","wabaId":"123456","verificationMethod":"fax","displayName":"A"}',
      },
      "whatsapp-bot:sender.verificationMethod",
      "pulumi config set --path 'whatsapp-bot:sender.verificationMethod' sms",
    ],
    [
      "a sender field that does not exist",
      "dev",
      { "whatsapp-bot:sender": '{"mode":"adopt","number":"+15005550006","nmber":"x"}' },
      "whatsapp-bot:sender.nmber",
      "pulumi config rm --path 'whatsapp-bot:sender.nmber'",
    ],
    [
      "a profile field that does not exist",
      "dev",
      { "whatsapp-bot:sender": '{"mode":"adopt","number":"+15005550006","profile":{"logo":"x"}}' },
      "whatsapp-bot:sender.profile.logo",
      "pulumi config rm --path 'whatsapp-bot:sender.profile.logo'",
    ],
    [
      "a review stack taking a sender",
      "pr-9",
      {
        "whatsapp-bot:environment": "review",
        "whatsapp-bot:sender": '{"mode":"adopt","number":"+15005550006"}',
      },
      "whatsapp-bot:sender.mode",
      "pulumi config set --path 'whatsapp-bot:sender.mode' none",
    ],
    [
      "a malformed account SID",
      "dev",
      { "twilio:accountSid": "AC123" },
      "twilio:accountSid",
      "pulumi config set twilio:accountSid",
    ],
    [
      "an API key without its secret",
      "dev",
      { "twilio:apiKey": `SK${"1".repeat(32)}` },
      "twilio:apiSecret",
      "pulumi config set --secret twilio:apiSecret",
    ],
    [
      "an auth token that is not a token",
      "dev",
      { "twilio:authToken": "not-a-token" },
      "twilio:authToken",
      "pulumi config set --secret twilio:authToken",
    ],
  ])("%s", async (_, stack, overrides, key, fix) => {
    const config = Object.fromEntries(
      Object.entries({ ...BASE, ...overrides }).filter(([, v]) => v !== ""),
    );
    const error = await configError(stack, config);
    expect(error.name).toBe("ConfigError");
    const problem = error.problems.find((p) => p.key === key);
    expect(problem).toBeDefined();
    expect(problem!.fix).toContain(fix);
    expect(error.message).toContain(`${key}: `);
    expect(error.message).toContain(fix);
  });

  test("a missing auth token outside a preview, with the --secret command", async () => {
    const error = await configError("dev", { "whatsapp-bot:environment": "dev" }, []);
    expect(error.message).toContain(
      "twilio:authToken: is required. Fix: pulumi config set --secret twilio:authToken <auth token>",
    );
  });

  test.each([
    ["twilio:authToken", TOKEN],
    ["twilio:apiSecret", API_SECRET],
  ])("%s stored in plaintext, without repeating its value", async (key, value) => {
    const config = {
      ...BASE,
      "twilio:apiKey": `SK${"1".repeat(32)}`,
      "twilio:apiSecret": API_SECRET,
    };
    const secretKeys = ["twilio:authToken", "twilio:apiSecret"].filter((k) => k !== key);
    const error = await configError("dev", config, secretKeys);
    expect(error.message).toContain(
      `${key}: is stored in plaintext; it must be secret config. Fix: pulumi config set --secret ${key}`,
    );
    expect(error.message).not.toContain(value);
  });

  test("every problem at once, so one run shows everything to fix", async () => {
    const error = await configError(
      "dev",
      {
        "whatsapp-bot:environment": "qa",
        "whatsapp-bot:lambdaMemoryMb": "1",
        "whatsapp-bot:botLanguage": "fr",
      },
      [],
    );
    expect(error.problems.map((p) => p.key)).toEqual([
      "whatsapp-bot:environment",
      "whatsapp-bot:lambdaMemoryMb",
      "whatsapp-bot:botLanguage",
      "twilio:authToken",
    ]);
  });

  test("a stack name too long for the AWS names derived from it", async () => {
    const error = await configError("a".repeat(40), BASE);
    expect(error.problems[0].fix).toBe("pulumi stack rename <shorter-name>");
  });
});

describe("the config and the WhatsAppSender check follow the same sender rules", () => {
  const register = {
    mode: "register",
    number: "+15005550006",
    wabaId: "123456",
    verificationMethod: "sms",
    displayName: "Acme",
  };

  /** Whether loadConfig accepts the registration with `patch` applied. */
  async function configAccepts(patch: Record<string, unknown>): Promise<boolean> {
    const sender = JSON.stringify({ ...register, ...patch });
    try {
      await load("dev", { ...BASE, "whatsapp-bot:sender": sender });
      return true;
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return false;
    }
  }

  /** Whether the provider's check accepts the same registration. */
  async function checkAccepts(patch: Record<string, unknown>): Promise<boolean> {
    const { validateWhatsAppSender } = await import("../../infra/twilio/whatsAppSender");
    const { profile, ...rest } = patch;
    const { mode: _mode, ...fields } = register;
    const news = { register: { ...fields, ...rest }, ...(profile ? { profile } : {}) };
    const result = await validateWhatsAppSender({}, news as never);
    return (result.failures ?? []).length === 0;
  }

  test.each<[string, Record<string, unknown>, boolean]>([
    ["a 4-digit code", { verificationCode: "1234" }, true],
    ["an 8-digit code", { verificationCode: "12345678" }, true],
    ["a 3-digit code", { verificationCode: "123" }, false],
    ["a phone number as the code", { verificationCode: "5005550006" }, false],
    ["a 512-character display name", { displayName: "x".repeat(512) }, true],
    ["a 513-character display name", { displayName: "x".repeat(513) }, false],
    ["a 2-digit E.164 number", { number: "+12" }, true],
    ["a 16-digit number", { number: "+1234567890123456" }, false],
    ["a listed vertical", { profile: { vertical: "Shopping and Retail" } }, true],
    ["an unlisted vertical", { profile: { vertical: "Retail" } }, false],
  ])("%s: both accept it, or both refuse it", async (_name, patch, accepted) => {
    expect([await configAccepts(patch), await checkAccepts(patch)]).toEqual([accepted, accepted]);
  });
});

describe("whatsapp-bot:messagingService adopts a console-made service by its SID", () => {
  const SID = "MG0123456789abcdef0123456789abcdef";

  test("absent, the stack creates its own service; set, it names the service and keeps it on destroy by default", async () => {
    expect((await load("dev", BASE)).messagingService).toEqual({ deleteOnDestroy: false });
    const config = await load("dev", {
      ...BASE,
      "whatsapp-bot:messagingService": JSON.stringify({ sid: SID }),
    });
    expect(config.messagingService).toEqual({ sid: SID, deleteOnDestroy: false });
  });

  test("a malformed SID and an unknown field are named with their fix", async () => {
    const err = await configError("dev", {
      ...BASE,
      "whatsapp-bot:messagingService": JSON.stringify({ sid: "MG123", delete: true }),
    });
    const keys = err.problems.map((p) => p.key);
    expect(keys).toContain("whatsapp-bot:messagingService.sid");
    expect(keys).toContain("whatsapp-bot:messagingService.delete");
  });

  test("a review stack never adopts one", async () => {
    const err = await configError("pr-7", {
      ...BASE,
      "whatsapp-bot:environment": "review",
      "whatsapp-bot:messagingService": JSON.stringify({ sid: SID }),
    });
    expect(err.problems).toEqual([
      expect.objectContaining({
        key: "whatsapp-bot:messagingService.sid",
        fix: "pulumi config rm whatsapp-bot:messagingService",
      }),
    ]);
  });
});

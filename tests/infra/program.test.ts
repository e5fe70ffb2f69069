import * as path from "path";
import { isDeepStrictEqual } from "util";
import * as pulumi from "@pulumi/pulumi";
import {
  PulumiRecorder,
  type RecordedResource,
  awsTypeIsTaggable,
  isKnown,
  isWireSecret,
  loadProgram,
  plaintextOccurrences,
  valueOf,
} from "../helpers/pulumiMocks";
import { DEFAULTS } from "../../infra/config";

type Program = typeof import("../../infra/index");

/** Type tokens of the Twilio dynamic resources (`pulumi-nodejs:dynamic/<module>:<type>`). */
const TWILIO = {
  service: "pulumi-nodejs:dynamic/twilio:MessagingService",
  sender: "pulumi-nodejs:dynamic/twilio:WhatsAppSender",
  pool: "pulumi-nodejs:dynamic/twilio:SenderPoolMember",
  apiKey: "pulumi-nodejs:dynamic/twilio:ApiKey",
};
const AWS = {
  api: "aws:apigatewayv2/api:Api",
  fn: "aws:lambda/function:Function",
  policy: "aws:iam/rolePolicy:RolePolicy",
  permission: "aws:lambda/permission:Permission",
  table: "aws:dynamodb/table:Table",
  secret: "aws:secretsmanager/secret:Secret",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  bucket: "aws:s3/bucket:Bucket",
};
const ROUTES = ["incoming", "fallback", "status"] as const;

const AUTH_TOKEN = "fedcba9876543210fedcba9876543210";
const API_SECRET = "pLa1nTeXtNeVeRpLa1nTeXtNeVeR1234";
const CREDENTIALS = {
  "twilio:accountSid": `AC${"0".repeat(32)}`,
  "twilio:apiKey": `SK${"0".repeat(32)}`,
  "twilio:apiSecret": API_SECRET,
  "twilio:authToken": AUTH_TOKEN,
};
const SECRET_KEYS = ["twilio:apiSecret", "twilio:authToken"];

interface Variant {
  readonly title: string;
  readonly stack: string;
  readonly dryRun: boolean;
  readonly config: Record<string, string>;
  readonly environment: string;
  readonly userTags: Record<string, string>;
  readonly sender: "adopt" | "register" | "none";
  readonly protect: boolean;
  /** Whether the stack gets spending alerts (a budget, and not a review stack). */
  readonly spending: boolean;
}

const DEV_CONFIG = {
  "whatsapp-bot:environment": "dev",
  "whatsapp-bot:logLevel": "debug",
  "whatsapp-bot:tags": JSON.stringify({ owner: "dev-team" }),
  "whatsapp-bot:sender": JSON.stringify({ mode: "adopt", number: "+15005550006", webhook: true }),
  ...CREDENTIALS,
};

const PROD: Variant = {
  title: "prod registering a sender",
  stack: "prod",
  dryRun: false,
  config: {
    "whatsapp-bot:environment": "prod",
    "whatsapp-bot:lambdaMemoryMb": "512",
    "whatsapp-bot:lambdaTimeoutSeconds": "20",
    "whatsapp-bot:logRetentionDays": "90",
    "whatsapp-bot:throttleRateLimit": "50",
    "whatsapp-bot:api4xxAlarmThreshold": "25",
    "whatsapp-bot:throttleBurstLimit": "100",
    "whatsapp-bot:botLanguage": "en",
    "whatsapp-bot:alarmEmail": "oncall@example.com",
    "whatsapp-bot:budgetUsd": "300",
    "whatsapp-bot:handoffEmails": JSON.stringify(["agents@example.com", "lead@example.com"]),
    "whatsapp-bot:handoffTimeoutMinutes": "30",
    "whatsapp-bot:mediaRetentionDays": "90",
    "whatsapp-bot:mediaMaxBytes": "5242880",
    "whatsapp-bot:mediaAllowedTypes": JSON.stringify(["image/*", "application/pdf"]),
    "whatsapp-bot:deleteTwilioMedia": "true",
    "whatsapp-bot:sender": JSON.stringify({
      mode: "register",
      number: "+15005550006",
      wabaId: "123456789012345",
      verificationMethod: "sms",
      displayName: "Example Support",
      profile: { about: "Hello" },
    }),
    ...CREDENTIALS,
  },
  environment: "prod",
  userTags: {},
  sender: "register",
  protect: true,
  spending: true,
};

const DEV: Variant = {
  title: "dev with an adopted sender",
  stack: "dev",
  dryRun: false,
  config: DEV_CONFIG,
  environment: "dev",
  userTags: { owner: "dev-team" },
  sender: "adopt",
  protect: false,
  spending: false,
};

const VARIANTS: Variant[] = [
  DEV,
  PROD,
  {
    title: "a review stack without a sender",
    stack: "pr-17",
    dryRun: false,
    config: {
      "whatsapp-bot:environment": "review",
      // Copied from staging and ignored on purpose: no spending alerts, no alarm e-mail.
      "whatsapp-bot:budgetUsd": "100",
      "whatsapp-bot:alarmEmail": "staging-alerts@example.com",
      "whatsapp-bot:handoffEmails": JSON.stringify(["staging-agents@example.com"]),
      "twilio:authToken": AUTH_TOKEN,
    },
    environment: "review",
    userTags: {},
    sender: "none",
    protect: false,
    spending: false,
  },
  { ...DEV, title: "a preview of dev, with unknown computed values", dryRun: true },
  // Spending alerts wire the API endpoint and the topic ARN across resources: both unknown here.
  { ...PROD, title: "a preview of prod, with unknown computed values", dryRun: true },
  // What preview.yml runs for a pull request: no Twilio credential at all.
  {
    ...PROD,
    title: "a pull-request preview of prod, without Twilio credentials",
    dryRun: true,
    config: Object.fromEntries(
      Object.entries(PROD.config).filter(([key]) => !key.startsWith("twilio:")),
    ),
  },
];

describe.each(VARIANTS)("the program for $title", (variant) => {
  const recorder = new PulumiRecorder();
  let program: Program;
  const prefix = `whatsapp-bot-${variant.stack}`;
  const secretKeys = SECRET_KEYS.filter((k) => k in variant.config);

  beforeAll(async () => {
    program = await loadProgram(recorder, () => import("../../infra/index"), {
      stack: variant.stack,
      dryRun: variant.dryRun,
      config: variant.config,
      secretKeys,
    });
    // Await every stack output, so nothing resolves after the tests end.
    await Promise.all(
      Object.values(program).map((output: unknown) =>
        pulumi.Output.isInstance(output) ? valueOf(output) : Promise.resolve(output),
      ),
    );
    // Serializing the four Twilio providers takes seconds, more on a shared CI machine.
  }, 120_000);

  const all = (type: string): RecordedResource[] => recorder.ofType(type);
  const spendingTopicArn = (): unknown =>
    recorder.resources.find((r) => r.name === `${prefix}-spending-topic`)?.state.arn;
  const handoffTopic = () => recorder.named("aws:sns/topic:Topic", `${prefix}-handoff-topic`);
  const authTokenSecret = () => recorder.named(AWS.secret, `${prefix}-auth-token`);
  const sendSecret = () => recorder.named(AWS.secret, `${prefix}-send-credentials`);
  const SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
  /** Whether `resource` waits for the one of type `type` named `name` (its URN's end says so). */
  const dependsOn = (resource: RecordedResource, type: string, name: string): boolean =>
    resource.dependencies.some((urn) => urn.endsWith(`${type}::${name}`));

  test(
    "twilio:authToken" in variant.config
      ? "the auth token secret version takes the configured token"
      : "without the token, the auth token secret version keeps the deployed value",
    () => {
      const version = recorder.named(SECRET_VERSION, `${prefix}-auth-token`);
      expect(isWireSecret(version.inputs.secretString)).toBe(true);
      if ("twilio:authToken" in variant.config) {
        expect((version.inputs.secretString as { value: string }).value).toBe(AUTH_TOKEN);
        expect(version.ignoreChanges).toEqual([]);
      } else {
        // The engine puts the value from the last deployment back before check and diff.
        expect(version.ignoreChanges).toEqual(["secretString"]);
        expect((version.inputs.secretString as { value: string }).value).not.toMatch(
          /^[0-9a-f]{32}$/,
        );
      }
    },
  );

  test("the Messaging Service calls the API endpoint plus each route, over https", async () => {
    const service = recorder.one(TWILIO.service).inputs;
    expect(service).toMatchObject({
      friendlyName: prefix,
      inboundMethod: "POST",
      fallbackMethod: "POST",
      useInboundWebhookOnNumber: false,
    });
    const urls = [service.inboundRequestUrl, service.fallbackUrl, service.statusCallback];
    if (variant.dryRun) {
      // The endpoint does not exist yet: the URLs must stay unknown, never a made-up string.
      for (const url of urls) expect(pulumi.isUnknown(url)).toBe(true);
      for (const out of [program.incomingUrl, program.fallbackUrl, program.statusCallbackUrl]) {
        expect(await isKnown(out)).toBe(false);
      }
      return;
    }
    const endpoint = recorder.one(AWS.api).state.apiEndpoint as string;
    expect(endpoint).toMatch(/^https:\/\//);
    expect(urls).toEqual(ROUTES.map((route) => `${endpoint}/whatsapp/${route}`));
    expect([
      await valueOf(program.incomingUrl),
      await valueOf(program.fallbackUrl),
      await valueOf(program.statusCallbackUrl),
    ]).toEqual(urls);
    expect(await valueOf(program.apiEndpoint)).toBe(endpoint);
  });

  test("the Lambda gets the same public base URL Twilio is given, and no secret", () => {
    const env = (recorder.one(AWS.fn).inputs.environment as { variables: Record<string, unknown> })
      .variables;
    expect(Object.keys(env).sort()).toEqual(
      [
        "AUTH_TOKEN_SECRET_ARN",
        "AUTH_TOKEN_SECRET_VERSION_ID",
        "BOT_LANGUAGE",
        "LOG_LEVEL",
        "PUBLIC_BASE_URL",
        "TABLE_NAME",
        "HANDOFF_TOPIC_ARN",
        "HANDOFF_TIMEOUT_MINUTES",
        "MEDIA_BUCKET",
        "MEDIA_MAX_BYTES",
        "MEDIA_ALLOWED_TYPES",
        "DELETE_TWILIO_MEDIA",
        "TEMPLATE_SIDS",
        ...(variant.spending ? ["ALERT_TOPIC_ARN"] : []),
      ].sort(),
    );
    expect(env.HANDOFF_TIMEOUT_MINUTES).toBe(
      variant.config["whatsapp-bot:handoffTimeoutMinutes"] ?? "60",
    );
    if (!variant.dryRun) expect(env.HANDOFF_TOPIC_ARN).toBe(handoffTopic().state.arn);
    if (variant.spending && !variant.dryRun) {
      expect(env.ALERT_TOPIC_ARN).toBe(spendingTopicArn());
    }
    if (variant.dryRun) {
      if (variant.spending) expect(pulumi.isUnknown(env.ALERT_TOPIC_ARN)).toBe(true);
      expect(pulumi.isUnknown(env.PUBLIC_BASE_URL)).toBe(true);
    } else {
      const service = recorder.one(TWILIO.service).inputs;
      expect(`${env.PUBLIC_BASE_URL as string}/whatsapp/incoming`).toBe(service.inboundRequestUrl);
      expect(env.AUTH_TOKEN_SECRET_ARN).toBe(authTokenSecret().state.arn);
      expect(env.AUTH_TOKEN_SECRET_VERSION_ID).toBe(
        recorder.named(SECRET_VERSION, `${prefix}-auth-token`).state.versionId,
      );
    }
    for (const value of Object.values(env)) {
      expect(value).not.toEqual(AUTH_TOKEN);
      expect(value).not.toEqual(API_SECRET);
    }
  });

  test("the function, its logs, the stage and the table take their settings from the stack's config", () => {
    const setting = <K extends keyof typeof DEFAULTS>(key: K): string =>
      variant.config[`whatsapp-bot:${key}`] ?? String(DEFAULTS[key]);
    const fn = recorder.one(AWS.fn).inputs;
    expect(fn).toMatchObject({ runtime: "nodejs24.x", architectures: ["arm64"] });
    expect([fn.memorySize, fn.timeout]).toEqual([
      Number(setting("lambdaMemoryMb")),
      Number(setting("lambdaTimeoutSeconds")),
    ]);
    const env = (fn.environment as { variables: Record<string, unknown> }).variables;
    expect([env.BOT_LANGUAGE, env.LOG_LEVEL]).toEqual([
      setting("botLanguage"),
      setting("logLevel"),
    ]);
    // The media limits reach the function as lambda/media/settings.ts reads them.
    const allowedTypes = JSON.parse(
      variant.config["whatsapp-bot:mediaAllowedTypes"] ??
        JSON.stringify(DEFAULTS.mediaAllowedTypes),
    ) as string[];
    expect([env.MEDIA_MAX_BYTES, env.MEDIA_ALLOWED_TYPES, env.DELETE_TWILIO_MEDIA]).toEqual([
      setting("mediaMaxBytes"),
      allowedTypes.join(","),
      setting("deleteTwilioMedia"),
    ]);
    if (variant.dryRun) expect(pulumi.isUnknown(env.MEDIA_BUCKET)).toBe(true);
    else expect(env.MEDIA_BUCKET).toBe(recorder.one(AWS.bucket).state.bucket);
    // The function's log and the API's access log keep the same retention.
    const logGroups = recorder.ofType(AWS.logGroup);
    expect(logGroups.map((g) => g.name).sort()).toEqual([`${prefix}-api-access`, `${prefix}-logs`]);
    for (const group of logGroups) {
      expect(group.inputs.retentionInDays).toBe(Number(setting("logRetentionDays")));
    }
    const stage = recorder.one("aws:apigatewayv2/stage:Stage").inputs;
    expect(stage.defaultRouteSettings).toEqual({
      throttlingRateLimit: Number(setting("throttleRateLimit")),
      throttlingBurstLimit: Number(setting("throttleBurstLimit")),
    });
    const destination = (stage.accessLogSettings as { destinationArn: unknown }).destinationArn;
    if (variant.dryRun) expect(pulumi.isUnknown(destination)).toBe(true);
    else expect(destination).toBe(recorder.named(AWS.logGroup, `${prefix}-api-access`).state.arn);
    const fourXx = all("aws:cloudwatch/metricAlarm:MetricAlarm").find(
      (a) => a.inputs.metricName === "4xx",
    );
    expect(fourXx?.inputs.threshold).toBe(Number(setting("api4xxAlarmThreshold")));
    // Point-in-time recovery defaults to on in prod only.
    expect(recorder.one(AWS.table).inputs.pointInTimeRecovery).toEqual({
      enabled: variant.environment === "prod",
    });
  });

  test("no secret value appears in plaintext in any resource's inputs", () => {
    expect(recorder.resources.length).toBeGreaterThan(20);
    // The serialized Twilio provider code is an input too, and is searched like the rest.
    expect(recorder.one(TWILIO.service).inputs.__provider).toEqual(expect.any(String));
    // The send path's API key secret (made up by the mocks) counts too.
    const keySecret = recorder.one(TWILIO.apiKey).state.secret;
    const needles = [AUTH_TOKEN, API_SECRET, ...(typeof keySecret === "string" ? [keySecret] : [])];
    expect(needles).toHaveLength(variant.dryRun ? 2 : 3);
    const leaks = recorder.resources.flatMap((resource) =>
      needles.flatMap((secret) =>
        plaintextOccurrences(resource.inputs, secret).map((at) => `${resource.name}: ${at}`),
      ),
    );
    expect(leaks).toEqual([]);
  });

  test("the send path: the stack's own API key, in one secret with the service, written after the service, without a cycle", async () => {
    const key = recorder.one(TWILIO.apiKey);
    expect(key.inputs.friendlyName).toBe(`${prefix} send path`);
    expect(key.protect).toBe(false);
    expect(sendSecret().inputs.recoveryWindowInDays).toBe(0);
    const version = recorder.named(SECRET_VERSION, `${prefix}-send-credentials`);
    expect(isWireSecret(version.inputs.secretString)).toBe(true);
    // Written once the key and the Messaging Service exist…
    expect(dependsOn(version, TWILIO.apiKey, `${prefix}-send-key`)).toBe(true);
    expect(dependsOn(version, TWILIO.service, `${prefix}-service`)).toBe(true);
    // …while the webhook, which never sends, neither reads the secret nor depends on the version,
    // the key or the service (the service's URLs lead to it: any of these would be a cycle).
    const fn = recorder.one(AWS.fn);
    expect(dependsOn(fn, AWS.secret, `${prefix}-send-credentials`)).toBe(false);
    expect(dependsOn(fn, SECRET_VERSION, `${prefix}-send-credentials`)).toBe(false);
    expect(dependsOn(fn, TWILIO.apiKey, `${prefix}-send-key`)).toBe(false);
    expect(dependsOn(fn, TWILIO.service, `${prefix}-service`)).toBe(false);
    if (variant.dryRun) return;
    const service = recorder.one(TWILIO.service);
    expect(JSON.parse((version.inputs.secretString as { value: string }).value)).toEqual({
      accountSid: key.state.accountSid,
      apiKeySid: key.state.sid,
      apiKeySecret: key.state.secret,
      messagingServiceSid: service.state.sid,
    });
  });

  test("the sender is adopted or registered, bound to the service, or absent", async () => {
    const senders = all(TWILIO.sender);
    const pools = all(TWILIO.pool);
    if (variant.sender === "none") {
      expect(senders).toEqual([]);
      expect(pools).toEqual([]);
      expect(program.senderSid).toBeUndefined();
      expect(program.senderStatus).toBeUndefined();
      return;
    }
    expect(senders).toHaveLength(1);
    expect(pools).toHaveLength(1);
    const sender = senders[0];
    expect(sender.inputs.deleteOnDestroy).toBe(false);
    if (variant.sender === "adopt") {
      expect(sender.inputs.adopt).toEqual({ number: "+15005550006" });
      expect(sender.inputs.register).toBeUndefined();
    } else {
      expect(sender.inputs.register).toEqual({
        number: "+15005550006",
        wabaId: "123456789012345",
        verificationMethod: "sms",
        displayName: "Example Support",
      });
      expect(sender.inputs.profile).toEqual({ about: "Hello" });
    }
    if (variant.dryRun) {
      expect(pulumi.isUnknown(pools[0].inputs.serviceSid)).toBe(true);
      return;
    }
    expect(pools[0].inputs).toMatchObject({
      serviceSid: recorder.one(TWILIO.service).state.sid,
      senderSid: sender.state.sid,
    });
    expect(await valueOf(program.senderSid)).toBe(sender.state.sid);
    expect(await valueOf(program.senderStatus)).toBe(sender.state.status);
    expect(await valueOf(program.messagingServiceSid)).toMatch(/^MG[0-9a-f]{32}$/);
  });

  test("the sender's own webhook points at the routes only when configured", () => {
    const senders = all(TWILIO.sender);
    if (variant.sender !== "adopt") {
      for (const sender of senders) expect(sender.inputs.webhook).toBeUndefined();
      return;
    }
    const webhook = senders[0].inputs.webhook as Record<string, unknown>;
    expect(webhook).toMatchObject({
      callbackMethod: "POST",
      fallbackMethod: "POST",
      statusCallbackMethod: "POST",
    });
    const service = recorder.one(TWILIO.service).inputs;
    if (variant.dryRun) {
      expect(pulumi.isUnknown(webhook.callbackUrl)).toBe(true);
    } else {
      expect([webhook.callbackUrl, webhook.fallbackUrl, webhook.statusCallbackUrl]).toEqual([
        service.inboundRequestUrl,
        service.fallbackUrl,
        service.statusCallback,
      ]);
    }
  });

  test("the role grants only the item operations, the secret read and log writes, on this stack's own", () => {
    const policy = recorder.one(AWS.policy).inputs.policy;
    if (variant.dryRun) {
      expect(pulumi.isUnknown(policy)).toBe(true);
      return;
    }
    const statements = (JSON.parse(policy as string) as { Statement: unknown }).Statement as Array<{
      Effect: string;
      Action: string[];
      Resource: string[];
    }>;
    const grants = statements.flatMap((s) =>
      s.Action.flatMap((action) =>
        s.Resource.map((resource) => `${s.Effect} ${action} ${resource}`),
      ),
    );
    const table = recorder.one(AWS.table).state.arn as string;
    const secret = authTokenSecret().state.arn as string;
    const logs = `${recorder.named(AWS.logGroup, `${prefix}-logs`).state.arn as string}:*`;
    const bucket = recorder.one(AWS.bucket).state.arn as string;
    expect(grants.sort()).toEqual(
      [
        `Allow s3:PutObject ${bucket}/*`,
        `Allow dynamodb:GetItem ${table}`,
        `Allow dynamodb:PutItem ${table}`,
        `Allow dynamodb:UpdateItem ${table}`,
        `Allow secretsmanager:GetSecretValue ${secret}`,
        `Allow logs:CreateLogStream ${logs}`,
        `Allow logs:PutLogEvents ${logs}`,
        `Allow sns:Publish ${handoffTopic().state.arn as string}`,
        ...(variant.spending ? [`Allow sns:Publish ${spendingTopicArn() as string}`] : []),
      ].sort(),
    );
    expect(String(table)).toContain(prefix);
  });

  test("the media bucket is private, encrypted, TLS-only, expires media after the configured days, and is emptied on destroy unless protected", () => {
    const bucket = recorder.one(AWS.bucket);
    expect(bucket.name).toBe(`${prefix}-media`);
    expect(bucket.inputs.forceDestroy).toBe(!variant.protect);
    expect(bucket.protect).toBe(variant.protect);
    const onBucket = (type: string) => {
      const child = recorder.one(type).inputs;
      if (variant.dryRun) expect(pulumi.isUnknown(child.bucket)).toBe(true);
      else expect(child.bucket).toBe(bucket.state.bucket);
      return child;
    };
    expect(onBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(onBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(
      onBucket(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    const days = Number(
      variant.config["whatsapp-bot:mediaRetentionDays"] ?? DEFAULTS.mediaRetentionDays,
    );
    expect(
      onBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").rules,
    ).toEqual([{ id: "expire-media", status: "Enabled", filter: {}, expiration: { days } }]);
    const policy = onBucket("aws:s3/bucketPolicy:BucketPolicy").policy;
    if (variant.dryRun) {
      expect(pulumi.isUnknown(policy)).toBe(true);
      return;
    }
    const arn = bucket.state.arn as string;
    expect(JSON.parse(policy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  test("API Gateway may invoke the function only from this API", () => {
    const permissions = all(AWS.permission).map((p) => p.inputs);
    const paths = ["whatsapp/fallback", "whatsapp/incoming", "whatsapp/status", "handoff/release"];
    if (variant.spending) paths.push("twilio/usage");
    expect(permissions).toHaveLength(paths.length);
    for (const permission of permissions) {
      expect(permission.principal).toBe("apigateway.amazonaws.com");
      expect(permission.function).toBe(prefix);
      if (variant.dryRun) {
        expect(pulumi.isUnknown(permission.sourceArn)).toBe(true);
      }
    }
    if (!variant.dryRun) {
      const executionArn = recorder.one(AWS.api).state.executionArn as string;
      expect(permissions.map((p) => p.sourceArn).sort()).toEqual(
        paths.map((path) => `${executionArn}/*/POST/${path}`).sort(),
      );
    }
  });

  test("alarms e-mail the configured address, except in review stacks", () => {
    const alarms = all("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(4);
    const subscriptions = all("aws:sns/topicSubscription:TopicSubscription")
      .filter((s) => s.name.startsWith(`${prefix}-alarms`))
      .map((s) => s.inputs.endpoint);
    const email = variant.config["whatsapp-bot:alarmEmail"];
    expect(subscriptions).toEqual(
      email !== undefined && variant.environment !== "review" ? [email] : [],
    );
  });

  test("hand-offs go to the stack's own encrypted topic, e-mailed to the configured agents except in review stacks", async () => {
    const topic = handoffTopic();
    expect(topic.inputs).toMatchObject({
      name: `${prefix}-handoff`,
      kmsMasterKeyId: "alias/aws/sns",
    });
    const subscriptions = all("aws:sns/topicSubscription:TopicSubscription").filter((s) =>
      s.name.startsWith(`${prefix}-handoff`),
    );
    const configured = JSON.parse(variant.config["whatsapp-bot:handoffEmails"] ?? "[]") as string[];
    const expected = variant.environment === "review" ? [] : configured;
    expect(subscriptions.map((s) => s.inputs.endpoint).sort()).toEqual([...expected].sort());
    for (const subscription of subscriptions) {
      expect(subscription.inputs.protocol).toBe("email");
      if (!variant.dryRun) expect(subscription.inputs.topic).toBe(topic.state.arn);
    }
    const routes = all("aws:apigatewayv2/route:Route").map((r) => r.inputs.routeKey);
    expect(routes).toContain("POST /handoff/release");
    if (variant.dryRun) expect(await isKnown(program.handoffTopicArn)).toBe(false);
    else expect(await valueOf(program.handoffTopicArn)).toBe(topic.state.arn);
  });

  test("spending alerts exist only with a budget outside review, calling the API's usage route", async () => {
    const triggers = all("pulumi-nodejs:dynamic/twilio:UsageTrigger");
    const budgets = all("aws:budgets/budget:Budget");
    const routes = all("aws:apigatewayv2/route:Route").map((r) => r.inputs.routeKey);
    if (!variant.spending) {
      expect(triggers).toEqual([]);
      expect(budgets).toEqual([]);
      expect(routes).not.toContain("POST /twilio/usage");
      expect(program.spendingAlertTopicArn).toBeUndefined();
      return;
    }
    expect(routes).toContain("POST /twilio/usage");
    expect(triggers.map((t) => t.inputs.triggerValue)).toEqual(["150", "240", "300"]);
    expect(budgets).toHaveLength(1);
    if (variant.dryRun) {
      // The API does not exist yet: Twilio must not be given a made-up callback URL.
      for (const trigger of triggers) {
        expect(pulumi.isUnknown(trigger.inputs.callbackUrl)).toBe(true);
      }
      expect(await isKnown(program.spendingAlertTopicArn!)).toBe(false);
      return;
    }
    const endpoint = recorder.one(AWS.api).state.apiEndpoint as string;
    for (const trigger of triggers) {
      expect(trigger.inputs.callbackUrl).toBe(`${endpoint}/twilio/usage`);
      expect(trigger.inputs.callbackUrl).toMatch(/^https:\/\//);
    }
    expect(await valueOf(program.spendingAlertTopicArn)).toBe(spendingTopicArn());
  });

  test("every AWS resource that takes tags carries project, stack, environment and the user's tags", () => {
    const expected = {
      ...variant.userTags,
      project: "whatsapp-bot",
      stack: variant.stack,
      environment: variant.environment,
    };
    const taggable = recorder.resources.filter(
      (r) => r.type.startsWith("aws:") && awsTypeIsTaggable(r.type),
    );
    expect(taggable.length).toBeGreaterThanOrEqual(9);
    expect(
      taggable.filter((r) => !isDeepStrictEqual(r.inputs.tags, expected)).map((r) => r.name),
    ).toEqual([]);
  });

  test("every resource's name carries the stack name", () => {
    for (const resource of recorder.resources) expect(resource.name).toContain(prefix);
    expect(recorder.one(AWS.fn).inputs.name).toBe(prefix);
    expect(recorder.named(AWS.logGroup, `${prefix}-logs`).inputs.name).toBe(
      `/aws/lambda/${prefix}`,
    );
    expect(recorder.named(AWS.logGroup, `${prefix}-api-access`).inputs.name).toBe(
      `/aws/apigateway/${prefix}/access`,
    );
  });

  test(
    variant.protect
      ? "the table, the secret, the media bucket, the service and the sender binding are protected, nothing else"
      : "nothing is protected, so the stack can be destroyed to zero",
    () => {
      const protectedTypes = recorder.resources
        .filter((r) => r.protect)
        .map((r) => r.type)
        .sort();
      expect(protectedTypes).toEqual(
        variant.protect
          ? [AWS.table, AWS.secret, AWS.bucket, TWILIO.service, TWILIO.pool, TWILIO.sender].sort()
          : [],
      );
    },
  );

  test("the outputs name the function, the table and the console page", async () => {
    expect(await valueOf(program.functionName)).toBe(prefix);
    if (variant.dryRun) {
      expect(await isKnown(program.tableName)).toBe(false);
      return;
    }
    expect(await valueOf(program.tableName)).toBe(recorder.one(AWS.table).state.name);
    expect(await valueOf(program.consoleUrl)).toMatch(
      new RegExp(
        `^https://[a-z0-9-]+\\.console\\.aws\\.amazon\\.com/lambda/.*#/functions/${prefix}$`,
      ),
    );
  });
});

describe("the program in queued mode", () => {
  const recorder = new PulumiRecorder();

  beforeAll(async () => {
    const program = await loadProgram(recorder, () => import("../../infra/index"), {
      stack: "dev",
      config: { ...DEV_CONFIG, "whatsapp-bot:replyMode": "queued" },
      secretKeys: SECRET_KEYS,
    });
    await Promise.all(
      Object.values(program).map((output: unknown) =>
        pulumi.Output.isInstance(output) ? valueOf(output) : Promise.resolve(output),
      ),
    );
  }, 120_000);

  // Two archives: a worker change leaves the webhook's code untouched, and the reverse.
  test("the webhook and the worker each upload their own bundle folder and run its export", async () => {
    const dist = path.join(__dirname, "..", "..", "dist");
    const code = async (fn: RecordedResource) => ({
      handler: fn.inputs.handler,
      path: await (fn.inputs.code as { path: Promise<string> }).path,
    });
    expect(await code(recorder.named(AWS.fn, "whatsapp-bot-dev-fn"))).toEqual({
      handler: "index.handler",
      path: path.join(dist, "lambda"),
    });
    expect(await code(recorder.named(AWS.fn, "whatsapp-bot-dev-replies-worker"))).toEqual({
      handler: "index.worker",
      path: path.join(dist, "worker"),
    });
  });
});

describe("the program with bad config", () => {
  const recorder = new PulumiRecorder();

  test.each<[string, Record<string, string>, string[], string]>([
    [
      "a plaintext auth token",
      { "whatsapp-bot:environment": "dev", "twilio:authToken": AUTH_TOKEN },
      [],
      "twilio:authToken: is stored in plaintext; it must be secret config. Fix: pulumi config set --secret twilio:authToken",
    ],
    [
      "a review stack taking a sender",
      {
        "whatsapp-bot:environment": "review",
        "whatsapp-bot:sender": JSON.stringify({ mode: "adopt", number: "+15005550006" }),
        "twilio:authToken": AUTH_TOKEN,
      },
      ["twilio:authToken"],
      "whatsapp-bot:sender.mode: review stacks run without a sender. Fix: pulumi config set --path 'whatsapp-bot:sender.mode' none",
    ],
  ])(
    "fails on %s with the documented message before any resource is registered",
    async (_, config, secretKeys, message) => {
      const stack = config["whatsapp-bot:environment"] === "review" ? "pr-5" : "dev";
      const run = loadProgram(recorder, () => import("../../infra/index"), {
        stack,
        config,
        secretKeys,
      });
      // The program's ConfigError class comes from its own module registry, so match by name.
      await expect(run).rejects.toMatchObject({ name: "ConfigError" });
      await expect(run).rejects.toThrow(message);
      expect(recorder.resources).toEqual([]);
    },
  );
});

import { expect } from "@jest/globals";
import { isDeepStrictEqual } from "util";
import {
  MOCK_ACCOUNT,
  MOCK_REGION,
  PulumiRecorder,
  type RecordedResource,
  awsTypeIsTaggable,
  isWireSecret,
  loadProgram,
  plaintextOccurrences,
  valueOf,
} from "../helpers/pulumiMocks";
import type { BotBackend, BotBackendArgs } from "../../infra/botBackend";
import { BACKEND_ARGS, OUTBOUND_SECRET_ARN } from "../helpers/backendArgs";

const TOKEN = "0123456789abcdef0123456789abcdef";
const NAME = "whatsapp-bot-unit";
const TAGS = { project: "whatsapp-bot", stack: "unit", environment: "dev", team: "bots" };

type PlainArgs = Omit<BotBackendArgs, "authToken">;
const BASE_ARGS: PlainArgs = { ...BACKEND_ARGS, tags: TAGS };

/** Builds the component alone under the mocks, with the auth token as a secret Output. */
async function build(
  recorder: PulumiRecorder,
  overrides: Partial<PlainArgs> = {},
): Promise<BotBackend> {
  const bot = await loadProgram(
    recorder,
    async () => {
      const pulumi = await import("@pulumi/pulumi");
      const { BotBackend } = await import("../../infra/botBackend");
      return new BotBackend(NAME, {
        ...BASE_ARGS,
        ...overrides,
        authToken: pulumi.secret(TOKEN),
      });
    },
    { stack: "unit", config: {}, secretKeys: [] },
  );
  // The serializer must not outlive the test: wait for the outputs everything else hangs off.
  await Promise.all([valueOf(bot.consoleUrl), valueOf(bot.webhookUrls.status)]);
  return bot;
}

/** One IAM policy statement, as the tests read it. */
interface Statement {
  Effect: string;
  Action: string[];
  Resource: string[];
}

function parsePolicy(resource: RecordedResource, field: string): { Statement: Statement[] } {
  return JSON.parse(resource.inputs[field] as string) as { Statement: Statement[] };
}

describe("BotBackend component", () => {
  const recorder = new PulumiRecorder();
  let bot: BotBackend;

  beforeAll(async () => {
    bot = await build(recorder);
  });

  test("the function runs the bundle folder on Node.js 22 arm64 with the configured size", async () => {
    const fn = recorder.one("aws:lambda/function:Function").inputs;
    expect(fn.name).toBe(NAME);
    expect(fn.runtime).toBe("nodejs24.x");
    expect(fn.architectures).toEqual(["arm64"]);
    expect(fn.handler).toBe("index.handler");
    expect(fn.memorySize).toBe(512);
    expect(fn.timeout).toBe(12);
    expect(await (fn.code as { path: Promise<string> }).path).toBe("/srv/bundle");
  });

  test("the Lambda environment is exactly the contract's variables, pointing at this stack's resources", async () => {
    const fn = recorder.one("aws:lambda/function:Function").inputs;
    const table = recorder.one("aws:dynamodb/table:Table").state;
    const secret = recorder.one("aws:secretsmanager/secret:Secret").state;
    const version = recorder.one("aws:secretsmanager/secretVersion:SecretVersion").state;
    const api = recorder.one("aws:apigatewayv2/api:Api").state;
    expect(version.versionId).toEqual(expect.any(String));
    expect((fn.environment as { variables: unknown }).variables).toEqual({
      TABLE_NAME: table.name,
      AUTH_TOKEN_SECRET_ARN: secret.arn,
      AUTH_TOKEN_SECRET_VERSION_ID: version.versionId,
      PUBLIC_BASE_URL: api.apiEndpoint,
      BOT_LANGUAGE: "en",
      LOG_LEVEL: "debug",
    });
    expect(api.apiEndpoint).toMatch(
      /^https:\/\/[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/,
    );
  });

  test("the auth token reaches only the secret version, and only marked secret", () => {
    const version = recorder.one("aws:secretsmanager/secretVersion:SecretVersion").inputs;
    expect(isWireSecret(version.secretString)).toBe(true);
    expect((version.secretString as { value: string }).value).toBe(TOKEN);
    for (const resource of recorder.resources) {
      expect({ name: resource.name, at: plaintextOccurrences(resource.inputs, TOKEN) }).toEqual({
        name: resource.name,
        at: [],
      });
    }
  });

  test("only the Lambda service may assume the role", () => {
    const trust = parsePolicy(recorder.one("aws:iam/role:Role"), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } },
    ]);
  });

  test("the role's only policy grants the listed actions on its own table, secret and log group", () => {
    expect(recorder.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
    const role = recorder.one("aws:iam/role:Role").inputs;
    expect(role.managedPolicyArns).toBeUndefined();
    expect(role.inlinePolicies).toBeUndefined();
    const policy = recorder.one("aws:iam/rolePolicy:RolePolicy");
    expect(policy.inputs.role).toBe(`${NAME}-role-id`);
    const table = recorder.one("aws:dynamodb/table:Table").state;
    const secret = recorder.one("aws:secretsmanager/secret:Secret").state;
    const logGroup = recorder.named("aws:cloudwatch/logGroup:LogGroup", `${NAME}-logs`).state;
    const grants = parsePolicy(policy, "policy").Statement.map((s) => ({
      Effect: s.Effect,
      Action: s.Action,
      Resource: s.Resource,
    }));
    expect(grants).toEqual([
      {
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        Resource: [table.arn],
      },
      { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secret.arn] },
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:log-group:/aws/lambda/${NAME}:*`],
      },
    ]);
    expect(logGroup.arn).toBe(
      `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:log-group:/aws/lambda/${NAME}`,
    );
  });

  test("the function waits for its log group, its permissions and its token", () => {
    const waitsFor = recorder.one("aws:lambda/function:Function").dependencies;
    for (const [type, name] of [
      ["aws:cloudwatch/logGroup:LogGroup", `${NAME}-logs`],
      ["aws:iam/rolePolicy:RolePolicy", `${NAME}-policy`],
      ["aws:secretsmanager/secretVersion:SecretVersion", `${NAME}-auth-token`],
    ]) {
      expect(waitsFor).toContainEqual(expect.stringMatching(new RegExp(`\\$${type}::${name}$`)));
    }
  });

  test("the log group is the function's own, with the configured retention, and is used by it", () => {
    const logGroup = recorder.named("aws:cloudwatch/logGroup:LogGroup", `${NAME}-logs`).inputs;
    expect(logGroup.name).toBe(`/aws/lambda/${NAME}`);
    expect(logGroup.retentionInDays).toBe(30);
    const fn = recorder.one("aws:lambda/function:Function").inputs;
    expect((fn.loggingConfig as { logGroup: string }).logGroup).toBe(`/aws/lambda/${NAME}`);
  });

  test("the HTTP API sends three POST routes to one payload 2.0 Lambda proxy integration", () => {
    const api = recorder.one("aws:apigatewayv2/api:Api");
    expect(api.inputs.protocolType).toBe("HTTP");
    const integration = recorder.one("aws:apigatewayv2/integration:Integration").inputs;
    const fn = recorder.one("aws:lambda/function:Function").state;
    expect(integration).toMatchObject({
      apiId: api.state.id ?? expect.any(String),
      integrationType: "AWS_PROXY",
      integrationUri: fn.arn,
      payloadFormatVersion: "2.0",
    });
    const routes = recorder.ofType("aws:apigatewayv2/route:Route").map((r) => r.inputs);
    expect(routes.map((r) => r.routeKey).sort()).toEqual([
      "POST /whatsapp/fallback",
      "POST /whatsapp/incoming",
      "POST /whatsapp/status",
    ]);
    for (const route of routes) {
      expect(route.apiId).toBe(integration.apiId);
      expect(route.target).toBe(`integrations/${NAME}-lambda-id`);
    }
  });

  test("the $default stage deploys automatically with the configured throttling", () => {
    const stage = recorder.one("aws:apigatewayv2/stage:Stage").inputs;
    expect(stage).toMatchObject({
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 7, throttlingBurstLimit: 9 },
    });
  });

  test("API Gateway may invoke the function only from this API, for each route's POST", () => {
    const api = recorder.one("aws:apigatewayv2/api:Api").state;
    const permissions = recorder.ofType("aws:lambda/permission:Permission").map((p) => p.inputs);
    expect(permissions.map((p) => p.sourceArn).sort()).toEqual(
      ["fallback", "incoming", "status"].map(
        (r) => `${api.executionArn as string}/*/POST/whatsapp/${r}`,
      ),
    );
    for (const permission of permissions) {
      expect(permission).toMatchObject({
        action: "lambda:InvokeFunction",
        function: NAME,
        principal: "apigateway.amazonaws.com",
      });
    }
  });

  test("the table is on-demand, keyed by pk, expires records by expiresAt, with PITR as configured", () => {
    const table = recorder.one("aws:dynamodb/table:Table").inputs;
    expect(table).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      attributes: [{ name: "pk", type: "S" }],
      ttl: { attributeName: "expiresAt", enabled: true },
      pointInTimeRecovery: { enabled: true },
    });
    expect(table.rangeKey).toBeUndefined();
  });

  test("the webhook URLs are the API endpoint plus each route, over https", async () => {
    const endpoint = recorder.one("aws:apigatewayv2/api:Api").state.apiEndpoint as string;
    expect(await valueOf(bot.apiEndpoint)).toBe(endpoint);
    expect(await valueOf(bot.webhookUrls.incoming)).toBe(`${endpoint}/whatsapp/incoming`);
    expect(await valueOf(bot.webhookUrls.fallback)).toBe(`${endpoint}/whatsapp/fallback`);
    expect(await valueOf(bot.webhookUrls.status)).toBe(`${endpoint}/whatsapp/status`);
  });

  test("the console link opens the function in its region", async () => {
    expect(await valueOf(bot.consoleUrl)).toBe(
      `https://${MOCK_REGION}.console.aws.amazon.com/lambda/home?region=${MOCK_REGION}#/functions/${NAME}`,
    );
  });

  test("the stage writes a JSON access log without bodies to its own log group, kept as long as the function's", () => {
    const group = recorder.named("aws:cloudwatch/logGroup:LogGroup", `${NAME}-api-access`);
    expect(group.inputs).toMatchObject({
      name: `/aws/apigateway/${NAME}/access`,
      retentionInDays: 30,
      tags: TAGS,
    });
    const settings = recorder.one("aws:apigatewayv2/stage:Stage").inputs.accessLogSettings as {
      destinationArn: string;
      format: string;
    };
    expect(settings.destinationArn).toBe(group.state.arn);
    // Substituting every variable with a sample value must leave one valid JSON object per line.
    const line = settings.format.replace(/\$context\.[A-Za-z.]+/g, "x");
    expect(line).not.toContain("\n");
    const fields = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining([
        "requestId",
        "routeKey",
        "status",
        "responseType",
        "integrationError",
      ]),
    );
    // Request metadata only: the message text and phone numbers are in the body, never logged here.
    expect(settings.format).not.toMatch(/requestBody|\$input|querystring|rawQueryString/i);
    expect(settings.format).toContain('"status":"$context.status"');
  });

  test("alarms watch Lambda errors and throttles, API 5xx, and API 4xx past the threshold, with no topic when no e-mail is set", () => {
    const alarms = recorder.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => a.inputs);
    const summary = (a: Record<string, unknown>) =>
      [a.namespace, a.metricName, ">=", a.threshold].map(String).join(" ");
    expect(alarms.map(summary).sort()).toEqual([
      "AWS/ApiGateway 4xx >= 12",
      "AWS/ApiGateway 5xx >= 1",
      "AWS/Lambda Errors >= 1",
      "AWS/Lambda Throttles >= 1",
    ]);
    const api = recorder.one("aws:apigatewayv2/api:Api").state;
    const fourXx = alarms.find((a) => a.metricName === "4xx");
    expect(fourXx).toMatchObject({
      dimensions: { ApiId: api.id ?? expect.any(String), Stage: "$default" },
      statistic: "Sum",
      period: 300,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    });
    expect(fourXx?.alarmDescription).toMatch(/403.*twilio:authToken.*429.*throttle/s);
    for (const alarm of alarms) expect(alarm.alarmActions).toEqual([]);
    expect(recorder.ofType("aws:sns/topic:Topic")).toEqual([]);
    expect(bot.alarmTopicArn).toBeUndefined();
  });

  test("every AWS resource that accepts tags carries the given tags", () => {
    const aws = recorder.resources.filter((r) => r.type.startsWith("aws:"));
    const untagged = aws
      .filter((r) => awsTypeIsTaggable(r.type))
      .filter((r) => !isDeepStrictEqual(r.inputs.tags, TAGS))
      .map((r) => r.name);
    expect(untagged).toEqual([]);
    // Guards the check itself: most of what the component creates is taggable.
    expect(aws.filter((r) => awsTypeIsTaggable(r.type)).length).toBeGreaterThanOrEqual(8);
  });

  test("nothing is protected when protect is false, and secrets can be destroyed at once", () => {
    expect(recorder.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
    expect(recorder.one("aws:secretsmanager/secret:Secret").inputs.recoveryWindowInDays).toBe(0);
    expect(recorder.one("aws:dynamodb/table:Table").inputs.deletionProtectionEnabled).toBe(false);
  });
});

describe("BotBackend renamed from WhatsAppBot", () => {
  const recorder = new PulumiRecorder();

  beforeAll(async () => {
    await build(recorder, {});
  });

  test("registers under its new type with the former type as an alias, so no URN changes", async () => {
    const { BOT_BACKEND_TYPE, FORMER_BOT_BACKEND_TYPE } = await import("../../infra/botBackend");
    const component = recorder.one(BOT_BACKEND_TYPE);
    expect(component.name).toBe(NAME);
    expect(component.aliasTypes).toEqual([FORMER_BOT_BACKEND_TYPE]);
    expect(FORMER_BOT_BACKEND_TYPE).toBe("whatsapp-bot:index:WhatsAppBot");
  });

  test("its children keep their names, so the engine maps them through the parent's alias", () => {
    const children = recorder.resources.filter((r) => r.custom);
    expect(children.length).toBeGreaterThan(10);
    for (const child of children) {
      if (child.parent.includes("::whatsapp-bot:index:BotBackend")) {
        expect(child.name.startsWith(NAME)).toBe(true);
      }
    }
  });
});

describe("BotBackend component with protection and alarm e-mail", () => {
  const recorder = new PulumiRecorder();
  let bot: BotBackend;

  beforeAll(async () => {
    bot = await build(recorder, { protect: true, alarmEmail: "ops@example.com" });
    await valueOf(bot.alarmTopicArn);
  });

  test("only the table and the secret are protected, and both keep their own safeguards", () => {
    expect(
      recorder.resources
        .filter((r) => r.protect)
        .map((r) => r.type)
        .sort(),
    ).toEqual(["aws:dynamodb/table:Table", "aws:secretsmanager/secret:Secret"]);
    expect(recorder.one("aws:dynamodb/table:Table").inputs.deletionProtectionEnabled).toBe(true);
    expect(recorder.one("aws:secretsmanager/secret:Secret").inputs.recoveryWindowInDays).toBe(30);
  });

  test("alarms notify an SNS topic that e-mails the configured address", async () => {
    const topic = recorder.one("aws:sns/topic:Topic").state;
    expect(await valueOf(bot.alarmTopicArn)).toBe(topic.arn);
    expect(recorder.one("aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({
      topic: topic.arn,
      protocol: "email",
      endpoint: "ops@example.com",
    });
    const alarms = recorder.ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(4);
    for (const alarm of alarms) expect(alarm.inputs.alarmActions).toEqual([topic.arn]);
  });
});

describe("BotBackend component with a spending alerts topic", () => {
  const recorder = new PulumiRecorder();
  const TOPIC = `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT}:whatsapp-bot-unit-spending`;

  beforeAll(async () => {
    await build(recorder, { alertTopicArn: TOPIC });
  });

  test("the Lambda gets ALERT_TOPIC_ARN and may publish to that topic only", () => {
    const fn = recorder.one("aws:lambda/function:Function").inputs;
    expect(
      (fn.environment as { variables: Record<string, unknown> }).variables.ALERT_TOPIC_ARN,
    ).toBe(TOPIC);
    const statements = parsePolicy(
      recorder.one("aws:iam/rolePolicy:RolePolicy"),
      "policy",
    ).Statement;
    const sns = statements.filter((s) => s.Action.some((a) => a.startsWith("sns:")));
    expect(sns.map((s) => ({ Action: s.Action, Resource: s.Resource }))).toEqual([
      { Action: ["sns:Publish"], Resource: [TOPIC] },
    ]);
  });

  test("the API also serves POST /twilio/usage, and only this API may invoke it", () => {
    const routes = recorder.ofType("aws:apigatewayv2/route:Route").map((r) => r.inputs.routeKey);
    expect(routes).toContain("POST /twilio/usage");
    const api = recorder.one("aws:apigatewayv2/api:Api").state;
    const sourceArns = recorder
      .ofType("aws:lambda/permission:Permission")
      .map((p) => p.inputs.sourceArn);
    expect(sourceArns).toContain(`${api.executionArn as string}/*/POST/twilio/usage`);
    expect(sourceArns).toHaveLength(4);
  });
});

describe("BotBackend component with a media bucket", () => {
  const recorder = new PulumiRecorder();
  const BUCKET = "whatsapp-bot-unit-media-abc1234";
  const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;

  beforeAll(async () => {
    await build(recorder, {
      media: {
        bucketName: BUCKET,
        bucketArn: BUCKET_ARN,
        maxBytes: 5_242_880,
        allowedTypes: ["image/*", "application/pdf"],
        deleteFromTwilio: true,
      },
    });
  });

  test("the Lambda gets the bucket and the limits as lambda/media/settings.ts reads them", async () => {
    const { readMediaSettings } = await import("../../lambda/media/settings");
    const fn = recorder.one("aws:lambda/function:Function").inputs;
    const env = (fn.environment as { variables: Record<string, string> }).variables;
    expect(readMediaSettings(env)).toEqual({
      bucket: BUCKET,
      limits: { maxBytes: 5_242_880, allowedTypes: ["image/*", "application/pdf"] },
      deleteFromTwilio: true,
    });
  });

  test("the role may put objects in that bucket and do nothing else with it", () => {
    const statements = parsePolicy(
      recorder.one("aws:iam/rolePolicy:RolePolicy"),
      "policy",
    ).Statement;
    const s3 = statements.filter((s) => s.Action.some((a) => a.startsWith("s3:")));
    expect(s3.map((s) => ({ Effect: s.Effect, Action: s.Action, Resource: s.Resource }))).toEqual([
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${BUCKET_ARN}/*`] },
    ]);
  });
});

describe("BotBackend component in inline mode with the send path's secret", () => {
  const recorder = new PulumiRecorder();
  const OUTBOUND = OUTBOUND_SECRET_ARN;

  beforeAll(async () => {
    await build(recorder, { outboundSecretArn: OUTBOUND });
  });

  test("the webhook, which never sends, gets neither OUTBOUND_SECRET_ARN nor a grant on that secret", () => {
    const fn = recorder.one("aws:lambda/function:Function").inputs;
    const variables = (fn.environment as { variables: Record<string, unknown> }).variables;
    expect(variables).not.toHaveProperty("OUTBOUND_SECRET_ARN");
    const statements = parsePolicy(
      recorder.one("aws:iam/rolePolicy:RolePolicy"),
      "policy",
    ).Statement;
    const reads = statements.filter((s) => s.Action.includes("secretsmanager:GetSecretValue"));
    const authToken = recorder.one("aws:secretsmanager/secret:Secret").state.arn;
    expect(reads.map((s) => s.Resource)).toEqual([[authToken]]);
  });
});

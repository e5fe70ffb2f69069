import { expect } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { isDeepStrictEqual } from "util";
import {
  MOCK_ACCOUNT,
  MOCK_REGION,
  PulumiRecorder,
  type RecordedResource,
  awsTypeIsTaggable,
  loadProgram,
  valueOf,
} from "../helpers/pulumiMocks";
import type { BotBackend, BotBackendArgs } from "../../infra/botBackend";
import { BACKEND_ARGS, BACKEND_NAME, OUTBOUND_SECRET_ARN } from "../helpers/backendArgs";

const NAME = BACKEND_NAME;
const TAGS = BACKEND_ARGS.tags;
const ARGS: Omit<BotBackendArgs, "authToken"> = {
  ...BACKEND_ARGS,
  protect: true,
  alarmEmail: "ops@example.com",
  replyMode: "queued",
  workerTimeoutSeconds: 90,
};

const T = {
  queue: "aws:sqs/queue:Queue",
  fn: "aws:lambda/function:Function",
  policy: "aws:iam/rolePolicy:RolePolicy",
  role: "aws:iam/role:Role",
  mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};

async function build(recorder: PulumiRecorder, overrides: Partial<BotBackendArgs> = {}) {
  const bot = await loadProgram(
    recorder,
    async () => {
      const { BotBackend } = await import("../../infra/botBackend");
      return new BotBackend(NAME, {
        ...ARGS,
        ...overrides,
        authToken: pulumi.secret("0123456789abcdef0123456789abcdef"),
      });
    },
    { stack: "unit", config: {}, secretKeys: [] },
  );
  await Promise.all([valueOf(bot.consoleUrl), valueOf(bot.alarmTopicArn)]);
  return bot;
}

function statements(policy: RecordedResource) {
  return (
    JSON.parse(policy.inputs.policy as string) as {
      Statement: { Effect: string; Action: string[]; Resource: string[] }[];
    }
  ).Statement.map(({ Effect, Action, Resource }) => ({ Effect, Action, Resource }));
}

describe("BotBackend in queued reply mode", () => {
  const recorder = new PulumiRecorder();
  let bot: BotBackend;
  const queue = () => recorder.named(T.queue, `${NAME}-replies-queue`);
  const dlq = () => recorder.named(T.queue, `${NAME}-replies-dlq`);
  const worker = () => recorder.named(T.fn, `${NAME}-replies-worker`);

  beforeAll(async () => {
    bot = await build(recorder);
  });

  test("the reply queue is FIFO with SSE, content-based deduplication off (the webhook sends the MessageSid), and sends failures to a FIFO DLQ after 5 tries", () => {
    expect(queue().inputs).toMatchObject({
      fifoQueue: true,
      contentBasedDeduplication: false,
      sqsManagedSseEnabled: true,
      // Six times the worker's 90 s timeout, as AWS asks.
      visibilityTimeoutSeconds: 540,
      messageRetentionSeconds: 86400,
    });
    expect(JSON.parse(queue().inputs.redrivePolicy as string)).toEqual({
      deadLetterTargetArn: dlq().state.arn,
      maxReceiveCount: 5,
    });
    expect(dlq().inputs).toMatchObject({
      fifoQueue: true,
      contentBasedDeduplication: false,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 14 * 86400,
    });
    expect(queue().state.name).toMatch(/\.fifo$/);
    expect(dlq().state.name).toMatch(/\.fifo$/);
  });

  test("the webhook gets REPLY_QUEUE_URL and may only SendMessage to that queue", () => {
    const webhook = recorder.named(T.fn, `${NAME}-fn`).inputs;
    const env = (webhook.environment as { variables: Record<string, unknown> }).variables;
    expect(env.REPLY_QUEUE_URL).toBe(queue().state.url);
    const sqs = statements(recorder.named(T.policy, `${NAME}-policy`)).filter((s) =>
      s.Action.some((a) => a.startsWith("sqs:")),
    );
    expect(sqs).toEqual([
      { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue().state.arn] },
    ]);
  });

  test("the worker runs its own bundle's `worker` export with its own timeout, log group and environment", async () => {
    const fn = worker().inputs;
    const table = recorder.one("aws:dynamodb/table:Table").state;
    expect(fn).toMatchObject({
      name: `${NAME}-replies-worker`,
      handler: "index.worker",
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      memorySize: 512,
      timeout: 90,
      loggingConfig: { logFormat: "Text", logGroup: `/aws/lambda/${NAME}-replies-worker` },
    });
    expect(await (fn.code as { path: Promise<string> }).path).toBe("/srv/worker");
    // The webhook keeps its own archive, so a worker change does not redeploy it.
    const webhook = recorder.named(T.fn, `${NAME}-fn`).inputs;
    expect(await (webhook.code as { path: Promise<string> }).path).toBe("/srv/bundle");
    const api = recorder.one("aws:apigatewayv2/api:Api").state;
    expect((fn.environment as { variables: unknown }).variables).toEqual({
      TABLE_NAME: table.name,
      PUBLIC_BASE_URL: api.apiEndpoint,
      BOT_LANGUAGE: "en",
      LOG_LEVEL: "debug",
    });
    expect(worker().dependencies).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`::${NAME}-replies-worker-logs`),
        expect.stringContaining(`::${NAME}-replies-worker-policy`),
      ]),
    );
  });

  test("the worker's own role may poll its queue, read and update the table and write its logs, nothing more", () => {
    const policy = recorder.named(T.policy, `${NAME}-replies-worker-policy`);
    expect(policy.inputs.role).toBe(`${NAME}-replies-worker-role-id`);
    const table = recorder.one("aws:dynamodb/table:Table").state;
    expect(statements(policy)).toEqual([
      {
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: [queue().state.arn],
      },
      {
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        Resource: [table.arn],
      },
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [
          `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:log-group:/aws/lambda/${NAME}-replies-worker:*`,
        ],
      },
    ]);
    const trust = JSON.parse(
      recorder.named(T.role, `${NAME}-replies-worker-role`).inputs.assumeRolePolicy as string,
    ) as unknown;
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "lambda.amazonaws.com" },
        },
      ],
    });
  });

  test("an event source mapping feeds the worker one job at a time and takes partial batch failures", () => {
    const mapping = recorder.one(T.mapping);
    expect(mapping.inputs).toMatchObject({
      eventSourceArn: queue().state.arn,
      functionName: worker().state.arn,
      batchSize: 1,
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
    expect(mapping.dependencies).toContainEqual(
      expect.stringContaining(`::${NAME}-replies-worker-policy`),
    );
  });

  test("an alarm on the dead-letter queue's visible messages notifies the stack's alarm topic", async () => {
    const alarm = recorder.named(T.alarm, `${NAME}-alarms-reply-dlq`).inputs;
    const topic = await valueOf(bot.alarmTopicArn);
    expect(alarm).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: dlq().state.name },
      statistic: "Maximum",
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topic],
      okActions: [topic],
    });
    expect(recorder.ofType(T.alarm)).toHaveLength(5);
  });

  test("nothing of the queued mode is protected, so review and staging stacks destroy cleanly", () => {
    expect(
      recorder.resources
        .filter((r) => r.protect)
        .map((r) => r.type)
        .sort(),
    ).toEqual(["aws:dynamodb/table:Table", "aws:secretsmanager/secret:Secret"]);
  });

  test("every taggable resource of the queued mode carries the stack's tags", () => {
    const mine = recorder.resources.filter(
      (r) => r.type.startsWith("aws:") && r.name.startsWith(`${NAME}-replies`),
    );
    expect(mine.map((r) => r.type).sort()).toEqual([
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:lambda/eventSourceMapping:EventSourceMapping",
      "aws:lambda/function:Function",
      "aws:sqs/queue:Queue",
      "aws:sqs/queue:Queue",
    ]);
    const untagged = mine
      .filter((r) => awsTypeIsTaggable(r.type))
      .filter((r) => !isDeepStrictEqual(r.inputs.tags, TAGS))
      .map((r) => r.name);
    expect(untagged).toEqual([]);
  });
});

describe("BotBackend in queued reply mode with a hand-off topic", () => {
  const recorder = new PulumiRecorder();
  const TOPIC = `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT}:whatsapp-bot-unit-handoff`;

  beforeAll(async () => {
    await build(recorder, { handoffTopicArn: TOPIC, handoffTimeoutMinutes: 30 });
  });

  test("the worker, which runs the turn, gets the hand-off settings and may publish to that topic only", () => {
    const worker = recorder.named(T.fn, `${NAME}-replies-worker`).inputs;
    const webhook = recorder.named(T.fn, `${NAME}-fn`).inputs;
    const env = (f: Record<string, unknown>) =>
      (f.environment as { variables: Record<string, unknown> }).variables;
    expect(env(worker)).toMatchObject({ HANDOFF_TOPIC_ARN: TOPIC, HANDOFF_TIMEOUT_MINUTES: "30" });
    expect(env(webhook)).toMatchObject({ HANDOFF_TOPIC_ARN: TOPIC, HANDOFF_TIMEOUT_MINUTES: "30" });
    const sns = statements(recorder.named(T.policy, `${NAME}-replies-worker-policy`)).filter((s) =>
      s.Action.some((a) => a.startsWith("sns:")),
    );
    expect(sns).toEqual([{ Effect: "Allow", Action: ["sns:Publish"], Resource: [TOPIC] }]);
  });
});

describe("BotBackend in queued reply mode with the send path's secret", () => {
  const recorder = new PulumiRecorder();
  const OUTBOUND = OUTBOUND_SECRET_ARN;

  beforeAll(async () => {
    await build(recorder, { outboundSecretArn: OUTBOUND });
  });

  test("the worker, which sends, gets OUTBOUND_SECRET_ARN (the ARN only) and may read that secret alone; the webhook neither", () => {
    const env = (name: string) =>
      (recorder.named(T.fn, name).inputs.environment as { variables: Record<string, unknown> })
        .variables;
    expect(env(`${NAME}-replies-worker`).OUTBOUND_SECRET_ARN).toBe(OUTBOUND);
    expect(env(`${NAME}-fn`)).not.toHaveProperty("OUTBOUND_SECRET_ARN");
    const reads = (policy: string) =>
      statements(recorder.named(T.policy, policy)).filter((s) =>
        s.Action.some((a) => a.startsWith("secretsmanager:")),
      );
    expect(reads(`${NAME}-replies-worker-policy`)).toEqual([
      { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [OUTBOUND] },
    ]);
    const authToken = recorder.one("aws:secretsmanager/secret:Secret").state.arn;
    expect(reads(`${NAME}-policy`).map((s) => s.Resource)).toEqual([[authToken]]);
  });
});

describe("BotBackend in queued reply mode with a media bucket", () => {
  const recorder = new PulumiRecorder();
  const BUCKET = "whatsapp-bot-unit-media-abc1234";
  const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
  const MEDIA_ENV = {
    MEDIA_BUCKET: BUCKET,
    MEDIA_MAX_BYTES: "5242880",
    MEDIA_ALLOWED_TYPES: "image/*,application/pdf",
    DELETE_TWILIO_MEDIA: "true",
  };

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

  const env = (f: Record<string, unknown>) =>
    (f.environment as { variables: Record<string, unknown> }).variables;

  test("the worker, which copies the media in this mode, gets the media settings as lambda/media/settings.ts reads them", async () => {
    const { readMediaSettings } = await import("../../lambda/media/settings");
    const workerEnv = env(recorder.named(T.fn, `${NAME}-replies-worker`).inputs);
    expect(workerEnv).toMatchObject(MEDIA_ENV);
    expect(readMediaSettings(workerEnv as Record<string, string>)).toEqual({
      bucket: BUCKET,
      limits: { maxBytes: 5_242_880, allowedTypes: ["image/*", "application/pdf"] },
      deleteFromTwilio: true,
    });
  });

  test("the worker's policy adds exactly a put on the bucket's objects", () => {
    const queueArn = recorder.named(T.queue, `${NAME}-replies-queue`).state.arn;
    const table = recorder.one("aws:dynamodb/table:Table").state;
    const policy = JSON.parse(
      recorder.named(T.policy, `${NAME}-replies-worker-policy`).inputs.policy as string,
    ) as unknown;
    expect(policy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReplyQueue",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
          Resource: [queueArn],
        },
        {
          Sid: "BotTable",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
          Resource: [table.arn],
        },
        {
          Sid: "MediaBucketPut",
          Effect: "Allow",
          Action: ["s3:PutObject"],
          Resource: [`${BUCKET_ARN}/*`],
        },
        {
          Sid: "OwnLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [
            `arn:aws:logs:${MOCK_REGION}:${MOCK_ACCOUNT}:log-group:/aws/lambda/${NAME}-replies-worker:*`,
          ],
        },
      ],
    });
  });

  test("the webhook keeps its media settings and its own put grant, as in inline mode", () => {
    expect(env(recorder.named(T.fn, `${NAME}-fn`).inputs)).toMatchObject(MEDIA_ENV);
    const s3 = statements(recorder.named(T.policy, `${NAME}-policy`)).filter((s) =>
      s.Action.some((a) => a.startsWith("s3:")),
    );
    expect(s3).toEqual([
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${BUCKET_ARN}/*`] },
    ]);
  });
});

describe("BotBackend in inline reply mode (the default)", () => {
  const recorder = new PulumiRecorder();

  beforeAll(async () => {
    await build(recorder, { replyMode: undefined });
  });

  test("creates no queue, no worker and no queue grant, and the webhook has no REPLY_QUEUE_URL", () => {
    expect(recorder.ofType(T.queue)).toEqual([]);
    expect(recorder.ofType(T.mapping)).toEqual([]);
    expect(recorder.ofType(T.fn)).toHaveLength(1);
    const env = (recorder.one(T.fn).inputs.environment as { variables: Record<string, unknown> })
      .variables;
    expect(env).not.toHaveProperty("REPLY_QUEUE_URL");
    expect(
      statements(recorder.one(T.policy)).some((s) => s.Action.some((a) => a.startsWith("sqs:"))),
    ).toBe(false);
  });
});

describe("the program with whatsapp-bot:replyMode queued", () => {
  const recorder = new PulumiRecorder();

  beforeAll(async () => {
    const program = await loadProgram(recorder, () => import("../../infra/index"), {
      stack: "dev",
      config: {
        "whatsapp-bot:environment": "dev",
        "whatsapp-bot:replyMode": "queued",
        "whatsapp-bot:workerTimeoutSeconds": "45",
        "twilio:authToken": "fedcba9876543210fedcba9876543210",
      },
      secretKeys: ["twilio:authToken"],
    });
    await Promise.all(
      Object.values(program).map((output: unknown) =>
        pulumi.Output.isInstance(output) ? valueOf(output) : Promise.resolve(output),
      ),
    );
  }, 60_000);

  test("the worker reads the send path's secret, and depends on neither its version, the key nor the Messaging Service (no cycle)", () => {
    const worker = recorder.named(T.fn, "whatsapp-bot-dev-replies-worker");
    const secret = recorder.named(
      "aws:secretsmanager/secret:Secret",
      "whatsapp-bot-dev-send-credentials",
    );
    expect(
      (worker.inputs.environment as { variables: Record<string, unknown> }).variables
        .OUTBOUND_SECRET_ARN,
    ).toBe(secret.state.arn);
    const waitsFor = (suffix: string) => worker.dependencies.some((urn) => urn.endsWith(suffix));
    expect(waitsFor("aws:secretsmanager/secret:Secret::whatsapp-bot-dev-send-credentials")).toBe(
      true,
    );
    for (const suffix of [
      "aws:secretsmanager/secretVersion:SecretVersion::whatsapp-bot-dev-send-credentials",
      "twilio:ApiKey::whatsapp-bot-dev-send-key",
      "twilio:MessagingService::whatsapp-bot-dev-service",
    ])
      expect([suffix, waitsFor(suffix)]).toEqual([suffix, false]);
  });

  test("builds the queue and the worker from the stack config", () => {
    expect(recorder.named(T.fn, "whatsapp-bot-dev-replies-worker").inputs.timeout).toBe(45);
    expect(
      recorder.named(T.queue, "whatsapp-bot-dev-replies-queue").inputs.visibilityTimeoutSeconds,
    ).toBe(270);
  });

  test("gives the worker the stack's media bucket, limits and put grant, and the webhook the same", () => {
    const worker = recorder.named(T.fn, "whatsapp-bot-dev-replies-worker").inputs;
    const webhook = recorder.named(T.fn, "whatsapp-bot-dev-fn").inputs;
    const vars = (f: Record<string, unknown>) =>
      (f.environment as { variables: Record<string, string> }).variables;
    const bucket = recorder.one("aws:s3/bucket:Bucket").state;
    const media = ["MEDIA_BUCKET", "MEDIA_MAX_BYTES", "MEDIA_ALLOWED_TYPES", "DELETE_TWILIO_MEDIA"];
    const pick = (v: Record<string, string>) => media.map((k) => v[k]);
    expect(vars(worker).MEDIA_BUCKET).toBe(bucket.bucket);
    expect(pick(vars(worker))).toEqual(pick(vars(webhook)));
    const put = (name: string) =>
      statements(recorder.named(T.policy, name)).filter((s) => s.Action.includes("s3:PutObject"));
    expect(put("whatsapp-bot-dev-replies-worker-policy")).toEqual([
      { Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${bucket.arn as string}/*`] },
    ]);
    expect(put("whatsapp-bot-dev-policy")).toEqual(put("whatsapp-bot-dev-replies-worker-policy"));
  });
});

describe("ReplyQueue arguments", () => {
  test.each([0, 901, 2.5])("refuses a worker timeout of %p s, naming the argument", async (t) => {
    const recorder = new PulumiRecorder();
    const run = loadProgram(
      recorder,
      async () => {
        const { ReplyQueue } = await import("../../infra/replyQueue");
        return new ReplyQueue("rq", {
          codePath: "/srv/bundle",
          tableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
          secretArns: [],
          topicArns: [],
          environment: {},
          memoryMb: 256,
          timeoutSeconds: t,
          logRetentionDays: 14,
          tags: {},
        });
      },
      { stack: "unit", config: {}, secretKeys: [] },
    );
    await expect(run).rejects.toMatchObject({ name: "ReplyQueueArgsError" });
    await expect(run).rejects.toThrow(
      /\[timeoutSeconds\] must be a whole number of seconds from 1 to 900/,
    );
    expect(recorder.ofType(T.queue)).toEqual([]);
  });
});

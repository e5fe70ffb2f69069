import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from "aws-lambda";
import { readAlertTopicArn, snsAlertPublisher } from "./alerts/publisher";
import { handleUsageCallback } from "./alerts/usageRoute";
import { secretAuthToken } from "./authToken";
import { createMenuBot } from "./bot";
import { scripts } from "./botScript";
import { readLambdaConfig, readWorkerConfig } from "./env";
import { createHandler, type WebhookHandler } from "./handler";
import { snsHandoffPublisher } from "./handoff/publisher";
import { handleHandoffRelease } from "./handoff/release";
import { cloudWatchLogsUrl, readHandoffEnv } from "./handoff/settings";
import { HANDOFF_RELEASE_ROUTE, USAGE_ROUTE } from "./routes";
import { createJsonLogger } from "./logger";
import { readMediaSettings } from "./media/settings";
import { createMediaStep, type MediaStep } from "./media/storeMedia";
import { MemoryStore } from "./store/memory";
import type { Store } from "./store/store";
import { outboundFromEnv } from "./outbound/fromEnv";
import { createWorker, type ReplyWorker } from "./worker";

// Module scope holds only this promise: the SDK clients, the secret and the table are set up on the
// first request, so the cold start loads nothing it does not need yet.
let ready: Promise<WebhookHandler> | undefined;

/** The table's store, or memory without one. */
async function storeFor(tableName: string | undefined): Promise<Store> {
  if (!tableName) return new MemoryStore();
  // Loaded lazily: esbuild keeps this module behind a lazy initializer in the bundle.
  const { DynamoStore } = await import("./store/dynamo");
  return new DynamoStore({ tableName });
}

async function build(env: NodeJS.ProcessEnv): Promise<WebhookHandler> {
  const config = readLambdaConfig(env);
  const secrets: string[] = [];
  const logger = createJsonLogger({ level: config.logLevel, redact: () => secrets });
  const token = secretAuthToken(
    config.authTokenSecretArn,
    undefined,
    config.authTokenSecretVersionId,
  );
  const store = await storeFor(config.tableName);
  const topicArn = readAlertTopicArn(env);
  const alerts = topicArn ? snsAlertPublisher(topicArn) : undefined;
  const handoffEnv = readHandoffEnv(env);
  // Lambda sets both; the link is best effort, the event says null without them.
  const region = env.AWS_REGION;
  const logGroup = env.AWS_LAMBDA_LOG_GROUP_NAME;
  const authToken = async () => {
    const value = await token();
    if (!secrets.includes(value)) secrets.push(value);
    return value;
  };
  const mediaSettings = readMediaSettings(env);
  let media: MediaStep | undefined;
  if (mediaSettings) {
    const bucketName = mediaSettings.bucket;
    media = createMediaStep({
      // The S3 client loads with the first attachment, so text-only containers never load it.
      bucket: {
        put: async (object, signal) => {
          const { s3MediaBucket } = await import("./media/s3Bucket");
          return s3MediaBucket(bucketName).put(object, signal);
        },
      },
      authToken,
      limits: mediaSettings.limits,
      deleteFromTwilio: mediaSettings.deleteFromTwilio,
      logger,
    });
  }
  return createHandler({
    store,
    authToken,
    media,
    bot: createMenuBot({ language: config.language }),
    publicBaseUrl: config.publicBaseUrl,
    logger,
    errorReply: scripts[config.language].error,
    language: config.language,
    handoff: handoffEnv.topicArn
      ? {
          publisher: snsHandoffPublisher(handoffEnv.topicArn),
          timeoutMs: handoffEnv.timeoutMs,
          publicBaseUrl: config.publicBaseUrl,
          logsUrl:
            region && logGroup
              ? (messageSid) => cloudWatchLogsUrl(region, logGroup, messageSid)
              : undefined,
        }
      : undefined,
    // Loaded only in queued mode, like the DynamoDB store.
    enqueue: config.replyQueueUrl
      ? (await import("./queue/sqs")).sqsEnqueue(config.replyQueueUrl)
      : undefined,
    // Always routed: without ALERT_TOPIC_ARN a leftover usage trigger gets a visible 404.
    extraRoutes: {
      [USAGE_ROUTE]: (params, url) =>
        handleUsageCallback(
          { params, url },
          {
            alerts,
            store,
            logger,
            source: env.AWS_LAMBDA_FUNCTION_NAME,
          },
        ),
      // Routed with or without a topic: a release only clears the stored pause.
      [HANDOFF_RELEASE_ROUTE]: (params, url) =>
        handleHandoffRelease({ params, url }, { store, logger }),
    },
  });
}

/** The Lambda entry point (API Gateway HTTP API, payload 2.0). */
export async function handler(
  event: APIGatewayProxyEventV2,
  context?: Pick<Context, "getRemainingTimeInMillis">,
): Promise<APIGatewayProxyStructuredResultV2> {
  ready ??= build(process.env);
  let webhook: WebhookHandler;
  try {
    webhook = await ready;
  } catch (err) {
    ready = undefined;
    const error = err instanceof Error ? { name: err.name, message: err.message } : String(err);
    process.stdout.write(
      JSON.stringify({ level: "error", msg: "configuration error", error }) + "\n",
    );
    return { statusCode: 500, headers: { "content-type": "text/plain" }, body: "misconfigured" };
  }
  return webhook(event, context);
}

let workerReady: Promise<ReplyWorker> | undefined;

async function buildWorker(env: NodeJS.ProcessEnv): Promise<ReplyWorker> {
  const config = readWorkerConfig(env);
  const logger = createJsonLogger({ level: config.logLevel });
  const store = await storeFor(config.tableName);
  const handoffEnv = readHandoffEnv(env);
  const region = env.AWS_REGION;
  const logGroup = env.AWS_LAMBDA_LOG_GROUP_NAME;
  // The same turn as the webhook's: bot, language, apology and hand-off alike.
  return createWorker({
    store,
    outbound: outboundFromEnv(env, { store, logger }),
    bot: createMenuBot({ language: config.language }),
    logger,
    errorReply: scripts[config.language].error,
    language: config.language,
    handoff: handoffEnv.topicArn
      ? {
          publisher: snsHandoffPublisher(handoffEnv.topicArn),
          timeoutMs: handoffEnv.timeoutMs,
          publicBaseUrl: config.publicBaseUrl,
          logsUrl:
            region && logGroup
              ? (messageSid) => cloudWatchLogsUrl(region, logGroup, messageSid)
              : undefined,
        }
      : undefined,
  });
}

/**
 * The queued mode's worker entry point (SQS event source mapping, `ReportBatchItemFailures`). A
 * configuration error fails the whole batch, so its jobs are retried and end in the dead-letter
 * queue, whose alarm tells someone.
 */
export async function worker(event: SQSEvent): Promise<SQSBatchResponse> {
  workerReady ??= buildWorker(process.env);
  let run: ReplyWorker;
  try {
    run = await workerReady;
  } catch (err) {
    workerReady = undefined;
    const error = err instanceof Error ? { name: err.name, message: err.message } : String(err);
    process.stdout.write(
      JSON.stringify({ level: "error", msg: "configuration error", error }) + "\n",
    );
    throw err;
  }
  return run(event);
}

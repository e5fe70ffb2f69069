import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import { readAlertTopicArn, snsAlertPublisher } from "./alerts/publisher";
import { handleUsageCallback } from "./alerts/usageRoute";
import { secretAuthToken } from "./authToken";
import { createMenuBot } from "./bot";
import { scripts } from "./botScript";
import { readLambdaConfig } from "./env";
import { createHandler, type WebhookHandler } from "./handler";
import { handoffFromEnv } from "./handoff/fromEnv";
import { handleHandoffRelease } from "./handoff/release";
import { HANDOFF_RELEASE_ROUTE, USAGE_ROUTE } from "./routes";
import { createJsonLogger } from "./logger";
import { lazyS3Bucket } from "./media/lazyS3Bucket";
import { readMediaSettings } from "./media/settings";
import { createMediaStep, type MediaStep } from "./media/storeMedia";
import { storeFor } from "./storeFor";

// The webhook bundle (see infra/bundle.ts): the queued mode's worker and the REST send path live in
// lambda/workerIndex.ts, so they are not shipped here. Module scope holds only this promise: the
// SDK clients, the secret and the table are set up on the first request, so the cold start loads
// nothing it does not need yet.
let ready: Promise<WebhookHandler> | undefined;

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
      bucket: lazyS3Bucket(bucketName),
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
    handoff: handoffFromEnv(env, config.publicBaseUrl),
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

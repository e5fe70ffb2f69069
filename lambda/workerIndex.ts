import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createMenuBot } from "./bot";
import { scripts } from "./botScript";
import { readWorkerConfig } from "./env";
import { handoffFromEnv } from "./handoff/fromEnv";
import { createJsonLogger } from "./logger";
import { apiKeyCredentials } from "./media/credentials";
import { lazyS3Bucket } from "./media/lazyS3Bucket";
import { readMediaSettings } from "./media/settings";
import { createMediaStep } from "./media/storeMedia";
import { secretOutboundCredentials } from "./outbound/credentials";
import { outboundFromEnv, readOutboundConfig } from "./outbound/fromEnv";
import { storeFor } from "./storeFor";
import { createWorker, type ReplyWorker } from "./worker";

// The worker bundle (see infra/bundle.ts): only the queued mode's worker sends through the REST
// API, so the send path ships here and not in the webhook's bundle.
let workerReady: Promise<ReplyWorker> | undefined;

async function buildWorker(env: NodeJS.ProcessEnv): Promise<ReplyWorker> {
  const config = readWorkerConfig(env);
  const logger = createJsonLogger({ level: config.logLevel });
  const store = await storeFor(config.tableName);
  // One reader of the send path's secret: the sends and the media copy share its API key.
  const outboundConfig = readOutboundConfig(env);
  const credentials = outboundConfig && secretOutboundCredentials(outboundConfig.secretArn);
  const mediaSettings = readMediaSettings(env);
  const media =
    mediaSettings && credentials
      ? createMediaStep({
          bucket: lazyS3Bucket(mediaSettings.bucket),
          credentials: apiKeyCredentials(credentials),
          limits: mediaSettings.limits,
          deleteFromTwilio: mediaSettings.deleteFromTwilio,
          logger,
        })
      : undefined;
  // The same turn as the webhook's: bot, language, apology, hand-off and media alike.
  return createWorker({
    store,
    media,
    outbound: outboundFromEnv(env, { store, logger, credentials }),
    bot: createMenuBot({ language: config.language }),
    logger,
    errorReply: scripts[config.language].error,
    language: config.language,
    handoff: handoffFromEnv(env, config.publicBaseUrl),
  });
}

/**
 * The queued mode's worker entry point (SQS event source mapping, `ReportBatchItemFailures`). A
 * configuration error fails the whole batch, so its jobs are retried and end in the dead-letter
 * queue, whose alarm tells someone.
 */
export async function worker(
  event: SQSEvent,
  context?: Pick<Context, "getRemainingTimeInMillis">,
): Promise<SQSBatchResponse> {
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
  return run(event, context);
}

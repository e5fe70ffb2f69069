import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createMenuBot } from "./bot";
import { scripts } from "./botScript";
import { readWorkerConfig } from "./env";
import { handoffFromEnv } from "./handoff/fromEnv";
import { createJsonLogger } from "./logger";
import { outboundFromEnv } from "./outbound/fromEnv";
import { storeFor } from "./storeFor";
import { createWorker, type ReplyWorker } from "./worker";

// The worker bundle (see infra/bundle.ts): only the queued mode's worker sends through the REST
// API, so the send path ships here and not in the webhook's bundle.
let workerReady: Promise<ReplyWorker> | undefined;

async function buildWorker(env: NodeJS.ProcessEnv): Promise<ReplyWorker> {
  const config = readWorkerConfig(env);
  const logger = createJsonLogger({ level: config.logLevel });
  const store = await storeFor(config.tableName);
  // The same turn as the webhook's: bot, language, apology and hand-off alike.
  return createWorker({
    store,
    outbound: outboundFromEnv(env, { store, logger }),
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

import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { logFailure } from "./logger";
import { decodeJob } from "./queue/job";
import { deliverReply, type DeliverDeps } from "./queue/deliver";

/** The worker Lambda's shape: an SQS batch in, the messages to retry out. */
export type ReplyWorker = (
  event: SQSEvent,
  context?: Pick<Context, "getRemainingTimeInMillis">,
) => Promise<SQSBatchResponse>;

/**
 * Builds the queued mode's worker: each job of the batch gets its reply (`deliverReply`). A job
 * that fails is reported in `batchItemFailures` (the event source mapping sets
 * `ReportBatchItemFailures`), so SQS retries just that one and, after the queue's
 * `maxReceiveCount`, moves it to the dead-letter queue. On a FIFO queue the jobs after a failure
 * are returned unprocessed too, as AWS asks, so one user's replies never overtake each other
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
export function createWorker(deps: DeliverDeps): ReplyWorker {
  return async (event, context) => {
    const failures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records ?? []) {
      if (failures.length > 0) {
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const fields = {
        sqsMessageId: record.messageId,
        receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 0),
      };
      try {
        // The batch is one job (infra/replyQueue.ts), so what is left of the invocation is its own.
        const budgetMs = context?.getRemainingTimeInMillis() ?? Infinity;
        const result = await deliverReply(decodeJob(record.body), deps, budgetMs);
        deps.logger.info("reply delivered", { ...fields, ...result });
      } catch (err) {
        logFailure(deps.logger, "reply job failed", fields, err);
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

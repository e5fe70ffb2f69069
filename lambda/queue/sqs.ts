import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Enqueue } from "./accept";

/**
 * The webhook's {@link Enqueue} onto the stack's SQS FIFO queue (`REPLY_QUEUE_URL`): the group is
 * the conversation, so one user's replies keep their order, and the deduplication id is the
 * incoming MessageSid, so a copy sent within SQS's five-minute deduplication interval is dropped
 * (the queue has content-based deduplication off). The client is built on the first call.
 */
export function sqsEnqueue(queueUrl: string, client?: SQSClient): Enqueue {
  let sqs = client;
  return async (message) => {
    sqs ??= new SQSClient({});
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: message.body,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
    );
  };
}

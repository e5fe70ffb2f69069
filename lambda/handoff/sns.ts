import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { HandoffNotification } from "./event";

/** Message attribute naming the event kind, so a subscription can filter on it. */
export const HANDOFF_KIND_ATTRIBUTE = "handoff_kind";

let client: SNSClient | undefined;

/**
 * Publishes one hand-off notification: e-mail subscribers get the readable text, every other
 * protocol the JSON event (SNS `MessageStructure: json`).
 */
export async function publishHandoff(
  topicArn: string,
  notification: HandoffNotification,
  kind: string,
): Promise<string | undefined> {
  client ??= new SNSClient({});
  const out = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: notification.subject,
      MessageStructure: "json",
      Message: JSON.stringify({ default: notification.json, email: notification.text }),
      MessageAttributes: { [HANDOFF_KIND_ATTRIBUTE]: { DataType: "String", StringValue: kind } },
    }),
  );
  return out.MessageId;
}

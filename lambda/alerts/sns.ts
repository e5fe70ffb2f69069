import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { SpendingAlert } from "./alertMessage";

let client: SNSClient | undefined;

/** Publishes one alert to an SNS topic, with one client per container built on first use. */
export async function publishToSns(
  topicArn: string,
  alert: SpendingAlert,
): Promise<string | undefined> {
  client ??= new SNSClient({});
  const out = await client.send(
    new PublishCommand({ TopicArn: topicArn, Subject: alert.subject, Message: alert.message }),
  );
  return out.MessageId;
}

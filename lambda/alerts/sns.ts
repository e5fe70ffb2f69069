import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { SpendingAlert } from "./alertMessage";
import { ALERT_SOURCE_ATTRIBUTE, TWILIO_USAGE_SOURCE } from "./attributes";

let client: SNSClient | undefined;

/** Publishes one alert to an SNS topic, with one client per container built on first use. */
export async function publishToSns(
  topicArn: string,
  alert: SpendingAlert,
): Promise<string | undefined> {
  client ??= new SNSClient({});
  const out = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: alert.subject,
      Message: alert.message,
      MessageAttributes: {
        [ALERT_SOURCE_ATTRIBUTE]: { DataType: "String", StringValue: TWILIO_USAGE_SOURCE },
      },
    }),
  );
  return out.MessageId;
}

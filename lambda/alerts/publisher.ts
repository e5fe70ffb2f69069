import type { SpendingAlert } from "./alertMessage";

/** Where spending alerts go; SNS in Lambda, a recording fake in tests. */
export interface AlertPublisher {
  /** Publishes one alert; rejects when it could not be delivered to the channel. */
  publish(alert: SpendingAlert): Promise<void>;
}

/**
 * Publishes to the SNS topic `topicArn`. The SDK module (external to the bundle, provided by the
 * Lambda runtime) loads on the first alert only, so the webhook's cold start does not pay for it.
 */
export function snsAlertPublisher(topicArn: string): AlertPublisher {
  return {
    publish: async (alert) => {
      const { publishToSns } = await import("./sns");
      await publishToSns(topicArn, alert);
    },
  };
}

/** `ALERT_TOPIC_ARN`, or undefined when the stack has no spending alerts. */
export function readAlertTopicArn(env: NodeJS.ProcessEnv): string | undefined {
  return env.ALERT_TOPIC_ARN?.trim() || undefined;
}

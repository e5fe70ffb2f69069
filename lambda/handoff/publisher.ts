import { formatHandoff, type HandoffEvent } from "./event";

/** Where hand-off events go: SNS in Lambda, a printing one locally, a recording fake in tests. */
export interface HandoffPublisher {
  /** Publishes one event; rejects when it could not be handed to the channel. */
  publish(event: HandoffEvent): Promise<void>;
}

/**
 * Publishes to the SNS topic `topicArn`. The SDK module (provided by the Lambda runtime) loads on the
 * first hand-off only, so the webhook's cold start does not pay for it.
 */
export function snsHandoffPublisher(topicArn: string): HandoffPublisher {
  return {
    publish: async (event) => {
      const { publishHandoff } = await import("./sns");
      await publishHandoff(topicArn, formatHandoff(event), event.kind);
    },
  };
}

/** For `npm start`: prints what an e-mail subscriber would receive. */
export function printingHandoffPublisher(
  write: (text: string) => void = (text) => process.stdout.write(text),
): HandoffPublisher {
  return {
    publish: (event) => {
      const { subject, text } = formatHandoff(event);
      write(
        `\n--- hand-off topic (local) ---\n${subject}\n\n${text}\n------------------------------\n`,
      );
      return Promise.resolve();
    },
  };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** The hand-off topic of one stack: where "talk to a person" goes. */
export interface HandoffArgs {
  /** E-mail addresses subscribed to the topic; empty for none. */
  readonly emails: readonly string[];
  /** The stack name, shown in the topic's display name. */
  readonly stack: string;
  /** Tags for the topic. */
  readonly tags: Record<string, string>;
}

/** Raised when the arguments cannot describe the topic; the message names the argument. */
export class HandoffArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HandoffArgsError";
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An SNS topic the bot publishes hand-offs to (the user, their recent messages, a log link) and
 * every message a user writes while a person has the conversation, with one e-mail subscription
 * per configured address. Encrypted at rest with the AWS managed key for SNS, since the messages
 * carry users' numbers and words. See docs/consent-and-handoff.md.
 */
export class Handoff extends pulumi.ComponentResource {
  /** The topic's ARN: the Lambda's `HANDOFF_TOPIC_ARN`, the only topic it may publish hand-offs to. */
  declare readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: HandoffArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-bot:index:Handoff", name, {}, opts);
    for (const email of args.emails) {
      if (!EMAIL.test(email)) {
        throw new HandoffArgsError(`[emails] "${email}" is not an e-mail address`);
      }
    }
    if (new Set(args.emails).size !== args.emails.length) {
      throw new HandoffArgsError(`[emails] lists an address twice: ${args.emails.join(", ")}`);
    }
    const parent = { parent: this };
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name,
        displayName: `WhatsApp hand-off ${args.stack}`,
        kmsMasterKeyId: "alias/aws/sns",
        tags: args.tags,
      },
      parent,
    );
    for (const email of args.emails) {
      new aws.sns.TopicSubscription(
        handoffSubscriptionName(name, email),
        { topic: topic.arn, protocol: "email", endpoint: email },
        parent,
      );
    }
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}

/**
 * A subscription's resource name, from the address rather than its place in the list: removing one
 * address then deletes only its subscription, and the others need no new confirmation e-mail.
 */
export function handoffSubscriptionName(componentName: string, email: string): string {
  const digest = createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 12);
  return `${componentName}-email-${digest}`;
}

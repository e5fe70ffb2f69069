import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** What the bot's alarms watch and where they notify. */
export interface BotAlarmsArgs {
  /** The Lambda function's name (dimension of AWS/Lambda metrics). */
  readonly functionName: pulumi.Input<string>;
  /** The HTTP API's id (dimension of AWS/ApiGateway metrics). */
  readonly apiId: pulumi.Input<string>;
  /** The API stage the metrics are reported for. */
  readonly stageName: pulumi.Input<string>;
  /** 4xx answers within five minutes that raise the `api-4xx` alarm. */
  readonly api4xxThreshold: pulumi.Input<number>;
  /** The queued mode's dead-letter queue: an alarm fires when a reply job lands there. */
  readonly deadLetterQueueName?: pulumi.Input<string>;
  /** Where alarm notifications are e-mailed; undefined creates the alarms without a topic. */
  readonly alarmEmail?: string;
  /** Tags for every taggable resource. */
  readonly tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * The alarm definitions: any error, throttle or 5xx within five minutes is worth a look; 4xx only
 * past a threshold, since strangers' unsigned requests get 403 too.
 */
const ALARMS = [
  {
    key: "lambda-errors",
    namespace: "AWS/Lambda",
    metricName: "Errors",
    description: "The bot's Lambda function threw errors",
  },
  {
    key: "lambda-throttles",
    namespace: "AWS/Lambda",
    metricName: "Throttles",
    description: "The bot's Lambda function was throttled",
  },
  {
    // HTTP APIs report lowercase `5xx` (REST APIs use `5XXError`).
    key: "api-5xx",
    namespace: "AWS/ApiGateway",
    metricName: "5xx",
    description: "The bot's HTTP API answered Twilio with 5xx",
  },
  {
    // The bot goes silent in both cases, and nothing else alarms: a 403 is the handler refusing
    // signatures (the auth token was rotated in Twilio but not in the stack), a 429 is the stage's
    // throttle dropping Twilio's calls. The access log's `status` tells them apart.
    key: "api-4xx",
    namespace: "AWS/ApiGateway",
    metricName: "4xx",
    description:
      "The bot's HTTP API refused many requests: 403 (auth token rotated in Twilio but not in " +
      "the stack: pulumi config set --secret twilio:authToken, then pulumi up) or 429 " +
      "(throttled: raise throttleRateLimit/throttleBurstLimit). The API's access log has each status.",
    // Its threshold is BotAlarmsArgs.api4xxThreshold; the others fire on the first occurrence.
    configurable: true,
  },
] as const;

/**
 * CloudWatch alarms on Lambda errors, Lambda throttles, API 5xx and many API 4xx, with an SNS topic and an
 * e-mail subscription when an address is configured (AWS sends a confirmation mail first).
 */
export class BotAlarms extends pulumi.ComponentResource {
  /** The SNS topic alarms notify, when an e-mail address is configured. */
  declare readonly topicArn: pulumi.Output<string> | undefined;
  /** The alarm names, by alarm key. */
  declare readonly alarmNames: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: BotAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-bot:index:BotAlarms", name, {}, opts);
    const parent = { parent: this };

    let topic: aws.sns.Topic | undefined;
    if (args.alarmEmail !== undefined) {
      topic = new aws.sns.Topic(`${name}-topic`, { tags: args.tags }, parent);
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.alarmEmail },
        parent,
      );
    }
    const actions = topic ? [topic.arn] : [];

    const alarmNames: Record<string, pulumi.Output<string>> = {};
    for (const alarm of ALARMS) {
      const dimensions: Record<string, pulumi.Input<string>> = alarm.namespace === "AWS/Lambda"
        ? { FunctionName: args.functionName }
        : { ApiId: args.apiId, Stage: args.stageName };
      const metricAlarm = new aws.cloudwatch.MetricAlarm(
        `${name}-${alarm.key}`,
        {
          alarmDescription: alarm.description,
          namespace: alarm.namespace,
          metricName: alarm.metricName,
          dimensions,
          statistic: "Sum",
          period: 300,
          evaluationPeriods: 1,
          threshold: "configurable" in alarm ? args.api4xxThreshold : 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          // No traffic is not a failure: an idle bot must not sit in ALARM or INSUFFICIENT_DATA.
          treatMissingData: "notBreaching",
          alarmActions: actions,
          okActions: actions,
          tags: args.tags,
        },
        parent,
      );
      alarmNames[alarm.key] = metricAlarm.name;
    }

    if (args.deadLetterQueueName !== undefined) {
      const metricAlarm = new aws.cloudwatch.MetricAlarm(
        `${name}-reply-dlq`,
        {
          alarmDescription:
            "A reply job kept failing and moved to the dead-letter queue: a user got no (or only " +
            "part of the) reply. The worker's log says why (`reply job failed`); see docs/reply-modes.md.",
          namespace: "AWS/SQS",
          metricName: "ApproximateNumberOfMessagesVisible",
          dimensions: { QueueName: args.deadLetterQueueName },
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          // SQS reports an idle queue's metrics too, but a missing point is no failure either.
          treatMissingData: "notBreaching",
          alarmActions: actions,
          okActions: actions,
          tags: args.tags,
        },
        parent,
      );
      alarmNames["reply-dlq"] = metricAlarm.name;
    }

    this.topicArn = topic?.arn;
    this.alarmNames = alarmNames;
    this.registerOutputs({ topicArn: this.topicArn, alarmNames });
  }
}

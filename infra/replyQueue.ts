import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WORKER_BUNDLE } from "./bundle";
import { LAMBDA_TRUST_POLICY, type PolicyDocument } from "./lambdaPolicy";
import { LAMBDA_RUNTIME } from "./nodeRuntime";

/** What the queued reply mode needs from the rest of the backend. */
export interface ReplyQueueArgs {
  /** Folder holding the built worker bundle (`dist/worker`), uploaded as the worker's own code. */
  readonly codePath: string;
  /** The bot's DynamoDB table (the worker reads jobs' state and writes replies' state there). */
  readonly tableArn: pulumi.Input<string>;
  /** The secrets the worker reads (the send path's credentials), by ARN; nothing else is granted. */
  readonly secretArns: pulumi.Input<string>[];
  /** The SNS topics the worker publishes to (the hand-off topic), by ARN. */
  readonly topicArns: pulumi.Input<string>[];
  /** The media bucket, when the stack copies media: the worker may put objects there, nothing else. */
  readonly mediaBucketArn?: pulumi.Input<string>;
  /** The worker's environment variables. */
  readonly environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The worker's memory in MB. */
  readonly memoryMb: pulumi.Input<number>;
  /** The worker's timeout in seconds; the queue's visibility timeout is six times this. */
  readonly timeoutSeconds: number;
  /** Log retention in days. */
  readonly logRetentionDays: pulumi.Input<number>;
  /** Tags for every taggable resource. */
  readonly tags: Record<string, string>;
}

/** Raised for arguments the queued mode cannot be built with; names the argument in brackets. */
export class ReplyQueueArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyQueueArgsError";
  }
}

/** The worker's handler in its own bundle (`lambda/workerIndex.ts` exports `worker`). */
export const WORKER_HANDLER = WORKER_BUNDLE.handler;

/** Deliveries of a job before SQS moves it to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * Jobs per worker invocation. One: a slow bot's turn is what the worker's timeout is sized for,
 * and a batch of them would share it (one slow turn would time the others out with it).
 */
export const WORKER_BATCH_SIZE = 1;

/**
 * AWS: "Set the queue's visibility timeout to at least six times the function timeout", so Lambda
 * can retry a throttled batch before the message reappears
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-lambda-function-trigger.html).
 * It also means a redelivered job never meets a live attempt at the same job.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * A job no worker managed to deliver within a day is past WhatsApp's 24-hour window anyway (the
 * send path would refuse it); failing jobs reach the dead-letter queue long before that.
 */
export const QUEUE_RETENTION_SECONDS = 24 * 3600;
/** The dead-letter queue keeps jobs SQS's maximum of 14 days, for a person to look at. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** The worker's inline policy: its queue, its table items, its secrets and its own logs. */
export function workerPolicyDocument(targets: {
  queueArn: string;
  tableArn: string;
  secretArns: string[];
  topicArns: string[];
  logGroupArn: string;
  mediaBucketArn?: string;
}): PolicyDocument {
  const statements: PolicyDocument["Statement"] = [
    {
      Sid: "ReplyQueue",
      Effect: "Allow",
      // What the event source mapping polls with (AWSLambdaSQSQueueExecutionRole's actions).
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      Resource: [targets.queueArn],
    },
    {
      Sid: "BotTable",
      Effect: "Allow",
      // The worker reads a message's item and updates its reply state; it never puts items.
      Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      Resource: [targets.tableArn],
    },
  ];
  if (targets.secretArns.length > 0) {
    statements.push({
      Sid: "SendSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: targets.secretArns,
    });
  }
  if (targets.topicArns.length > 0) {
    statements.push({
      Sid: "HandoffTopic",
      Effect: "Allow",
      // The turn publishes hand-offs (and messages during one) to the person taking over.
      Action: ["sns:Publish"],
      Resource: targets.topicArns,
    });
  }
  if (targets.mediaBucketArn !== undefined) {
    // The turn copies incoming media (as the webhook's does, infra/lambdaPolicy.ts): put only;
    // deleting from Twilio needs nothing in AWS.
    statements.push({
      Sid: "MediaBucketPut",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [`${targets.mediaBucketArn}/*`],
    });
  }
  statements.push({
    Sid: "OwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`${targets.logGroupArn.replace(/:\*$/, "")}:*`],
  });
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The queued reply mode's AWS side: an SQS FIFO queue of reply jobs (content-based deduplication
 * off: the webhook sends the MessageSid as the deduplication id and the conversation as the group),
 * its FIFO dead-letter queue (a job moves there after {@link MAX_RECEIVE_COUNT} deliveries), both
 * with SSE-SQS, and the worker Lambda with its own role, log group and an event source mapping that
 * reports partial batch failures. Nothing here holds what must survive a destroy: in-flight jobs
 * are a day's replies at most, so nothing is protected.
 */
export class ReplyQueue extends pulumi.ComponentResource {
  /** The queue's URL (`REPLY_QUEUE_URL` of the webhook). */
  declare readonly queueUrl: pulumi.Output<string>;
  /** The queue's ARN (the webhook may `sqs:SendMessage` to it). */
  declare readonly queueArn: pulumi.Output<string>;
  /** The dead-letter queue's name (the alarm's dimension). */
  declare readonly deadLetterQueueName: pulumi.Output<string>;
  /** The worker function's name. */
  declare readonly workerName: pulumi.Output<string>;

  constructor(name: string, args: ReplyQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-bot:index:ReplyQueue", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;
    if (
      !Number.isInteger(args.timeoutSeconds) ||
      args.timeoutSeconds < 1 ||
      args.timeoutSeconds > 900
    ) {
      throw new ReplyQueueArgsError(
        `[timeoutSeconds] must be a whole number of seconds from 1 to 900, got ${args.timeoutSeconds}`,
      );
    }

    // No `name`: the provider autonames FIFO queues with the `.fifo` suffix
    // (pulumi/pulumi-aws#1398), and a fresh name spares a replacement SQS's 60-second wait before
    // a deleted queue's name can be used again.
    const deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        fifoQueue: true,
        contentBasedDeduplication: false,
        sqsManagedSseEnabled: true,
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        tags,
      },
      parent,
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        fifoQueue: true,
        contentBasedDeduplication: false,
        sqsManagedSseEnabled: true,
        visibilityTimeoutSeconds: args.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
        messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
        redrivePolicy: deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
        ),
        tags,
      },
      parent,
    );

    const functionName = `${name}-worker`;
    // Named like Lambda's default group and created first, so Lambda never creates an unmanaged one.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-worker-logs`,
      { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, tags },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-worker-role`,
      {
        description: `Execution role of the ${functionName} Lambda function`,
        assumeRolePolicy: JSON.stringify(LAMBDA_TRUST_POLICY),
        tags,
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-worker-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([
            queue.arn,
            args.tableArn,
            pulumi.all(args.secretArns),
            pulumi.all(args.topicArns),
            logGroup.arn,
            args.mediaBucketArn,
          ])
          .apply(([queueArn, tableArn, secretArns, topicArns, logGroupArn, mediaBucketArn]) =>
            JSON.stringify(
              workerPolicyDocument({
                queueArn,
                tableArn,
                secretArns,
                topicArns,
                logGroupArn,
                mediaBucketArn,
              }),
            ),
          ),
      },
      parent,
    );
    const worker = new aws.lambda.Function(
      `${name}-worker`,
      {
        name: functionName,
        description: `WhatsApp bot reply worker (${functionName})`,
        role: role.arn,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        handler: WORKER_HANDLER,
        code: new pulumi.asset.FileArchive(args.codePath),
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        environment: { variables: args.environment },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tags,
      },
      // Its name is fixed (the log group is named after it), so a replacement must go first.
      { parent: this, dependsOn: [logGroup, policy], deleteBeforeReplace: true },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-worker-source`,
      {
        eventSourceArn: queue.arn,
        functionName: worker.arn,
        batchSize: WORKER_BATCH_SIZE,
        // The worker returns the jobs to retry; without this SQS would retry the whole batch.
        functionResponseTypes: ["ReportBatchItemFailures"],
        tags,
      },
      // Lambda checks the role may poll the queue when the mapping is created.
      { parent: this, dependsOn: [policy] },
    );

    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.deadLetterQueueName = deadLetterQueue.name;
    this.workerName = worker.name;
    this.registerOutputs({
      queueUrl: this.queueUrl,
      deadLetterQueueName: this.deadLetterQueueName,
      workerName: this.workerName,
    });
  }
}

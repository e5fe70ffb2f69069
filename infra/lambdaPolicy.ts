/** The ARNs the bot's Lambda may touch; nothing else is granted. */
export interface LambdaPolicyTargets {
  /** The bot's DynamoDB table. */
  readonly tableArn: string;
  /** The secret holding the Twilio auth token. */
  readonly secretArn: string;
  /** The function's own log group (as the provider reports it, without a trailing `:*`). */
  readonly logGroupArn: string;
  /** The SNS topic for spending alerts, when the stack has one. */
  readonly alertTopicArn?: string;
  /** The SNS topic hand-offs to a person are published to, when the stack has one. */
  readonly handoffTopicArn?: string;
  /** The media bucket, when the stack has one: objects may be written, nothing else. */
  readonly mediaBucketArn?: string;
  /** The reply queue the webhook enqueues on, in `queued` mode. */
  readonly replyQueueArn?: string;
}

/** An IAM policy statement as this program writes them: always Allow, explicit actions and ARNs. */
export interface PolicyStatement {
  /** Statement id, for reading the policy in the console. */
  readonly Sid: string;
  /** Always Allow: nothing here relies on Deny. */
  readonly Effect: "Allow";
  /** Exact actions, never wildcards. */
  readonly Action: string[];
  /** Exact resources, never `*`. */
  readonly Resource: string[];
}

/** An IAM policy document. */
export interface PolicyDocument {
  /** The policy language version. */
  readonly Version: "2012-10-17";
  /** The grants. */
  readonly Statement: PolicyStatement[];
}

/**
 * The Lambda's inline policy: the item operations the store uses on its own table, reading its own
 * secret, writing its own log streams, and publishing alerts when a topic exists. Log events are
 * written to log streams, whose ARNs are the group's ARN followed by `:log-stream:<name>`, hence
 * the `:*` suffix.
 */
export function lambdaPolicyDocument(targets: LambdaPolicyTargets): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: "BotTable",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
      Resource: [targets.tableArn],
    },
    {
      Sid: "AuthTokenSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [targets.secretArn],
    },
    {
      Sid: "OwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`${targets.logGroupArn.replace(/:\*$/, "")}:*`],
    },
  ];
  if (targets.alertTopicArn !== undefined) {
    statements.push({
      Sid: "SpendingAlerts",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: [targets.alertTopicArn],
    });
  }
  if (targets.handoffTopicArn !== undefined) {
    statements.push({
      Sid: "HandoffTopic",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: [targets.handoffTopicArn],
    });
  }
  if (targets.mediaBucketArn !== undefined) {
    // Put only: the bot never reads, lists or deletes media (expiry is the bucket's lifecycle).
    statements.push({
      Sid: "MediaBucketPut",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: [`${targets.mediaBucketArn}/*`],
    });
  }
  if (targets.replyQueueArn !== undefined) {
    statements.push({
      Sid: "ReplyQueue",
      Effect: "Allow",
      Action: ["sqs:SendMessage"],
      Resource: [targets.replyQueueArn],
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** A role trust policy: who may assume the role. */
export interface TrustPolicyDocument {
  /** The policy language version. */
  readonly Version: "2012-10-17";
  /** One statement per trusted service. */
  readonly Statement: Array<{
    readonly Effect: "Allow";
    readonly Action: "sts:AssumeRole";
    readonly Principal: { readonly Service: string };
  }>;
}

/** The trust policy letting only the Lambda service assume the role. */
export const LAMBDA_TRUST_POLICY: TrustPolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } },
  ],
};

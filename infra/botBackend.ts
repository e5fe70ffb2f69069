import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BotAlarms } from "./alarms";
import { LAMBDA_TRUST_POLICY, lambdaPolicyDocument } from "./lambdaPolicy";
import {
  HANDOFF_RELEASE_ROUTE,
  USAGE_ROUTE,
  WEBHOOK_ROUTES,
  type WebhookUrls,
  webhookUrls,
} from "./routes";
import { LAMBDA_RUNTIME } from "./nodeRuntime";
import { DEFAULT_HANDOFF_TIMEOUT_MINUTES } from "../lambda/handoff/settings";
import type { ReplyMode } from "./configSchema";
import { WEBHOOK_BUNDLE } from "./bundle";
import { ReplyQueue } from "./replyQueue";

/** The AWS side of the bot: compute, API, storage, secret, logs and alarms. */
export interface BotBackendArgs {
  /** Folder holding the built webhook bundle (`dist/lambda`), uploaded as the webhook's code. */
  readonly codePath: string;
  /** Folder holding the built worker bundle (`dist/worker`), the queued mode worker's own code. */
  readonly workerCodePath: string;
  /**
   * The Twilio auth token; must be a secret Output, it is written only to Secrets Manager.
   * Undefined only in a preview without Twilio credentials: the deployed secret version is kept.
   */
  readonly authToken?: pulumi.Output<string>;
  /** Lambda memory in MB. */
  readonly memoryMb: pulumi.Input<number>;
  /** Lambda timeout in seconds. */
  readonly timeoutSeconds: pulumi.Input<number>;
  /** Log retention in days. */
  readonly logRetentionDays: pulumi.Input<number>;
  /** Steady-state requests per second the API stage accepts. */
  readonly throttleRateLimit: pulumi.Input<number>;
  /** Request burst the API stage accepts. */
  readonly throttleBurstLimit: pulumi.Input<number>;
  /** 4xx answers within five minutes that raise the API's 4xx alarm. */
  readonly api4xxAlarmThreshold: pulumi.Input<number>;
  /** DynamoDB point-in-time recovery. */
  readonly pointInTimeRecovery: pulumi.Input<boolean>;
  /** Where alarm notifications are e-mailed; undefined means no topic. */
  readonly alarmEmail?: string;
  /** `BOT_LANGUAGE` for the bot. */
  readonly botLanguage: pulumi.Input<string>;
  /** `LOG_LEVEL` for the bot. */
  readonly logLevel: pulumi.Input<string>;
  /** Tags for every taggable AWS resource. */
  readonly tags: Record<string, string>;
  /** Protect the table and the secret (and turn on their own deletion safeguards). */
  readonly protect: boolean;
  /**
   * The spending alerts topic. When set, the Lambda gets `ALERT_TOPIC_ARN` and may publish to it,
   * and the API serves `POST /twilio/usage` for Twilio's usage triggers.
   */
  readonly alertTopicArn?: pulumi.Input<string>;
  /**
   * The hand-off topic (infra/handoff.ts). When set, the Lambda gets `HANDOFF_TOPIC_ARN` and may
   * publish to it, and the API serves the signed `POST /handoff/release`.
   */
  readonly handoffTopicArn?: pulumi.Input<string>;
  /** `HANDOFF_TIMEOUT_MINUTES`: how long a hand-off pauses the bot without a release. */
  readonly handoffTimeoutMinutes?: pulumi.Input<number>;
  /** Incoming media: where the Lambda copies it and its limits; without it no media is fetched. */
  readonly media?: BotBackendMedia;
  /** How replies leave; `queued` adds the reply queue and its worker (infra/replyQueue.ts). */
  readonly replyMode?: ReplyMode;
  /** The queued mode worker's timeout in seconds (60 when unset). */
  readonly workerTimeoutSeconds?: number;
  /** `TEMPLATE_SIDS`: JSON map of template name to content SID (not secret); unset means none. */
  readonly templateSids?: pulumi.Input<string>;
  /**
   * The send path's secret (infra/sendPath.ts). The queued mode's worker, the one function that
   * sends, gets `OUTBOUND_SECRET_ARN` and may read that one secret; the webhook never sends.
   */
  readonly outboundSecretArn?: pulumi.Input<string>;
}

/** What the Lambda needs to copy incoming media (lambda/media/settings.ts reads it). */
export interface BotBackendMedia {
  /** The media bucket's name (`MEDIA_BUCKET`). */
  readonly bucketName: pulumi.Input<string>;
  /** The media bucket's ARN, for the put-only grant. */
  readonly bucketArn: pulumi.Input<string>;
  /** `MEDIA_MAX_BYTES`. */
  readonly maxBytes: number;
  /** `MEDIA_ALLOWED_TYPES`, comma-separated in the variable. */
  readonly allowedTypes: readonly string[];
  /** `DELETE_TWILIO_MEDIA`. */
  readonly deleteFromTwilio: boolean;
}

/** Stands in for the auth token in a preview without Twilio credentials; never deployed. */
const PREVIEW_PLACEHOLDER_TOKEN = "preview-without-twilio-credentials";

/** The API stage: `$default` serves the API's root URL, so no stage name appears in webhook URLs. */
const STAGE_NAME = "$default";

/**
 * One JSON line per request the stage answers, throttled ones included. Request metadata only:
 * the body (message text, phone numbers) and the query string never reach this log. `status`
 * tells a 403 (signature refused) from a 429 (throttled); `responseType` and `error` say why API
 * Gateway itself refused a request, and `integrationError` shows a Lambda it could not invoke.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  time: "$context.requestTime",
  ip: "$context.identity.sourceIp",
  userAgent: "$context.identity.userAgent",
  routeKey: "$context.routeKey",
  status: "$context.status",
  responseType: "$context.error.responseType",
  error: "$context.error.message",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integrationErrorMessage",
  latencyMs: "$context.responseLatency",
});

/** The component's type token. */
export const BOT_BACKEND_TYPE = "whatsapp-bot:index:BotBackend";
/** Its type token before the rename, kept as an alias so deployed stacks keep their URNs. */
export const FORMER_BOT_BACKEND_TYPE = "whatsapp-bot:index:WhatsAppBot";

/**
 * The bot's backend on AWS: a Lambda function (Node.js 24, arm64) behind an HTTP API's `$default`
 * stage with the three Twilio routes and an access log, a DynamoDB table, the auth token in Secrets
 * Manager, log groups with retention, a least-privilege role, and alarms. `name` (`whatsapp-bot-<stack>`) is the
 * function's name and the prefix of every child's name.
 */
export class BotBackend extends pulumi.ComponentResource {
  /** The Lambda function's name. */
  declare readonly functionName: pulumi.Output<string>;
  /** The Lambda function's ARN. */
  declare readonly functionArn: pulumi.Output<string>;
  /** The DynamoDB table's name. */
  declare readonly tableName: pulumi.Output<string>;
  /** The ARN of the secret holding the auth token. */
  declare readonly authTokenSecretArn: pulumi.Output<string>;
  /** The log group's name. */
  declare readonly logGroupName: pulumi.Output<string>;
  /** The name of the log group holding the API stage's access log. */
  declare readonly accessLogGroupName: pulumi.Output<string>;
  /** The HTTP API's id. */
  declare readonly apiId: pulumi.Output<string>;
  /** The public base URL Twilio calls (the API endpoint, `https://…amazonaws.com`). */
  declare readonly apiEndpoint: pulumi.Output<string>;
  /** The exact public URL of each webhook route. */
  declare readonly webhookUrls: WebhookUrls;
  /** The SNS topic alarms notify, when an e-mail is configured. */
  declare readonly alarmTopicArn: pulumi.Output<string> | undefined;
  /** A link to the function in the AWS console. */
  declare readonly consoleUrl: pulumi.Output<string>;

  constructor(name: string, args: BotBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    // Renamed from BotBackend: the alias keeps the URNs of deployed stacks (and so of every child,
    // whose URN embeds its parent's type), so `pulumi up` sees no replacement.
    super(
      BOT_BACKEND_TYPE,
      name,
      {},
      {
        ...opts,
        aliases: [...(opts?.aliases ?? []), { type: FORMER_BOT_BACKEND_TYPE }],
      },
    );
    const parent = { parent: this };
    const tags = args.tags;

    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        ttl: { attributeName: "expiresAt", enabled: true },
        pointInTimeRecovery: { enabled: args.pointInTimeRecovery },
        deletionProtectionEnabled: args.protect,
        tags,
      },
      { parent: this, protect: args.protect },
    );

    const secret = new aws.secretsmanager.Secret(
      `${name}-auth-token`,
      {
        description: `Twilio auth token for ${name}: the bot validates X-Twilio-Signature with it`,
        // Unprotected stacks must be destroyable to zero: a recovery window would keep the secret,
        // token included, for at least a week after `pulumi destroy`.
        recoveryWindowInDays: args.protect ? 30 : 0,
        tags,
      },
      { parent: this, protect: args.protect },
    );
    const secretVersion = new aws.secretsmanager.SecretVersion(
      `${name}-auth-token`,
      {
        secretId: secret.id,
        secretString: pulumi.secret(args.authToken ?? PREVIEW_PLACEHOLDER_TOKEN),
      },
      // Without the token (a pull-request preview), the engine puts the deployed value back in
      // place of the placeholder before check and diff, so the preview shows no change here nor
      // in the function's AUTH_TOKEN_SECRET_VERSION_ID. Only a stack's very first preview would
      // show the placeholder, and `pulumi up` never runs without the token.
      args.authToken === undefined ? { ...parent, ignoreChanges: ["secretString"] } : parent,
    );

    // Named like Lambda's default group and created first, so Lambda never creates an unmanaged one.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/lambda/${name}`, retentionInDays: args.logRetentionDays, tags },
      parent,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of the ${name} Lambda function`,
        assumeRolePolicy: JSON.stringify(LAMBDA_TRUST_POLICY),
        tags,
      },
      parent,
    );
    const api = new aws.apigatewayv2.Api(
      `${name}-api`,
      {
        protocolType: "HTTP",
        description: `Twilio WhatsApp webhooks for ${name}`,
        tags,
      },
      parent,
    );

    // The hand-off settings, shared by the webhook and (in queued mode) the worker, which both run
    // the turn that hands a conversation to a person.
    const handoffEnv: Record<string, pulumi.Input<string>> = args.handoffTopicArn !== undefined
      ? {
          HANDOFF_TOPIC_ARN: args.handoffTopicArn,
          HANDOFF_TIMEOUT_MINUTES: pulumi
            .output(args.handoffTimeoutMinutes ?? DEFAULT_HANDOFF_TIMEOUT_MINUTES)
            .apply(String),
        }
      : {};

    // Whichever function runs the turn copies the media: the webhook inline, the worker queued.
    const mediaEnv: Record<string, pulumi.Input<string>> = args.media !== undefined
      ? {
          MEDIA_BUCKET: args.media.bucketName,
          MEDIA_MAX_BYTES: String(args.media.maxBytes),
          MEDIA_ALLOWED_TYPES: args.media.allowedTypes.join(","),
          DELETE_TWILIO_MEDIA: String(args.media.deleteFromTwilio),
        }
      : {};

    const replyQueue =
      args.replyMode === "queued"
        ? new ReplyQueue(
            `${name}-replies`,
            {
              codePath: args.workerCodePath,
              tableArn: table.arn,
              secretArns: args.outboundSecretArn !== undefined ? [args.outboundSecretArn] : [],
              topicArns: args.handoffTopicArn !== undefined ? [args.handoffTopicArn] : [],
              environment: {
                TABLE_NAME: table.name,
                PUBLIC_BASE_URL: api.apiEndpoint,
                BOT_LANGUAGE: args.botLanguage,
                LOG_LEVEL: args.logLevel,
                ...handoffEnv,
                // The ARN only; the key's secret is read from Secrets Manager at the first send.
                ...(args.outboundSecretArn !== undefined
                  ? { OUTBOUND_SECRET_ARN: args.outboundSecretArn }
                  : {}),
                ...mediaEnv,
              },
              mediaBucketArn: args.media?.bucketArn,
              memoryMb: args.memoryMb,
              timeoutSeconds: args.workerTimeoutSeconds ?? 60,
              logRetentionDays: args.logRetentionDays,
              tags,
            },
            parent,
          )
        : undefined;

    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .output({
            tableArn: table.arn,
            secretArn: secret.arn,
            logGroupArn: logGroup.arn,
            alertTopicArn: args.alertTopicArn,
            handoffTopicArn: args.handoffTopicArn,
            mediaBucketArn: args.media?.bucketArn,
            replyQueueArn: replyQueue?.queueArn,
          })
          .apply((targets) => JSON.stringify(lambdaPolicyDocument(targets))),
      },
      parent,
    );

    const fn = new aws.lambda.Function(
      `${name}-fn`,
      {
        name,
        description: `WhatsApp bot (${name})`,
        role: role.arn,
        runtime: LAMBDA_RUNTIME,
        architectures: ["arm64"],
        handler: WEBHOOK_BUNDLE.handler,
        code: new pulumi.asset.FileArchive(args.codePath),
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        environment: {
          variables: {
            TABLE_NAME: table.name,
            AUTH_TOKEN_SECRET_ARN: secret.arn,
            // Not secret: a new token means a new version id, so the new configuration replaces
            // warm containers that still hold the old token.
            AUTH_TOKEN_SECRET_VERSION_ID: secretVersion.versionId,
            PUBLIC_BASE_URL: api.apiEndpoint,
            BOT_LANGUAGE: args.botLanguage,
            LOG_LEVEL: args.logLevel,
            ...(args.alertTopicArn !== undefined ? { ALERT_TOPIC_ARN: args.alertTopicArn } : {}),
            ...handoffEnv,
            ...mediaEnv,
            ...(replyQueue ? { REPLY_QUEUE_URL: replyQueue.queueUrl } : {}),
            ...(args.templateSids !== undefined ? { TEMPLATE_SIDS: args.templateSids } : {}),
          },
        },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tags,
      },
      {
        parent: this,
        // The function must not run before it can log, read its table and find its token.
        dependsOn: [logGroup, policy, secretVersion],
        // Its name is fixed (the log group is named after it), so a replacement must go first.
        deleteBeforeReplace: true,
      },
    );

    const integration = new aws.apigatewayv2.Integration(
      `${name}-lambda`,
      {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: fn.arn,
        payloadFormatVersion: "2.0",
      },
      parent,
    );

    const routePaths: Record<string, string> = { ...WEBHOOK_ROUTES };
    if (args.alertTopicArn !== undefined) routePaths.usage = USAGE_ROUTE;
    if (args.handoffTopicArn !== undefined) routePaths["handoff-release"] = HANDOFF_RELEASE_ROUTE;
    const routes = Object.entries(routePaths).map(([key, routePath]) => {
      // One permission per route: API Gateway may invoke the function for exactly these requests.
      new aws.lambda.Permission(
        `${name}-invoke-${key}`,
        {
          action: "lambda:InvokeFunction",
          function: fn.name,
          principal: "apigateway.amazonaws.com",
          sourceArn: pulumi.interpolate`${api.executionArn}/*/POST${routePath}`,
        },
        parent,
      );
      return new aws.apigatewayv2.Route(
        `${name}-${key}`,
        {
          apiId: api.id,
          routeKey: `POST ${routePath}`,
          target: pulumi.interpolate`integrations/${integration.id}`,
        },
        parent,
      );
    });

    // With the stack's retention, like the function's own log group.
    const accessLogGroup = new aws.cloudwatch.LogGroup(
      `${name}-api-access`,
      {
        name: `/aws/apigateway/${name}/access`,
        retentionInDays: args.logRetentionDays,
        tags,
      },
      parent,
    );

    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: STAGE_NAME,
        autoDeploy: true,
        defaultRouteSettings: {
          throttlingRateLimit: args.throttleRateLimit,
          throttlingBurstLimit: args.throttleBurstLimit,
        },
        accessLogSettings: { destinationArn: accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
        tags,
      },
      { parent: this, dependsOn: routes },
    );

    const alarms = new BotAlarms(
      `${name}-alarms`,
      {
        functionName: fn.name,
        apiId: api.id,
        stageName: stage.name,
        api4xxThreshold: args.api4xxAlarmThreshold,
        deadLetterQueueName: replyQueue?.deadLetterQueueName,
        alarmEmail: args.alarmEmail,
        tags,
      },
      parent,
    );

    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.tableName = table.name;
    this.authTokenSecretArn = secret.arn;
    this.logGroupName = logGroup.name;
    this.accessLogGroupName = accessLogGroup.name;
    this.apiId = api.id;
    // Only known once the stage exists: nothing should call the URL before it serves the routes.
    this.apiEndpoint = pulumi.all([api.apiEndpoint, stage.id]).apply(([endpoint]) => endpoint);
    this.webhookUrls = webhookUrls(this.apiEndpoint);
    this.alarmTopicArn = alarms.topicArn;
    this.consoleUrl = pulumi
      .all([fn.arn, fn.name])
      .apply(([arn, fnName]) => lambdaConsoleUrl(arn, fnName));
    this.registerOutputs({
      functionName: this.functionName,
      tableName: this.tableName,
      apiEndpoint: this.apiEndpoint,
      webhookUrls: this.webhookUrls,
      consoleUrl: this.consoleUrl,
    });
  }
}

/** The console page of a function, in the function's own region (read from its ARN). */
export function lambdaConsoleUrl(functionArn: string, functionName: string): string {
  const region = functionArn.split(":")[3];
  return `https://${region}.console.aws.amazon.com/lambda/home?region=${region}#/functions/${encodeURIComponent(functionName)}`;
}

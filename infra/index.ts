import * as pulumi from "@pulumi/pulumi";
import { WEBHOOK_BUNDLE, WORKER_BUNDLE, requireLambdaBundle } from "./bundle";
import { loadConfig } from "./config";
import { SpendingAlerts, spendingAlertsEnabled } from "./spendingAlerts";
import { TwilioSide } from "./twilioSide";
import { BotBackend } from "./botBackend";
import { Handoff } from "./handoff";
import { MediaBucket } from "./mediaBucket";
import { loadTemplateFiles, templatesDirFor } from "./templateFile";
import { Templates } from "./templates";
import { SendPath } from "./sendPath";

const config = loadConfig();

// Only an engine uploads the archives; unit tests under mocks run without built bundles. Both are
// required in either reply mode, so switching to queued never finds the worker's missing.
const codePath = pulumi.runtime.hasEngine()
  ? requireLambdaBundle(WEBHOOK_BUNDLE.dir)
  : WEBHOOK_BUNDLE.dir;
const workerCodePath = pulumi.runtime.hasEngine()
  ? requireLambdaBundle(WORKER_BUNDLE.dir)
  : WORKER_BUNDLE.dir;

// The Lambda publishes to the alert topic and the usage triggers call the API: the topic comes
// first, then the backend and the Twilio side, then the triggers and the budget.
const spending = spendingAlertsEnabled(config)
  ? new SpendingAlerts(`${config.namePrefix}-spending`, {
      budgetUsd: config.budgetUsd,
      thresholdsPercent: config.budgetThresholdsPercent,
      alertEmail: config.alarmEmail,
      stack: config.stack,
      environment: config.environment,
      tags: config.tags,
    })
  : undefined;

// The topic "talk to a person" publishes to; review stacks copy staging's addresses, so they
// subscribe none (one confirmation e-mail per pull request would only be noise).
const handoff = new Handoff(`${config.namePrefix}-handoff`, {
  emails: config.environment === "review" ? [] : config.handoffEmails,
  stack: config.stack,
  tags: config.tags,
});

const media = new MediaBucket(`${config.namePrefix}-media`, {
  retentionDays: config.mediaRetentionDays,
  protect: config.protect,
  tags: config.tags,
});

// The WhatsApp templates in templates/: they depend on nothing, and the Lambda reads their SIDs.
const templates = new Templates(`${config.namePrefix}-templates`, {
  templates: loadTemplateFiles(templatesDirFor(config.templatesDir)),
});

// The send path's key and secret come before the backend (the function gets the secret's ARN);
// the secret's value is written once the Messaging Service exists (`connect` below).
const sendPath = new SendPath(`${config.namePrefix}-send`, {
  keyName: `${config.namePrefix} send path`,
  tags: config.tags,
});

const backend = new BotBackend(config.namePrefix, {
  codePath,
  workerCodePath,
  authToken: config.twilio.authToken,
  memoryMb: config.lambdaMemoryMb,
  timeoutSeconds: config.lambdaTimeoutSeconds,
  logRetentionDays: config.logRetentionDays,
  throttleRateLimit: config.throttleRateLimit,
  throttleBurstLimit: config.throttleBurstLimit,
  api4xxAlarmThreshold: config.api4xxAlarmThreshold,
  pointInTimeRecovery: config.pointInTimeRecovery,
  // Review stacks copy staging's config; one alarm subscription per pull request would only mail
  // confirmation requests, so their alarms stay without e-mail.
  alarmEmail: config.environment === "review" ? undefined : config.alarmEmail,
  botLanguage: config.botLanguage,
  logLevel: config.logLevel,
  tags: config.tags,
  protect: config.protect,
  alertTopicArn: spending?.topicArn,
  handoffTopicArn: handoff.topicArn,
  handoffTimeoutMinutes: config.handoffTimeoutMinutes,
  media: {
    bucketName: media.bucketName,
    bucketArn: media.bucketArn,
    maxBytes: config.mediaMaxBytes,
    allowedTypes: config.mediaAllowedTypes,
    deleteFromTwilio: config.deleteTwilioMedia,
  },
  replyMode: config.replyMode,
  workerTimeoutSeconds: config.workerTimeoutSeconds,
  templateSids: templates.sidsJson,
  outboundSecretArn: sendPath.secretArn,
});

const twilio = new TwilioSide(config.namePrefix, {
  friendlyName: config.namePrefix,
  webhookUrls: backend.webhookUrls,
  sender: config.sender,
  messagingService: config.messagingService,
  protect: config.protect,
});

sendPath.connect(twilio.messagingServiceSid);

// The alerts' usage triggers and budget, now that the API they call exists.
spending?.watch(backend.apiEndpoint);

/** The URL Twilio calls for incoming WhatsApp messages. */
export const incomingUrl = backend.webhookUrls.incoming;
/** The URL Twilio calls when the incoming URL fails. */
export const fallbackUrl = backend.webhookUrls.fallback;
/** The URL Twilio sends delivery status callbacks to. */
export const statusCallbackUrl = backend.webhookUrls.status;
/** The HTTP API's endpoint (PUBLIC_BASE_URL of the Lambda). */
export const apiEndpoint = backend.apiEndpoint;
/** The Messaging Service SID (MG…). */
export const messagingServiceSid = twilio.messagingServiceSid;
/** The WhatsApp sender SID (XE…), or undefined for a stack without a sender. */
export const senderSid = twilio.senderSid;
/** Where the sender's registration stands (e.g. ONLINE), or undefined without a sender. */
export const senderStatus = twilio.senderStatus;
/** The sender's address (`whatsapp:+E164`), or undefined without a sender. */
export const senderId = twilio.senderId;
/** Each WhatsApp template's content SID (HX…) by its name (the file name in templates/). */
export const templateSids = templates.sids;
/** The Lambda function's name. */
export const functionName = backend.functionName;
/** The DynamoDB table's name. */
export const tableName = backend.tableName;
/** The bucket incoming media is copied to (`<conversation>/<MessageSid>/<n>.<ext>`). */
export const mediaBucketName = media.bucketName;
/** The log group's name. */
export const logGroupName = backend.logGroupName;
/** The function's page in the AWS console. */
export const consoleUrl = backend.consoleUrl;
/** The SNS topic alarms notify, when an alarm e-mail is configured. */
export const alarmTopicArn = backend.alarmTopicArn;
/** The spending alerts topic (`ALERT_TOPIC_ARN`), when a budget is configured. */
export const spendingAlertTopicArn = spending?.topicArn;
/** The hand-off topic (`HANDOFF_TOPIC_ARN`): "talk to a person" and messages while paused. */
export const handoffTopicArn = handoff.topicArn;
/** The AWS budget's name, when a budget is configured. */
export const budgetName = spending?.budgetName;

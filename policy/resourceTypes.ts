/**
 * Resource type tokens the policies match on, in one place. The Twilio resources are this
 * project's dynamic resources (infra/twilio/), built with module "twilio": @pulumi/pulumi's
 * dynamic.Resource registers them as `pulumi-nodejs:dynamic/twilio:<ClassName>`.
 */

/** Type tokens of the Twilio dynamic resources. */
export const TWILIO_TYPES = {
  messagingService: "pulumi-nodejs:dynamic/twilio:MessagingService",
  senderPoolMember: "pulumi-nodejs:dynamic/twilio:SenderPoolMember",
  whatsAppSender: "pulumi-nodejs:dynamic/twilio:WhatsAppSender",
  usageTrigger: "pulumi-nodejs:dynamic/twilio:UsageTrigger",
} as const;

/** Type tokens of the AWS resources the policies inspect. */
export const AWS_TYPES = {
  lambdaFunction: "aws:lambda/function:Function",
  lambdaPermission: "aws:lambda/permission:Permission",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  apiStage: "aws:apigatewayv2/stage:Stage",
  bucket: "aws:s3/bucket:Bucket",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
} as const;

/** Every Twilio type token, for policies that look at all Twilio resources alike. */
export const ALL_TWILIO_TYPES: readonly string[] = Object.values(TWILIO_TYPES);

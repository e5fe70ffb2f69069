/**
 * Twilio resources for Pulumi: a dynamic provider per resource over the official `twilio` SDK
 * (there is no @pulumi/twilio package in the registry). Credentials come from stack config
 * (`twilio:accountSid`, `twilio:authToken`, or `twilio:apiKey` + `twilio:apiSecret`), read by each
 * provider's `configure`, never from resource inputs. docs/twilio-provider.md describes each one.
 * This module is the folder's public surface; the files behind it are its implementation.
 */
export { ApiKey, type ApiKeyArgs, type ApiKeyOutputs } from "./apiKey";
export {
  ContentTemplate,
  type ContentApprovalArgs,
  type ContentCategory,
  type ContentTemplateArgs,
  type ContentTemplateOutputs,
  type ContentTypesArgs,
} from "./contentTemplate";
export {
  MessagingService,
  type MessagingServiceArgs,
  type MessagingServiceOutputs,
} from "./messagingService";
export {
  SenderPoolMember,
  type SenderPoolMemberArgs,
  type SenderPoolMemberOutputs,
} from "./senderPoolMember";
export { UsageTrigger, type UsageTriggerArgs, type UsageTriggerOutputs } from "./usageTrigger";
export {
  WhatsAppSender,
  type WhatsAppSenderAdoptArgs,
  type WhatsAppSenderArgs,
  type WhatsAppSenderOutputs,
  type WhatsAppSenderProfileArgs,
  type WhatsAppSenderRegisterArgs,
  type WhatsAppSenderWebhookArgs,
} from "./whatsAppSender";
export {
  DISPLAY_NAME_MAX_LENGTH,
  E164_PATTERN,
  VERIFICATION_CODE_PATTERN,
  VERTICALS,
  WHATSAPP_NUMBER_PATTERN,
  type Vertical,
} from "./senderRules";
export { TWILIO_API_ERROR, isTwilioApiError, type TwilioApiError } from "./client";

/**
 * ContentTemplate: a WhatsApp content template on Twilio's Content API (`/v1/Content`), with its
 * WhatsApp approval request. rules, types, check, diff, API calls, provider and resource each live
 * in their own file; this is the module's surface.
 */
export * from "./types";
export * from "./rules";
export { approvalNameReuseReason, placeholdersIn, validateContentTemplate } from "./check";
export { CONTENT_PROPERTIES, diffContentTemplate } from "./diff";
export { createBody, UNSUBMITTED, wireTypes } from "./api";
export { contentTemplateProvider } from "./provider";
export { ContentTemplate } from "./resource";

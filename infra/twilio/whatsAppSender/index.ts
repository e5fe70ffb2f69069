/**
 * WhatsAppSender: a WhatsApp sender on Twilio's Messaging v2 `Channels/Senders` API, adopted or
 * registered, with its webhook and business profile. types, check, diff, API calls, provider and
 * resource each live in their own file; this is the module's surface.
 */
export * from "./types";
export { displayNameChangeReason, validateWhatsAppSender } from "./check";
export { diffWhatsAppSender } from "./diff";
export { updateBodyFor } from "./api";
export { whatsAppSenderProvider } from "./provider";
export { WhatsAppSender } from "./resource";

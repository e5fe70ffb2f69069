/**
 * ApiKey: a Standard Twilio API key (api v2010 `Keys`) the stack creates for its send path; its
 * secret exists only in the (encrypted) state and the Secrets Manager secret the stack writes.
 * types, check, provider and resource each live in their own file; this is the module's surface.
 */
export * from "./types";
export { diffApiKey, validateApiKey } from "./check";
export { apiKeyProvider } from "./provider";
export { ApiKey } from "./resource";

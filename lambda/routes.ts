/**
 * The paths Twilio calls, defined once: the Lambda routes requests by them and the infrastructure
 * builds the API routes and the URLs it gives Twilio from them. Every one is `POST`. This module
 * imports nothing, so the Lambda bundle and the Pulumi program can both use it.
 */

/** The WhatsApp webhook paths, keyed by what they are for. */
export const WEBHOOK_ROUTES = {
  incoming: "/whatsapp/incoming",
  fallback: "/whatsapp/fallback",
  status: "/whatsapp/status",
} as const;

/** A WhatsApp webhook route's name (a key of {@link WEBHOOK_ROUTES}). */
export type WebhookRoute = keyof typeof WEBHOOK_ROUTES;

/** The path Twilio's usage triggers call (spending alerts), served only with an alert topic. */
export const USAGE_ROUTE = "/twilio/usage";

/** The path an agent's tool posts to give a conversation back to the bot (signed like Twilio's). */
export const HANDOFF_RELEASE_ROUTE = "/handoff/release";

import * as pulumi from "@pulumi/pulumi";

/** The webhook routes Twilio calls, keyed by what they are for. Every one is `POST`. */
export const WEBHOOK_ROUTES = {
  incoming: "/whatsapp/incoming",
  fallback: "/whatsapp/fallback",
  status: "/whatsapp/status",
} as const;

/** The route Twilio's usage triggers call (spending alerts), served only with an alert topic. */
export const USAGE_ROUTE_PATH = "/twilio/usage";

/** A key of {@link WEBHOOK_ROUTES}. */
export type WebhookRoute = keyof typeof WEBHOOK_ROUTES;

/** The public URL of each webhook route. */
export type WebhookUrls = { readonly [K in WebhookRoute]: pulumi.Output<string> };

/**
 * The exact URLs Twilio is told to call: the public base URL (the HTTP API endpoint, no trailing
 * slash; the `$default` stage adds no path segment) plus each route. The Lambda rebuilds the same
 * string from PUBLIC_BASE_URL and the request's raw path, so the signatures match.
 */
export function webhookUrls(publicBaseUrl: pulumi.Input<string>): WebhookUrls {
  return {
    incoming: pulumi.interpolate`${publicBaseUrl}${WEBHOOK_ROUTES.incoming}`,
    fallback: pulumi.interpolate`${publicBaseUrl}${WEBHOOK_ROUTES.fallback}`,
    status: pulumi.interpolate`${publicBaseUrl}${WEBHOOK_ROUTES.status}`,
  };
}

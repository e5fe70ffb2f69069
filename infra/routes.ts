import * as pulumi from "@pulumi/pulumi";

import {
  HANDOFF_RELEASE_ROUTE,
  USAGE_ROUTE,
  WEBHOOK_ROUTES,
  type WebhookRoute,
} from "../lambda/routes";

// The paths are the Lambda's: one definition serves the API routes, the URLs and the router.
export { HANDOFF_RELEASE_ROUTE, USAGE_ROUTE, WEBHOOK_ROUTES, type WebhookRoute };

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

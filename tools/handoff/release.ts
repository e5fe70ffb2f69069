// Deep import, as the Lambda does: the same module signs here and verifies there.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { HANDOFF_RELEASE_ROUTE } from "../../lambda/routes";

/** A signed release request, ready to POST. */
export interface SignedRelease {
  /** The route's full URL. */
  url: string;
  /** The form body. */
  body: string;
  /** Headers, X-Twilio-Signature included. */
  headers: Record<string, string>;
}

/**
 * Builds `POST /handoff/release` for one user, signed with the stack's auth token in Twilio's
 * X-Twilio-Signature scheme (HMAC-SHA1 of the URL and the sorted fields), with the signing time so
 * the route can refuse an old copy.
 */
export function signRelease(
  apiEndpoint: string,
  to: string,
  authToken: string,
  now: Date,
): SignedRelease {
  const url = `${apiEndpoint.replace(/\/+$/, "")}${HANDOFF_RELEASE_ROUTE}`;
  const params = { To: to, Timestamp: String(Math.floor(now.getTime() / 1000)) };
  return {
    url,
    body: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": getExpectedTwilioSignature(authToken, url, params),
    },
  };
}

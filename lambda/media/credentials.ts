import type { AuthTokenSource } from "../authToken";
import type { OutboundCredentialsSource } from "../outbound/credentials";
import { MediaFetchError } from "./download";
import { basicAuth } from "./twilioHost";

/**
 * The `Authorization` value for a media URL of account `accountSid` (the `AC…` in its path). A
 * source that holds credentials for one account only rejects any other, so nothing is sent to a
 * URL of an account the stack does not own.
 */
export type MediaCredentials = (accountSid: string) => Promise<string>;

/**
 * The webhook's credentials: the account SID and its auth token. The URL's account is the one whose
 * auth token signed the webhook, so it is the user name as it stands.
 */
export function authTokenCredentials(authToken: AuthTokenSource): MediaCredentials {
  return async (accountSid) => basicAuth(accountSid, await authToken());
}

/**
 * The queued worker's credentials: the send path's API key (it cannot read the auth token). Twilio
 * accepts an API key's SID and secret as HTTP Basic credentials on its APIs, and recommends them
 * over the auth token (https://www.twilio.com/docs/usage/requests-to-twilio#authentication); a media
 * URL is a REST API resource (`/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media/{Sid}`,
 * https://www.twilio.com/docs/messaging/api/media-resource) and takes them alike. The key belongs to
 * one account, so a URL naming another is refused before anything is fetched.
 */
export function apiKeyCredentials(source: OutboundCredentialsSource): MediaCredentials {
  return async (accountSid) => {
    const credentials = await source.get();
    if (credentials.accountSid !== accountSid) {
      throw new MediaFetchError(
        `media URL names account ${accountSid}, not the stack's account ${credentials.accountSid}`,
      );
    }
    return basicAuth(credentials.apiKeySid, credentials.apiKeySecret);
  };
}

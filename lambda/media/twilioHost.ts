/**
 * Which URLs may receive the account's credentials. Twilio's MediaUrl is on api.twilio.com and
 * answers with a redirect to a short-lived CDN URL that needs none; sending the credentials there,
 * or anywhere but Twilio's own API hosts, would hand them to a third party.
 */

/** Where credentials may go and which schemes a fetch may use. */
export interface HostRules {
  /** Whether this URL may be sent the account's credentials (and so be fetched first). */
  mayAuthenticate(url: URL): boolean;
  /** Whether a plain-http hop is allowed (the local twin only; Twilio and its CDN use https). */
  allowHttp: boolean;
}

/** Twilio's API hosts: `api.twilio.com` and any `*.twilio.com`, over https only. */
export function isTwilioApiUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return url.protocol === "https:" && (host === "twilio.com" || host.endsWith(".twilio.com"));
}

/** The rules the deployed bot uses. */
export const TWILIO_HOST_RULES: HostRules = { mayAuthenticate: isTwilioApiUrl, allowHttp: false };

/** The ids in a media URL's path: `/2010-04-01/Accounts/AC…/Messages/MM…/Media/ME…`. */
export interface MediaPath {
  /** The account the message belongs to (`AC…`): the Basic auth user name. */
  accountSid: string;
  /** The message (`MM…`/`SM…`). */
  messageSid: string;
  /** The media item (`ME…`). */
  mediaSid: string;
}

const MEDIA_PATH =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/([A-Z]{2}[0-9a-fA-F]{32})\/Media\/(ME[0-9a-fA-F]{32})(?:\.json)?$/;

/** The ids in a Twilio media URL, or undefined when its path is not a media resource's. */
export function parseMediaPath(url: URL): MediaPath | undefined {
  const match = MEDIA_PATH.exec(url.pathname);
  return match ? { accountSid: match[1], messageSid: match[2], mediaSid: match[3] } : undefined;
}

/**
 * The REST resource to DELETE a media item: `/2010-04-01/Accounts/{AccountSid}/Messages/
 * {MessageSid}/Media/{Sid}.json` on the media URL's own host
 * (https://www.twilio.com/docs/messaging/api/media-resource#delete-a-media-resource).
 */
export function mediaResourceUrl(url: URL, path: MediaPath): URL {
  return new URL(
    `/2010-04-01/Accounts/${path.accountSid}/Messages/${path.messageSid}/Media/${path.mediaSid}.json`,
    url.origin,
  );
}

/** An HTTP Basic `Authorization` header value. */
export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

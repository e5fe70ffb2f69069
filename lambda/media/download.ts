import { Readable, Transform } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { HostRules } from "./twilioHost";

/** Raised when an item is, or turns out while streaming to be, larger than the limit. */
export class MediaTooLargeError extends Error {
  /** The limit in bytes. */
  readonly maxBytes: number;
  constructor(maxBytes: number, seen: string) {
    super(`media is larger than the ${maxBytes}-byte limit (${seen})`);
    this.name = "MediaTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/** Raised when the media cannot be fetched: an HTTP error, a refused URL, too many redirects. */
export class MediaFetchError extends Error {
  /** The HTTP status that ended the fetch, when there was one. */
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message);
    this.name = "MediaFetchError";
    this.status = status;
  }
}

/** An item being downloaded: its bytes as a stream, and its length when the server gave one. */
export interface FetchedMedia {
  /** The body; it fails with {@link MediaTooLargeError} past the limit, whatever the length said. */
  body: Readable;
  /** `Content-Length`, when sent (and not over the limit). */
  length?: number;
}

/** How to download one item. */
export interface DownloadOptions {
  /** The `Authorization` value sent to the first URL only, and only when the rules allow it. */
  authorization: string;
  /** Where credentials may go, and whether plain http is allowed. */
  rules: HostRules;
  /** Largest body accepted. */
  maxBytes: number;
  /** Aborts the download (the reply's deadline). */
  signal?: AbortSignal;
  /** The fetch implementation (tests count calls through it). */
  fetch?: typeof fetch;
  /** Redirects followed at most. */
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Opens a Twilio media URL. Redirects are followed by hand rather than by fetch, so what each hop
 * carries is decided here: the credentials go to the media URL itself, which must be one the rules
 * trust (a Twilio API host), and never to any hop after it. Twilio's media URL answers 307 with a
 * short-lived CDN URL that needs no credentials
 * (https://www.twilio.com/docs/messaging/api/media-resource#fetch-media-file), so a redirect back
 * to a Twilio host gets none either: a request never carries them after its first hop.
 */
export async function downloadMedia(url: string, options: DownloadOptions): Promise<FetchedMedia> {
  const fetchImpl = options.fetch ?? fetch;
  const maxRedirects = options.maxRedirects ?? 3;
  let current = new URL(url);
  if (!options.rules.mayAuthenticate(current)) {
    // Nothing is fetched: the URL came in a signed webhook, so a foreign host here is a misconfigured
    // stand-in or a forged field, and following it would make the bot a proxy.
    throw new MediaFetchError(`media URL host ${current.host} is not a Twilio API host`);
  }
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const scheme = current.protocol;
    if (scheme !== "https:" && !(scheme === "http:" && options.rules.allowHttp)) {
      throw new MediaFetchError(`refusing a ${scheme} media URL (https only)`);
    }
    const headers: Record<string, string> =
      hop === 0 ? { authorization: options.authorization } : {};
    const response = await fetchImpl(current, {
      method: "GET",
      headers,
      redirect: "manual",
      signal: options.signal,
    });
    if (REDIRECTS.has(response.status)) {
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) throw new MediaFetchError("redirect without a Location", response.status);
      current = new URL(location, current);
      continue;
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new MediaFetchError(`media host answered ${response.status}`, response.status);
    }
    const declared = response.headers.get("content-length");
    const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : undefined;
    if (length !== undefined && length > options.maxBytes) {
      await response.body.cancel();
      throw new MediaTooLargeError(options.maxBytes, `Content-Length ${length}`);
    }
    const source = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    const body = limitBytes(options.maxBytes);
    // pipe() forwards data, not failures: an aborted download must fail the body too, and a body
    // given up on must stop the download.
    source.on("error", (err) => body.destroy(err));
    body.on("close", () => source.destroy());
    source.pipe(body);
    return { body, length };
  }
  throw new MediaFetchError(`more than ${maxRedirects} redirects`);
}

/** A pass-through that fails once more than `maxBytes` went through it. */
export function limitBytes(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(new MediaTooLargeError(maxBytes, `${seen} bytes streamed`));
      else done(null, chunk);
    },
  });
}

/** Reads a stream to the end into one buffer (for a body of unknown length, already limited). */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

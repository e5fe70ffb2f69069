import type { Readable } from "node:stream";

/** One object to write. */
export interface MediaObject {
  /** The object key. */
  key: string;
  /** The bytes: a stream of known length, or a buffer. */
  body: Readable | Buffer;
  /** The length in bytes (S3 needs it up front for a stream). */
  length: number;
  /** `Content-Type` stored with the object: the type Twilio reported. */
  contentType: string;
}

/** Where media is kept: the stack's S3 bucket, or a stand-in locally. Writes only, by design. */
export interface MediaBucket {
  /** Writes (or overwrites) one object; `signal` aborts the write. */
  put(object: MediaObject, signal?: AbortSignal): Promise<void>;
}

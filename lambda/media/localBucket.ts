import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import type { MediaBucket, MediaObject } from "./bucket";
import { readAll } from "./download";

/** A stored object as the stand-ins keep it. */
export interface StoredObject {
  /** The bytes. */
  body: Buffer;
  /** The content type it was written with. */
  contentType: string;
}

async function bytesOf(body: Readable | Buffer): Promise<Buffer> {
  return Buffer.isBuffer(body) ? body : readAll(body);
}

/** Fails like S3 does when a body's length is not the declared one. */
function checkLength(object: MediaObject, body: Buffer): void {
  if (body.length !== object.length) {
    throw new Error(`body is ${body.length} bytes, ${object.length} declared`);
  }
}

/** An in-memory bucket for tests: objects by key. */
export class MemoryMediaBucket implements MediaBucket {
  /** Every object written, by key. */
  readonly objects = new Map<string, StoredObject>();

  /** @inheritdoc */
  async put(object: MediaObject, signal?: AbortSignal): Promise<void> {
    const body = await bytesOf(object.body);
    signal?.throwIfAborted();
    checkLength(object, body);
    this.objects.set(object.key, { body, contentType: object.contentType });
  }
}

/**
 * A directory standing in for the bucket under `npm start`: each key is a file below `root`, so
 * what the bot stored can be opened. The content type is not kept (a file has none).
 */
export class DirectoryMediaBucket implements MediaBucket {
  /** The directory objects are written under. */
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file a key is stored in; a key that would leave the directory is refused. */
  pathOf(key: string): string {
    const path = resolve(this.root, ...key.split("/"));
    if (!path.startsWith(this.root + sep))
      throw new Error(`key ${key} leaves the bucket directory`);
    return path;
  }

  /** @inheritdoc */
  async put(object: MediaObject, signal?: AbortSignal): Promise<void> {
    const path = this.pathOf(object.key);
    const body = await bytesOf(object.body);
    signal?.throwIfAborted();
    checkLength(object, body);
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed, so a reader never sees half an object (as with S3).
    const partial = join(dirname(path), `.${basename(path)}.partial`);
    await writeFile(partial, body);
    await rename(partial, path);
  }
}

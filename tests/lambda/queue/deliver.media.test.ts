import { expect } from "@jest/globals";
import { PutObjectCommand, S3Client, type PutObjectCommandInput } from "@aws-sdk/client-s3";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import type { Readable } from "node:stream";
import type { Bot } from "../../../lambda/bot";
import { LOCAL_TWILIO } from "../../../lambda/local/defaults";
import { startLocalMediaHost, type LocalMediaHost } from "../../../lambda/local/mediaHost";
import type { MediaItem } from "../../../lambda/message";
import { apiKeyCredentials } from "../../../lambda/media/credentials";
import { readAll } from "../../../lambda/media/download";
import { DEFAULT_MEDIA_LIMITS } from "../../../lambda/media/limits";
import { s3MediaBucket } from "../../../lambda/media/s3Bucket";
import { createMediaStep } from "../../../lambda/media/storeMedia";
import { basicAuth } from "../../../lambda/media/twilioHost";
import { staticOutboundCredentials } from "../../../lambda/outbound/credentials";
import { encodeJob, type ReplyJob } from "../../../lambda/queue/job";
import { MemoryStore } from "../../../lambda/store/memory";
import { createWorker } from "../../../lambda/worker";
import { mediaParams, sid } from "../../helpers/events";
import { RecordingOutbound, recordingLogger } from "../../helpers/outbound";

const s3 = mockClient(S3Client);
const T0 = new Date("2026-11-26T10:00:00Z").getTime();
const PHOTO = Buffer.from("a queued photo ".repeat(50));
const API_KEY_AUTH = basicAuth(LOCAL_TWILIO.apiKeySid, LOCAL_TWILIO.apiKeySecret);

/** A store whose next commits can be made to fail, and which notes what the twin had deleted then. */
class CommitWatchingStore extends MemoryStore {
  failNextCommits = 0;
  readonly deletedAtCommit: number[] = [];
  constructor(private readonly twin: LocalMediaHost) {
    super();
  }
  override async commitReply(...args: Parameters<MemoryStore["commitReply"]>) {
    this.deletedAtCommit.push(this.twin.deleted.length);
    if (this.failNextCommits > 0) {
      this.failNextCommits--;
      throw new Error("ProvisionedThroughputExceededException");
    }
    return super.commitReply(...args);
  }
}

function event(body: string): SQSEvent {
  return {
    Records: [{ messageId: "m0", body, attributes: { ApproximateReceiveCount: "1" } }],
  } as unknown as SQSEvent;
}

describe("the queued worker's media step", () => {
  let twin: LocalMediaHost;
  let puts: { key: string; body: Buffer }[];

  beforeAll(async () => {
    twin = await startLocalMediaHost();
  });
  afterAll(() => twin.close());
  beforeEach(() => {
    puts = [];
    s3.reset();
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      puts.push({ key: input.Key as string, body: await readAll(input.Body as Readable) });
      return {};
    });
  });

  function setup(deleteFromTwilio = true) {
    const store = new CommitWatchingStore(twin);
    const outbound = new RecordingOutbound();
    const { logger, logs } = recordingLogger();
    const seen: (readonly MediaItem[])[] = [];
    const bot: Bot = async (message) => {
      if ("media" in message) seen.push(message.media);
      return { messages: [{ body: "gracias" }] };
    };
    const media = createMediaStep({
      bucket: s3MediaBucket("media-bucket", new S3Client({ region: "eu-west-1" })),
      credentials: apiKeyCredentials(staticOutboundCredentials(LOCAL_TWILIO)),
      limits: DEFAULT_MEDIA_LIMITS,
      deleteFromTwilio,
      rules: twin.rules,
      logger,
    });
    const worker = createWorker({ store, outbound, bot, logger, errorReply: "perdona", media });
    return { store, outbound, logs, seen, worker };
  }

  function photoJob(
    url?: string,
    messageSid = sid("MM"),
  ): { job: ReplyJob; messageSid: string; mediaSid?: string } {
    const mediaUrl = url ?? twin.add(messageSid, PHOTO, "image/jpeg");
    const job: ReplyJob = {
      v: 1,
      params: mediaParams([{ contentType: "image/jpeg", url: mediaUrl }], "", {
        MessageSid: messageSid,
      }),
      conversationId: "wa:34600111222",
      receivedAt: T0,
    };
    return { job, messageSid, mediaSid: /\/Media\/(ME[0-9a-f]{32})$/.exec(mediaUrl)?.[1] };
  }

  test("copies the photo with the API key, shows the bot its key, and deletes it from Twilio after the commit", async () => {
    const s = setup();
    const { job, messageSid, mediaSid } = photoJob();
    const before = twin.requests.length;
    expect(await s.worker(event(encodeJob(job)))).toEqual({ batchItemFailures: [] });

    const key = `wa:34600111222/${messageSid}/0.jpg`;
    expect(puts).toEqual([{ key, body: PHOTO }]);
    expect(s.seen).toEqual([[{ kind: "image", contentType: "image/jpeg", key }]]);
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["gracias"]);
    const requests = twin.requests.slice(before);
    // The API key to Twilio's host (GET, then DELETE), nothing to the CDN, never the auth token.
    expect(requests.map((r) => [r.server, r.method, r.authorization])).toEqual([
      ["twilio", "GET", API_KEY_AUTH],
      ["cdn", "GET", undefined],
      ["twilio", "DELETE", API_KEY_AUTH],
    ]);
    expect(s.store.deletedAtCommit).toEqual([twin.deleted.length - 1]);
    expect(twin.deleted.at(-1)).toBe(mediaSid);
  });

  test("a redelivery after a failed commit stores under the same key, and only the committed attempt deletes", async () => {
    const s = setup();
    const { job, messageSid, mediaSid } = photoJob();
    const deletedBefore = twin.deleted.length;
    s.store.failNextCommits = 1;
    expect(await s.worker(event(encodeJob(job)))).toEqual({
      batchItemFailures: [{ itemIdentifier: "m0" }],
    });
    const key = `wa:34600111222/${messageSid}/0.jpg`;
    expect(puts.map((p) => p.key)).toEqual([key]);
    // Not committed: Twilio keeps the item, so the retry can fetch it.
    expect(twin.deleted.length).toBe(deletedBefore);
    expect(s.outbound.sent).toEqual([]);

    expect(await s.worker(event(encodeJob(job)))).toEqual({ batchItemFailures: [] });
    expect(puts.map((p) => p.key)).toEqual([key, key]);
    expect(puts[1].body).toEqual(PHOTO);
    expect(s.store.deletedAtCommit).toEqual([deletedBefore, deletedBefore]);
    expect(twin.deleted.slice(deletedBefore)).toEqual([mediaSid]);
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["gracias"]);

    // A third delivery finds the committed reply: no turn, no fetch, no copy, no second send.
    const before = twin.requests.length;
    expect(await s.worker(event(encodeJob(job)))).toEqual({ batchItemFailures: [] });
    expect(twin.requests.length).toBe(before);
    expect(puts).toHaveLength(2);
    expect(s.outbound.sent).toHaveLength(1);
  });

  test("a media URL of another account gets no request: the key is the stack's account's only", async () => {
    const s = setup();
    const messageSid = sid("MM");
    const foreign = `${twin.url}/2010-04-01/Accounts/AC${"b".repeat(32)}/Messages/${messageSid}/Media/ME${"1".repeat(32)}`;
    const { job } = photoJob(foreign, messageSid);
    const before = twin.requests.length;
    expect(await s.worker(event(encodeJob(job)))).toEqual({ batchItemFailures: [] });
    expect(twin.requests.length).toBe(before);
    expect(puts).toEqual([]);
    expect(s.seen).toEqual([[{ kind: "image", contentType: "image/jpeg", notStored: "failed" }]]);
  });

  test("the copy is bounded by the worker's remaining time, and the reply still goes", async () => {
    const s = setup(false);
    const messageSid = sid("MM");
    const slow = twin.add(messageSid, PHOTO, "image/jpeg", { delayMs: 5_000 });
    const { job } = photoJob(slow, messageSid);
    // 10.3 s left: the copy gets 300 ms after the worker's 10 s reserve.
    const response = await s.worker(event(encodeJob(job)), {
      getRemainingTimeInMillis: () => 10_300,
    });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s.seen).toEqual([[{ kind: "image", contentType: "image/jpeg", notStored: "failed" }]]);
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["gracias"]);
    expect(s.logs).toContainEqual(
      expect.objectContaining({ msg: "media not stored", aborted: true }),
    );
  });
});

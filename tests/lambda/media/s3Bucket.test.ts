import { PutObjectCommand, S3Client, type PutObjectCommandInput } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { Readable } from "node:stream";
import { readAll } from "../../../lambda/media/download";
import { s3MediaBucket } from "../../../lambda/media/s3Bucket";

// One mock for the file: a second mockClient(S3Client) would replace the first's stub.
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

describe("the S3 media bucket", () => {
  test("puts one object with the key, the content type and the length, streaming the body", async () => {
    let received: Buffer | undefined;
    s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
      received = await readAll(input.Body as Readable);
      return {};
    });
    const bytes = Buffer.from("a streamed image");
    await s3MediaBucket("media-bucket", new S3Client({ region: "eu-west-1" })).put({
      key: "wa:34600111222/MM0/0.jpg",
      body: Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]),
      length: bytes.length,
      contentType: "image/jpeg",
    });
    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls).toHaveLength(1);
    const { Body: _body, ...input } = calls[0].args[0].input;
    expect(input).toEqual({
      Bucket: "media-bucket",
      Key: "wa:34600111222/MM0/0.jpg",
      ContentLength: bytes.length,
      ContentType: "image/jpeg",
    });
    expect(received).toEqual(bytes);
  });

  test("an S3 failure reaches the caller", async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    await expect(
      s3MediaBucket("media-bucket", new S3Client({ region: "eu-west-1" })).put({
        key: "k",
        body: Buffer.from("x"),
        length: 1,
        contentType: "image/jpeg",
      }),
    ).rejects.toThrow("denied");
  });
});

describe("the media step writing to S3", () => {
  test("streams a download from the local twin into one PutObject", async () => {
    const { startLocalMediaHost } = await import("../../../lambda/local/mediaHost");
    const { createMediaStep } = await import("../../../lambda/media/storeMedia");
    const { DEFAULT_MEDIA_LIMITS } = await import("../../../lambda/media/limits");
    const { LOCAL_AUTH_TOKEN } = await import("../../../lambda/local/defaults");
    const { silentLogger } = await import("../../../lambda/logger");
    const twin = await startLocalMediaHost();
    try {
      const bodies: Buffer[] = [];
      s3.on(PutObjectCommand).callsFake(async (input: PutObjectCommandInput) => {
        bodies.push(await readAll(input.Body as Readable));
        return {};
      });
      const audio = Buffer.from("OggS opus audio ".repeat(200));
      const messageSid = `MM${"5".repeat(32)}`;
      const step = createMediaStep({
        bucket: s3MediaBucket("media-bucket", new S3Client({ region: "eu-west-1" })),
        authToken: async () => LOCAL_AUTH_TOKEN,
        limits: DEFAULT_MEDIA_LIMITS,
        deleteFromTwilio: false,
        rules: twin.rules,
        logger: silentLogger,
      });
      const url = twin.add(messageSid, audio, "audio/ogg");
      const { message } = await step(
        {
          kind: "audio",
          messageSid,
          from: { address: "whatsapp:+34600111222", waId: "34600111222" },
          to: "",
          body: "",
          media: [{ kind: "audio", contentType: "audio/ogg", url }],
        },
        "wa:34600111222",
      );
      expect("media" in message && message.media[0].key).toBe(`wa:34600111222/${messageSid}/0.ogg`);
      const [call] = s3.commandCalls(PutObjectCommand);
      expect(call.args[0].input).toMatchObject({
        Bucket: "media-bucket",
        Key: `wa:34600111222/${messageSid}/0.ogg`,
        ContentType: "audio/ogg",
        ContentLength: audio.length,
      });
      expect(call.args[0].input.Body).toBeInstanceOf(Readable);
      expect(bodies).toEqual([audio]);
    } finally {
      await twin.close();
    }
  });
});

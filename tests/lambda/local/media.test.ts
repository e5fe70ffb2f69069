import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scripts } from "../../../lambda/botScript";
import {
  chatOnce,
  fakeSid,
  incomingParams,
  outboxReply,
  parseChatLine,
  postSigned,
  stageMedia,
  storedKeys,
  type ChatOptions,
} from "../../../lambda/local/chat";
import { LOCAL_AUTH_TOKEN, LOCAL_TWILIO } from "../../../lambda/local/defaults";
import { startLocalMediaHost, type LocalMediaHost } from "../../../lambda/local/mediaHost";
import { startLocalServer, type LocalServer } from "../../../lambda/local/server";
import { silentLogger } from "../../../lambda/logger";
import { DirectoryMediaBucket } from "../../../lambda/media/localBucket";

describe("the local server with the media twin and a directory for a bucket", () => {
  let dir: string;
  let twin: LocalMediaHost;
  let local: LocalServer;
  let chat: ChatOptions;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "media-"));
    twin = await startLocalMediaHost();
    local = await startLocalServer({
      port: 0,
      logger: silentLogger,
      media: { bucket: new DirectoryMediaBucket(join(dir, "bucket")), rules: twin.rules },
    });
    chat = { serverUrl: local.url, authToken: LOCAL_AUTH_TOKEN, from: "whatsapp:+34611000009" };
  });

  afterAll(async () => {
    await Promise.all([local.close(), twin.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  /** What `npm run chat -- <line>` does with an attachment: stage it, send it, look for the key. */
  async function sendWithMedia(content: Parameters<typeof stageMedia>[0]) {
    const messageSid = fakeSid("MM");
    const staged = await stageMedia(content, twin.url, messageSid);
    const result = await postSigned(incomingParams(staged, chat, messageSid), chat);
    return {
      result,
      staged,
      messageSid,
      keys: storedKeys(staged, chat, messageSid, join(dir, "bucket")),
    };
  }

  test("a photo from a file is put on the twin, copied by the bot through the redirect, and its key shown", async () => {
    const file = join(dir, "photo.png");
    const bytes = Buffer.from("not really a png ".repeat(20));
    await writeFile(file, bytes);
    const { result, staged, messageSid, keys } = await sendWithMedia({
      media: [{ url: file, contentType: "image/jpeg" }],
    });
    expect(result.replies.map((r) => r.body)).toEqual([scripts.es.media.image.one]);
    // The file's extension wins over the command's default type.
    expect(staged.media?.[0].contentType).toBe("image/png");
    expect(staged.media?.[0].url).toMatch(
      new RegExp(
        `^${twin.url}/2010-04-01/Accounts/AC0{32}/Messages/${messageSid}/Media/ME[0-9a-f]{32}$`,
      ),
    );
    const key = `wa:34611000009/${messageSid}/0.png`;
    expect(keys).toEqual([key]);
    expect(await readFile(new DirectoryMediaBucket(join(dir, "bucket")).pathOf(key))).toEqual(
      bytes,
    );
    const cdn = twin.requests.filter((r) => r.server === "cdn");
    expect(cdn).toHaveLength(1);
    expect(cdn[0].authorization).toBeUndefined();
  });

  test("a type the bot does not take is refused politely, and no key is shown", async () => {
    const file = join(dir, "clip.mov");
    await writeFile(file, "moov");
    const { result, keys } = await sendWithMedia({
      media: [{ url: file, contentType: "video/quicktime" }],
    });
    expect(result.replies.map((r) => r.body)).toEqual([scripts.es.media.typeNotAllowed]);
    expect(keys).toEqual([undefined]);
  });

  test("an attachment from an http URL is fetched (without credentials) and staged with the type it was served as", async () => {
    const pdf = Buffer.from("%PDF-1.7 a document");
    const seen: (string | undefined)[] = [];
    const source = createServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.url === "/doc.pdf")
        res.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(source.address() as AddressInfo).port}`;
    try {
      const { result, messageSid, keys } = await sendWithMedia({
        media: [{ url: `${origin}/doc.pdf`, contentType: "image/jpeg" }],
      });
      expect(result.replies.map((r) => r.body)).toEqual([scripts.es.media.document.one]);
      expect(keys).toEqual([`wa:34611000009/${messageSid}/0.pdf`]);
      await expect(
        stageMedia(
          { media: [{ url: `${origin}/missing`, contentType: "image/jpeg" }] },
          twin.url,
          messageSid,
        ),
      ).rejects.toThrow("answered 404");
      expect(seen).toEqual([undefined, undefined]);
    } finally {
      source.close();
    }
  });
});

describe("the local server in queued mode with the media twin", () => {
  let dir: string;
  let twin: LocalMediaHost;
  let local: LocalServer;
  let chat: ChatOptions;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "media-queued-"));
    twin = await startLocalMediaHost();
    local = await startLocalServer({
      port: 0,
      logger: silentLogger,
      replyMode: "queued",
      media: {
        bucket: new DirectoryMediaBucket(join(dir, "bucket")),
        rules: twin.rules,
        deleteFromTwilio: true,
      },
    });
    chat = { serverUrl: local.url, authToken: LOCAL_AUTH_TOKEN, from: "whatsapp:+34611000010" };
  });

  afterAll(async () => {
    await Promise.all([local.close(), twin.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  test("`/image <file>` is copied by the worker with the API key, its key shown, and deleted from the twin after the reply", async () => {
    const file = join(dir, "photo.jpg");
    const bytes = Buffer.from("a jpeg for the worker ".repeat(20));
    await writeFile(file, bytes);
    const messageSid = fakeSid("MM");
    const staged = await stageMedia(parseChatLine(`/image ${file}`), twin.url, messageSid);
    const { result, sent } = await chatOnce(staged, chat, undefined, messageSid);
    expect(result.replies).toEqual([]);
    expect(sent.map(outboxReply).map((r) => r.body)).toEqual([scripts.es.media.image.one]);
    const key = `wa:34611000010/${messageSid}/0.jpg`;
    expect(storedKeys(staged, chat, messageSid, join(dir, "bucket"))).toEqual([key]);
    expect(await readFile(new DirectoryMediaBucket(join(dir, "bucket")).pathOf(key))).toEqual(
      bytes,
    );
    const apiKey = `Basic ${Buffer.from(`${LOCAL_TWILIO.apiKeySid}:${LOCAL_TWILIO.apiKeySecret}`).toString("base64")}`;
    // Everything but staging the file on the twin.
    const media = twin.requests.filter((r) => !r.path.startsWith("/local/"));
    expect(media.map((r) => [r.server, r.method, r.authorization])).toEqual([
      ["twilio", "GET", apiKey],
      ["cdn", "GET", undefined],
      ["twilio", "DELETE", apiKey],
    ]);
    expect(twin.deleted).toHaveLength(1);
    expect(local.replyQueue?.deadLetters).toEqual([]);
  });
});

import { expect } from "@jest/globals";
import { createJsonLogger, type Logger } from "../../../lambda/logger";
import { LOCAL_TWILIO, LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";
import { startLocalMediaHost, type LocalMediaHost } from "../../../lambda/local/mediaHost";
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from "../../../lambda/media/limits";
import { MemoryMediaBucket } from "../../../lambda/media/localBucket";
import { createMediaStep, type MediaStepDeps } from "../../../lambda/media/storeMedia";
import type { MediaKind, ReceivedMessage } from "../../../lambda/message";

const CONVERSATION = "wa:34600111222";
const MESSAGE = `MM${"3".repeat(32)}`;
const PNG = Buffer.from("png bytes ".repeat(100));
const PDF = Buffer.from("%PDF-1.7 ".repeat(40));

function message(media: { url: string; contentType: string; kind?: MediaKind }[]): ReceivedMessage {
  return {
    kind: media[0]?.kind ?? "image",
    messageSid: MESSAGE,
    from: { address: "whatsapp:+34600111222", waId: "34600111222" },
    to: "whatsapp:+14155238886",
    body: "",
    media: media.map((m) => ({ kind: m.kind ?? "image", contentType: m.contentType, url: m.url })),
  };
}

describe("the media step", () => {
  let twin: LocalMediaHost;
  let bucket: MemoryMediaBucket;
  let logs: Record<string, unknown>[];
  let logger: Logger;

  beforeEach(async () => {
    twin = await startLocalMediaHost();
    bucket = new MemoryMediaBucket();
    logs = [];
    logger = createJsonLogger({
      level: "debug",
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    });
  });
  afterEach(async () => {
    await twin.close();
  });

  const step = (overrides: Partial<MediaStepDeps> & { limits?: MediaLimits } = {}) =>
    createMediaStep({
      bucket,
      authToken: async () => LOCAL_AUTH_TOKEN,
      limits: DEFAULT_MEDIA_LIMITS,
      deleteFromTwilio: false,
      rules: twin.rules,
      logger,
      ...overrides,
    });

  test("stores each item under <conversation>/<MessageSid>/<n>.<ext> with Twilio's content type, and the bot sees keys, not URLs", async () => {
    const received = message([
      { url: twin.add(MESSAGE, PNG, "image/png"), contentType: "image/png" },
      {
        url: twin.add(MESSAGE, PDF, "application/pdf"),
        contentType: "application/pdf",
        kind: "document",
      },
    ]);
    const { message: seen } = await step()(received, CONVERSATION);
    expect("media" in seen && seen.media).toEqual([
      { kind: "image", contentType: "image/png", key: `${CONVERSATION}/${MESSAGE}/0.png` },
      {
        kind: "document",
        contentType: "application/pdf",
        key: `${CONVERSATION}/${MESSAGE}/1.pdf`,
      },
    ]);
    expect(JSON.stringify(seen)).not.toContain(twin.url);
    // Both items are copied at once, so they land in either order.
    expect(Object.fromEntries(bucket.objects)).toEqual({
      [`${CONVERSATION}/${MESSAGE}/0.png`]: { body: PNG, contentType: "image/png" },
      [`${CONVERSATION}/${MESSAGE}/1.pdf`]: { body: PDF, contentType: "application/pdf" },
    });
    // Info lines carry no key or URL: both hold the sender's number.
    const info = logs.filter((l) => l.level !== "debug");
    expect(info.filter((l) => l.msg === "media stored")).toHaveLength(2);
    expect(JSON.stringify(info)).not.toContain("34600111222");
    expect(JSON.stringify(logs)).not.toContain(LOCAL_AUTH_TOKEN);
  });

  test("a retried message overwrites its own objects instead of adding copies", async () => {
    const received = message([
      { url: twin.add(MESSAGE, PNG, "image/png"), contentType: "image/png" },
    ]);
    await step()(received, CONVERSATION);
    await step()(received, CONVERSATION);
    expect([...bucket.objects.keys()]).toEqual([`${CONVERSATION}/${MESSAGE}/0.png`]);
  });

  test("a type not allowed is refused without a request to Twilio, and logged", async () => {
    const received = message([
      {
        url: twin.add(MESSAGE, PNG, "video/quicktime"),
        contentType: "video/quicktime",
        kind: "video",
      },
    ]);
    const { message: seen } = await step()(received, CONVERSATION);
    expect("media" in seen && seen.media).toEqual([
      { kind: "video", contentType: "video/quicktime", notStored: "type-not-allowed" },
    ]);
    expect(twin.requests).toEqual([]);
    expect(bucket.objects.size).toBe(0);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "media refused", reason: "type-not-allowed" }),
    );
  });

  test("an item over the size limit is refused and logged, and the others are still stored", async () => {
    const received = message([
      { url: twin.add(MESSAGE, PNG, "image/png"), contentType: "image/png" },
      {
        url: twin.add(MESSAGE, PDF, "application/pdf"),
        contentType: "application/pdf",
        kind: "document",
      },
    ]);
    const limits = { ...DEFAULT_MEDIA_LIMITS, maxBytes: PDF.length };
    const { message: seen } = await step({ limits })(received, CONVERSATION);
    expect("media" in seen && seen.media.map((m) => m.notStored ?? m.key)).toEqual([
      "too-large",
      `${CONVERSATION}/${MESSAGE}/1.pdf`,
    ]);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: "media refused",
        reason: "too-large",
        item: 0,
      }),
    );
  });

  test("an item longer than it said while streaming is refused too", async () => {
    const received = message([
      { url: twin.add(MESSAGE, PNG, "image/png", { omitLength: true }), contentType: "image/png" },
    ]);
    const limits = { ...DEFAULT_MEDIA_LIMITS, maxBytes: 100 };
    const { message: seen } = await step({ limits })(received, CONVERSATION);
    expect("media" in seen && seen.media[0].notStored).toBe("too-large");
    expect(bucket.objects.size).toBe(0);
  });

  test("an item without a length is read (within the limit) and stored with its real length", async () => {
    const received = message([
      { url: twin.add(MESSAGE, PNG, "image/png", { omitLength: true }), contentType: "image/png" },
    ]);
    await step()(received, CONVERSATION);
    expect(bucket.objects.get(`${CONVERSATION}/${MESSAGE}/0.png`)?.body).toEqual(PNG);
  });

  test("a 404 and a slow host are reported as not stored, logged as errors, and nothing is written", async () => {
    const received = message([
      {
        url: `${twin.url}/2010-04-01/Accounts/${LOCAL_TWILIO.accountSid}/Messages/${MESSAGE}/Media/ME${"9".repeat(32)}`,
        contentType: "image/png",
      },
      { url: twin.add(MESSAGE, PNG, "image/png", { delayMs: 5_000 }), contentType: "image/png" },
    ]);
    const started = Date.now();
    const { message: seen } = await step()(received, CONVERSATION, AbortSignal.timeout(300));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect("media" in seen && seen.media.map((m) => m.notStored)).toEqual(["failed", "failed"]);
    expect(bucket.objects.size).toBe(0);
    const failures = logs.filter((l) => l.msg === "media not stored" && l.level === "error");
    expect(failures.map((l) => [l.item, l.aborted])).toEqual([
      [0, false],
      [1, true],
    ]);
  });

  test("with deleteTwilioMedia, copied items are deleted from Twilio only once the answer is stored", async () => {
    const kept = twin.add(MESSAGE, PNG, "image/png");
    const received = message([
      { url: kept, contentType: "image/png" },
      {
        url: twin.add(MESSAGE, PNG, "video/quicktime"),
        contentType: "video/quicktime",
        kind: "video",
      },
    ]);
    const stored = await step({ deleteFromTwilio: true })(received, CONVERSATION);
    expect(twin.deleted).toEqual([]);
    await stored.afterAnswer();
    // Only the copied item: the refused one was never fetched, so it is left where it is.
    expect(twin.deleted).toEqual([kept.split("/").pop()]);
    const deletes = twin.requests.filter((r) => r.method === "DELETE");
    expect(
      deletes.map((r) => [r.server, r.path.endsWith(".json"), r.authorization !== undefined]),
    ).toEqual([["twilio", true, true]]);
  });

  test("without deleteTwilioMedia nothing is deleted", async () => {
    const received = message([
      { url: twin.add(MESSAGE, PNG, "image/png"), contentType: "image/png" },
    ]);
    await (await step()(received, CONVERSATION)).afterAnswer();
    expect(twin.requests.filter((r) => r.method === "DELETE")).toEqual([]);
  });

  test("a message without media passes through untouched", async () => {
    const text: ReceivedMessage = {
      kind: "text",
      messageSid: `SM${"4".repeat(32)}`,
      from: { address: "whatsapp:+34600111222" },
      to: "",
      body: "hola",
    };
    expect((await step()(text, CONVERSATION)).message).toEqual(text);
    expect(twin.requests).toEqual([]);
  });
});

import { expect } from "@jest/globals";
import { createMenuBot } from "../../lambda/bot";
import { scripts } from "../../lambda/botScript";
import { createHandler } from "../../lambda/handler";
import { startLocalMediaHost, type LocalMediaHost } from "../../lambda/local/mediaHost";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { createJsonLogger } from "../../lambda/logger";
import { DEFAULT_MEDIA_LIMITS } from "../../lambda/media/limits";
import { MemoryMediaBucket } from "../../lambda/media/localBucket";
import { createMediaStep } from "../../lambda/media/storeMedia";
import { MemoryStore } from "../../lambda/store/memory";
import type { Store } from "../../lambda/store/store";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  mediaParams,
  sid,
  signedTwilioEvent,
} from "../helpers/events";

const PHOTO = Buffer.from("jpeg ".repeat(300));

describe("the webhook with incoming media", () => {
  let twin: LocalMediaHost;
  let bucket: MemoryMediaBucket;
  let logs: Record<string, unknown>[];

  beforeEach(async () => {
    twin = await startLocalMediaHost({ authToken: TEST_AUTH_TOKEN });
    bucket = new MemoryMediaBucket();
    logs = [];
  });
  afterEach(async () => {
    await twin.close();
  });

  function handler(
    options: { store?: Store; deleteFromTwilio?: boolean; language?: "es" | "en" } = {},
  ) {
    const logger = createJsonLogger({
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    });
    const authToken = async () => TEST_AUTH_TOKEN;
    return createHandler({
      store: options.store ?? new MemoryStore(),
      authToken,
      bot: createMenuBot({ language: options.language }),
      publicBaseUrl: TEST_BASE_URL,
      logger,
      media: createMediaStep({
        bucket,
        authToken,
        limits: DEFAULT_MEDIA_LIMITS,
        deleteFromTwilio: options.deleteFromTwilio ?? false,
        rules: twin.rules,
        logger,
      }),
    });
  }

  const replies = (body: string | undefined) => readTwimlReplies(body ?? "").map((r) => r.body);

  test("copies the photo before the bot answers, and the bot thanks the user", async () => {
    const messageSid = sid("MM");
    const params = mediaParams(
      [{ contentType: "image/jpeg", url: twin.add(messageSid, PHOTO, "image/jpeg") }],
      "",
      { MessageSid: messageSid },
    );
    const result = await handler()(signedTwilioEvent({ params }));
    expect(result.statusCode).toBe(200);
    expect(replies(result.body)).toEqual([scripts.es.media.image.one]);
    expect(bucket.objects.get(`wa:34600111222/${messageSid}/0.jpg`)?.body).toEqual(PHOTO);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: "media stored", bytes: PHOTO.length }),
    );
  });

  test("a repeat of the message is not fetched again: its twin already answered", async () => {
    const messageSid = sid("MM");
    const params = mediaParams(
      [{ contentType: "image/jpeg", url: twin.add(messageSid, PHOTO, "image/jpeg") }],
      "",
      { MessageSid: messageSid },
    );
    const webhook = handler();
    await webhook(signedTwilioEvent({ params }));
    const again = await webhook(signedTwilioEvent({ params }));
    expect(replies(again.body)).toEqual([]);
    expect(twin.requests.filter((r) => r.server === "twilio")).toHaveLength(1);
  });

  test("a type not allowed is refused politely, in the bot's language", async () => {
    const messageSid = sid("MM");
    const params = mediaParams(
      [{ contentType: "video/quicktime", url: twin.add(messageSid, PHOTO, "video/quicktime") }],
      "",
      { MessageSid: messageSid },
    );
    const result = await handler({ language: "en" })(signedTwilioEvent({ params }));
    expect(replies(result.body)).toEqual([scripts.en.media.typeNotAllowed]);
    expect(bucket.objects.size).toBe(0);
  });

  test("a slow media host never makes the answer miss its deadline: the item is reported as not stored", async () => {
    const messageSid = sid("MM");
    const params = mediaParams(
      [
        {
          contentType: "image/jpeg",
          url: twin.add(messageSid, PHOTO, "image/jpeg", { delayMs: 10_000 }),
        },
      ],
      "",
      { MessageSid: messageSid },
    );
    const started = Date.now();
    // 4.5 s left: 4 s after the response margin, so the copy gets 1 s (3 s kept for the rest).
    const result = await handler()(signedTwilioEvent({ params }), {
      getRemainingTimeInMillis: () => 4_500,
    });
    const elapsed = Date.now() - started;
    expect(result.statusCode).toBe(200);
    expect(replies(result.body)).toEqual([scripts.es.media.notStored]);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3_000);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: "error", msg: "media not stored", aborted: true }),
    );
  });

  test("with deleteTwilioMedia, the item is deleted from Twilio after the answer is stored", async () => {
    const messageSid = sid("MM");
    const url = twin.add(messageSid, PHOTO, "image/jpeg");
    const params = mediaParams([{ contentType: "image/jpeg", url }], "", {
      MessageSid: messageSid,
    });
    const store = new MemoryStore();
    const result = await handler({ store, deleteFromTwilio: true })(signedTwilioEvent({ params }));
    expect(result.statusCode).toBe(200);
    expect(twin.deleted).toEqual([url.split("/").pop()]);
    expect(await store.getAnswer(messageSid)).toBeDefined();
  });

  test("when the answer cannot be stored, nothing is deleted from Twilio, so a retry can fetch it again", async () => {
    const messageSid = sid("MM");
    const url = twin.add(messageSid, PHOTO, "image/jpeg");
    const params = mediaParams([{ contentType: "image/jpeg", url }], "", {
      MessageSid: messageSid,
    });
    const store = new MemoryStore();
    const failing: Store = Object.assign(Object.create(store) as Store, {
      commitAnswer: () => Promise.reject(new Error("DynamoDB unavailable")),
    });
    const first = await handler({ store: failing, deleteFromTwilio: true })(
      signedTwilioEvent({ params }),
    );
    expect(first.statusCode).toBe(500);
    expect(twin.deleted).toEqual([]);
    // Twilio's fallback call retries: the same key is written again, then the item is deleted.
    const retry = await handler({ store, deleteFromTwilio: true })(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(replies(retry.body)).toEqual([scripts.es.media.image.one]);
    expect([...bucket.objects.keys()]).toEqual([`wa:34600111222/${messageSid}/0.jpg`]);
    expect(twin.deleted).toEqual([url.split("/").pop()]);
  });
});

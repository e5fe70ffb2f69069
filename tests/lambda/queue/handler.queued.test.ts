import type { Bot } from "../../../lambda/bot";
import { createMenuBot } from "../../../lambda/bot";
import { scripts } from "../../../lambda/botScript";
import { createHandler } from "../../../lambda/handler";
import { InProcessReplyQueue } from "../../../lambda/local/replyQueue";
import { readTwimlReplies } from "../../../lambda/local/twimlText";
import type { QueueMessage } from "../../../lambda/queue/accept";
import { decodeJob } from "../../../lambda/queue/job";
import { MemoryStore } from "../../../lambda/store/memory";
import { createWorker } from "../../../lambda/worker";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  USER_ADDRESS,
  signedTwilioEvent,
  textParams,
} from "../../helpers/events";
import { RecordingOutbound, recordingLogger } from "../../helpers/outbound";

const T0 = new Date("2026-11-26T10:00:00Z").getTime();
const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function setup(options: { enqueueFails?: () => boolean; bot?: Bot } = {}) {
  const store = new MemoryStore();
  const queued: QueueMessage[] = [];
  let now = T0;
  let botCalls = 0;
  const menu = options.bot ?? createMenuBot();
  const { logger, logs } = recordingLogger();
  const handler = createHandler({
    store,
    authToken: async () => TEST_AUTH_TOKEN,
    bot: async (message, view) => {
      botCalls++;
      return menu(message, view);
    },
    publicBaseUrl: TEST_BASE_URL,
    clock: () => new Date(now),
    logger,
    enqueue: async (message) => {
      if (options.enqueueFails?.()) throw new Error("SQS is unavailable");
      queued.push(message);
    },
  });
  return {
    store,
    queued,
    logs,
    handler,
    botCalls: () => botCalls,
    advance: (ms: number) => (now += ms),
  };
}

describe("the webhook in queued mode", () => {
  test("answers an empty TwiML without running the bot, after queueing the verified message", async () => {
    const s = setup();
    const params = textParams("hola");
    const result = await s.handler(signedTwilioEvent({ params }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe(EMPTY);
    expect(s.botCalls()).toBe(0);
    expect(s.queued).toHaveLength(1);
    const [message] = s.queued;
    expect(message.groupId).toBe("wa:34600111222");
    expect(message.deduplicationId).toBe(params.MessageSid);
    expect(decodeJob(message.body)).toEqual({
      v: 1,
      params,
      conversationId: "wa:34600111222",
      receivedAt: T0,
    });
    // Recorded as inline mode records it, and the job is stored with the message.
    expect(await s.store.getConversation("wa:34600111222")).toMatchObject({
      inboundCount: 1,
      lastInboundAt: T0,
    });
    expect((await s.store.getAnswer(params.MessageSid))?.job).toBe(message.body);
  });

  test("hands the worker the conversation as it was before the message", async () => {
    const s = setup();
    await s.handler(signedTwilioEvent({ params: textParams("hola") }));
    s.advance(60_000);
    await s.handler(signedTwilioEvent({ params: textParams("1") }));
    const second = decodeJob(s.queued[1].body);
    expect(second.receivedAt).toBe(T0 + 60_000);
    expect(second.previous).toMatchObject({ inboundCount: 1, lastInboundAt: T0 });
  });

  test("queues a message once, however often the primary URL receives it", async () => {
    const s = setup();
    const params = textParams("hola");
    const results = await Promise.all(
      Array.from({ length: 4 }, () => s.handler(signedTwilioEvent({ params }))),
    );
    expect(results.map((r) => r.body)).toEqual([EMPTY, EMPTY, EMPTY, EMPTY]);
    expect(s.queued).toHaveLength(1);
    expect(s.logs.filter((l) => l.msg === "duplicate message ignored")).toHaveLength(3);
  });

  test("answers 500 when the queue refuses, and the fallback queues the very same job", async () => {
    let refuse = true;
    const s = setup({ enqueueFails: () => refuse });
    const params = textParams("hola");
    const first = await s.handler(signedTwilioEvent({ params }));
    expect(first.statusCode).toBe(500);
    expect(s.queued).toHaveLength(0);
    refuse = false;
    s.advance(15_000);
    const fallback = await s.handler(
      signedTwilioEvent({ params: { ...params, ErrorCode: "11200" }, path: "/whatsapp/fallback" }),
    );
    expect(fallback.statusCode).toBe(200);
    expect(fallback.body).toBe(EMPTY);
    expect(s.queued).toHaveLength(1);
    // The job stored by the first attempt, byte for byte: its time and conversation, not the fallback's.
    expect(s.queued[0].body).toBe((await s.store.getAnswer(params.MessageSid))?.job);
    expect(decodeJob(s.queued[0].body).receivedAt).toBe(T0);
    expect(s.queued[0].deduplicationId).toBe(params.MessageSid);
    expect(await s.store.getConversation("wa:34600111222")).toMatchObject({ inboundCount: 1 });
  });

  test("a message queued again by the fallback reaches the user once", async () => {
    const store = new MemoryStore();
    const outbound = new RecordingOutbound();
    let now = T0;
    const { logger } = recordingLogger();
    const worker = createWorker({
      store,
      outbound,
      bot: createMenuBot(),
      logger,
      errorReply: scripts.es.error,
    });
    // Past the FIFO deduplication window, so the queue itself lets the copy through.
    const queue = new InProcessReplyQueue(worker, { now: () => now });
    const handler = createHandler({
      store,
      authToken: async () => TEST_AUTH_TOKEN,
      bot: createMenuBot(),
      publicBaseUrl: TEST_BASE_URL,
      clock: () => new Date(now),
      logger,
      enqueue: queue.enqueue,
    });
    const params = textParams("1");
    await handler(signedTwilioEvent({ params }));
    await queue.idle();
    now += 10 * 60_000;
    await handler(signedTwilioEvent({ params, path: "/whatsapp/fallback" }));
    await queue.idle();
    expect(outbound.sent).toEqual([{ to: USER_ADDRESS, body: scripts.es.options[0].answer }]);
  });

  test("gives every message the same reply in both modes, opting out and back in included", async () => {
    const inlineStore = new MemoryStore();
    const inline = createHandler({
      store: inlineStore,
      authToken: async () => TEST_AUTH_TOKEN,
      bot: createMenuBot(),
      publicBaseUrl: TEST_BASE_URL,
      clock: () => new Date(T0),
    });
    const store = new MemoryStore();
    // Refuses opted-out users as the real send path does, so the order of the consent writes
    // around the sends is what is tested.
    const outbound = new RecordingOutbound(store);
    const queue = new InProcessReplyQueue(
      createWorker({
        store,
        outbound,
        bot: createMenuBot(),
        logger: recordingLogger().logger,
        errorReply: scripts.es.error,
      }),
    );
    const queued = createHandler({
      store,
      authToken: async () => TEST_AUTH_TOKEN,
      bot: createMenuBot(),
      publicBaseUrl: TEST_BASE_URL,
      clock: () => new Date(T0),
      enqueue: queue.enqueue,
    });
    const id = "wa:34600111222";
    const seen: { text: string; replies: string[]; optedOut: boolean }[] = [];
    for (const text of ["hola", "1", "BAJA", "hola", "ALTA", "menu"]) {
      const params = textParams(text);
      const answer = await inline(signedTwilioEvent({ params }));
      const sentBefore = outbound.sent.length;
      await queued(signedTwilioEvent({ params }));
      await queue.idle();
      const replies = readTwimlReplies(answer.body ?? "").map((r) => r.body);
      expect(outbound.sent.slice(sentBefore).map((m) => m.body)).toEqual(replies);
      const optedOut = (await store.getConversation(id))?.optedOutAt !== undefined;
      expect(optedOut).toBe((await inlineStore.getConversation(id))?.optedOutAt !== undefined);
      expect(await store.getConversation(id)).toMatchObject({
        recentMessages: (await inlineStore.getConversation(id))?.recentMessages,
      });
      seen.push({ text, replies, optedOut });
    }
    // The sequence did what it is meant to: a confirmation each way, silence while opted out.
    expect(seen.map((s) => [s.text, s.replies.length, s.optedOut])).toEqual([
      ["hola", 1, false],
      ["1", 1, false],
      ["BAJA", 1, true],
      ["hola", 0, true],
      ["ALTA", 1, false],
      ["menu", 1, false],
    ]);
    expect(seen[2].replies).toEqual([scripts.es.consent.optedOut]);
  });
});

import { expect } from "@jest/globals";
import type { SQSEvent } from "aws-lambda";
import type { Bot, BotReply } from "../../lambda/bot";
import { InProcessReplyQueue } from "../../lambda/local/replyQueue";
import { OptedOutError, TwilioSendError, WindowClosedError } from "../../lambda/outbound/errors";
import { encodeJob, type ReplyJob } from "../../lambda/queue/job";
import { MemoryStore } from "../../lambda/store/memory";
import { createWorker } from "../../lambda/worker";
import { USER_ADDRESS, textParams } from "../helpers/events";
import { RecordingOutbound, recordingLogger } from "../helpers/outbound";

const T0 = new Date("2026-11-26T10:00:00Z").getTime();
const SORRY = "Perdona, algo falló.";

function job(text: string, extra: Partial<ReplyJob> = {}): ReplyJob {
  return {
    v: 1,
    params: textParams(text),
    conversationId: "wa:34600111222",
    receivedAt: T0,
    ...extra,
  };
}

function event(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m${i}`,
      body,
      attributes: { ApproximateReceiveCount: "1" },
    })),
  } as unknown as SQSEvent;
}

/** A bot that answers each text with the given messages (or throws), counting its runs. */
function scriptedBot(answers: Record<string, BotReply | Error>) {
  const calls: string[] = [];
  const bot: Bot = async (message) => {
    calls.push(message.body);
    const answer = answers[message.body] ?? { messages: [{ body: `echo ${message.body}` }] };
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { bot, calls };
}

function setup(answers: Record<string, BotReply | Error> = {}) {
  const store = new MemoryStore();
  const outbound = new RecordingOutbound();
  const { bot, calls } = scriptedBot(answers);
  const { logger, logs } = recordingLogger();
  const worker = createWorker({ store, outbound, bot, logger, errorReply: SORRY });
  return { store, outbound, calls, logs, worker };
}

const TWO = { messages: [{ body: "uno" }, { body: "dos", mediaUrls: ["https://x.test/a.jpg"] }] };

describe("the reply worker", () => {
  test("runs the bot on the job and sends its messages in order to the sender", async () => {
    const s = setup({ hola: TWO });
    const response = await s.worker(event(encodeJob(job("hola"))));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(s.outbound.sent).toEqual([
      { to: USER_ADDRESS, body: "uno" },
      { to: USER_ADDRESS, body: "dos", mediaUrls: ["https://x.test/a.jpg"] },
    ]);
  });

  test("shows the bot the conversation as it was when the message arrived", async () => {
    const seen: unknown[] = [];
    const s = setup();
    const worker = createWorker({
      store: s.store,
      outbound: s.outbound,
      logger: recordingLogger().logger,
      errorReply: SORRY,
      bot: async (_message, view) => {
        seen.push(view);
        return { messages: [] };
      },
    });
    const previous = { id: "wa:34600111222", inboundCount: 3, lastInboundAt: T0 - 3600_000 };
    await worker(event(encodeJob(job("hola", { previous }))));
    expect(seen).toEqual([
      expect.objectContaining({
        now: new Date(T0),
        inboundCount: 4,
        isNewSession: false,
        previousInboundAt: new Date(T0 - 3600_000),
      }),
    ]);
    expect(s.outbound.calls).toBe(0);
  });

  test("sends the error reply when the bot throws", async () => {
    const s = setup({ hola: new Error("LLM down") });
    expect(await s.worker(event(encodeJob(job("hola"))))).toEqual({ batchItemFailures: [] });
    expect(s.outbound.sent).toEqual([{ to: USER_ADDRESS, body: SORRY }]);
  });

  test("sends nothing again when SQS delivers a finished job again, and does not rerun the bot", async () => {
    const s = setup({ hola: TWO });
    const body = encodeJob(job("hola"));
    await s.worker(event(body));
    await s.worker(event(body));
    await s.worker(event(body));
    expect(s.outbound.sent).toHaveLength(2);
    expect(s.calls).toEqual(["hola"]);
  });

  test("returns a job whose send failed as a batch failure, and the retry sends only what is missing", async () => {
    const s = setup({ hola: TWO });
    s.outbound.failWith = (n) => (n === 2 ? new Error("Twilio 503") : undefined);
    const body = encodeJob(job("hola"));
    expect(await s.worker(event(body))).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["uno"]);
    expect(await s.worker(event(body))).toEqual({ batchItemFailures: [] });
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["uno", "dos"]);
    expect(s.calls).toEqual(["hola"]);
  });

  test("does not send again a message whose earlier attempt died mid-send (at most once)", async () => {
    const s = setup({ hola: TWO });
    const j = job("hola");
    // An attempt committed the reply, claimed the first message and died before recording it.
    await s.store.commitAnswer(
      j.params.MessageSid as string,
      { token: "w", twiml: "", job: "" },
      new Date(T0),
    );
    await s.store.commitReply(
      j.params.MessageSid as string,
      { token: "dead", messages: TWO.messages },
      new Date(T0),
    );
    await s.store.claimReplyItem(j.params.MessageSid as string, 0, "dead", new Date(T0));
    expect(await s.worker(event(encodeJob(j)))).toEqual({ batchItemFailures: [] });
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["dos"]);
    expect(s.logs).toContainEqual(
      expect.objectContaining({ level: "error", msg: "reply outcome unknown", index: 0 }),
    );
    expect(s.calls).toEqual([]);
  });

  test.each([
    [
      "an opt-out",
      new OptedOutError("opted out", { refusedBy: "twilio", code: 21610 }),
      "OptedOutError",
    ],
    ["a closed window", new WindowClosedError("closed", { refusedBy: "bot" }), "WindowClosedError"],
  ])(
    "records %s as refused for good and goes on, without failing the job",
    async (_t, error, reason) => {
      const s = setup({ hola: TWO });
      s.outbound.failWith = (n) => (n === 1 ? error : undefined);
      const j = job("hola");
      expect(await s.worker(event(encodeJob(j)))).toEqual({ batchItemFailures: [] });
      expect(s.outbound.sent.map((m) => m.body)).toEqual(["dos"]);
      expect(
        (await s.store.getAnswer(j.params.MessageSid as string))?.reply?.items[0].outcome,
      ).toEqual({ kind: "refused", reason });
      // A redelivery does not try it again.
      await s.worker(event(encodeJob(j)));
      expect(s.outbound.calls).toBe(2);
    },
  );

  test("retries a send Twilio surely did not take (429), so the message still goes", async () => {
    const s = setup({ hola: TWO });
    s.outbound.failWith = (n) =>
      n === 1 ? new TwilioSendError("slow down", { status: 429, retryable: true }) : undefined;
    const body = encodeJob(job("hola"));
    expect(await s.worker(event(body))).toEqual({ batchItemFailures: [{ itemIdentifier: "m0" }] });
    expect(await s.worker(event(body))).toEqual({ batchItemFailures: [] });
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["uno", "dos"]);
  });

  test("does not send again a message whose send ended in doubt (a timeout): at most once", async () => {
    const s = setup({ hola: TWO });
    s.outbound.failWith = (n) =>
      n === 1 ? new TwilioSendError("no answer in time", { retryable: false }) : undefined;
    const body = encodeJob(job("hola"));
    expect(await s.worker(event(body))).toEqual({ batchItemFailures: [] });
    await s.worker(event(body));
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["dos"]);
    expect(s.outbound.calls).toBe(2);
    expect(s.logs).toContainEqual(
      expect.objectContaining({ level: "error", msg: "reply outcome unknown", index: 0 }),
    );
  });

  test("after a failed job, returns the rest of the batch unprocessed so a group keeps its order", async () => {
    const s = setup({ b: { messages: [{ body: "B" }] } });
    s.outbound.failWith = (_n, message) => (message.body === "B" ? new Error("503") : undefined);
    const response = await s.worker(
      event(encodeJob(job("a")), encodeJob(job("b")), encodeJob(job("c"))),
    );
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: "m1" }, { itemIdentifier: "m2" }],
    });
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["echo a"]);
  });

  test("fails a queue message that is not a job, so it ends in the dead-letter queue", async () => {
    const s = setup();
    expect(await s.worker(event("not json", '{"v":2}'))).toEqual({
      batchItemFailures: [{ itemIdentifier: "m0" }, { itemIdentifier: "m1" }],
    });
    expect(s.logs).toContainEqual(
      expect.objectContaining({
        msg: "reply job failed",
        error: expect.objectContaining({ name: "ReplyJobError" }),
      }),
    );
  });

  test("through the queue: a job that keeps failing moves to the dead letters after five deliveries", async () => {
    const s = setup();
    s.outbound.failWith = () => new Error("Twilio is down");
    const queue = new InProcessReplyQueue(s.worker);
    const body = encodeJob(job("hola"));
    await queue.enqueue({ body, groupId: "g", deduplicationId: "d1" });
    await queue.idle();
    expect(s.outbound.calls).toBe(5);
    expect(queue.deadLetters).toEqual([{ body, groupId: "g", deduplicationId: "d1" }]);
  });

  test("through the queue: one group's replies go out in the order the messages came", async () => {
    const s = setup();
    const queue = new InProcessReplyQueue(s.worker);
    s.outbound.failWith = (n) => (n === 1 ? new Error("once") : undefined);
    for (const text of ["a", "b", "c"]) {
      const j = job(text);
      await queue.enqueue({
        body: encodeJob(j),
        groupId: j.conversationId,
        deduplicationId: j.params.MessageSid as string,
      });
    }
    await queue.idle();
    expect(s.outbound.sent.map((m) => m.body)).toEqual(["echo a", "echo b", "echo c"]);
  });
});

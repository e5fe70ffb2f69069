import { incomingParams, postSigned } from "../lambda/local/chat";
import { LOCAL_AUTH_TOKEN, LOCAL_USER_ADDRESS } from "../lambda/local/defaults";
import { startLocalServer, type LocalServer } from "../lambda/local/server";
import { silentLogger } from "../lambda/logger";
import type { ReplyMode } from "../lambda/replyMode";
import { num, type Benchmark, type Table } from "./report";
import { msSince, summarize, type Summary } from "./stats";

/** Raised when a message gets no reply, or not the one inline mode gives. */
export class QueuedReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QueuedReplyError";
  }
}

/** How long one reply may take before the run counts it as lost. */
const REPLY_WAIT_MS = 5_000;

interface ModeRun {
  /** Request sent → the webhook's HTTP answer. */
  webhook: Summary;
  /** Request sent → the reply's text in hand (in TwiML inline; in the twin's REST sink queued). */
  delivered: Summary;
  /** Messages sent through the twin's REST API while timed. */
  restSends: number;
}

/**
 * Sends `count` messages one after another to a local server in `mode` and times each reply: in
 * `inline` mode it arrives in the webhook's TwiML; in `queued` mode the webhook answers an empty
 * TwiML and the reply arrives later in the local twin's REST sink (Messages.json → outbox).
 */
async function runMode(mode: ReplyMode, count: number, warmup: number): Promise<ModeRun> {
  const local: LocalServer = await startLocalServer({
    port: 0,
    host: "127.0.0.1",
    logger: silentLogger,
    authToken: LOCAL_AUTH_TOKEN,
    replyMode: mode,
  });
  const webhook: number[] = [];
  const delivered: number[] = [];
  let sendsBeforeTimed = 0;
  try {
    const options = { serverUrl: local.url, authToken: LOCAL_AUTH_TOKEN };
    for (let i = 0; i < warmup + count; i++) {
      // The menu's first option: one reply message, the same in both modes.
      if (i === warmup) sendsBeforeTimed = local.outbox.cursor;
      const params = incomingParams({ body: "1" }, { from: LOCAL_USER_ADDRESS });
      const cursor = local.outbox.cursor;
      const start = process.hrtime.bigint();
      const result = await postSigned(params, options);
      const answered = msSince(start);
      if (result.status !== 200) {
        throw new QueuedReplyError(`${mode}: the webhook answered ${result.status}`);
      }
      let replyAt = answered;
      if (mode === "queued") {
        if (result.replies.length > 0) throw new QueuedReplyError("queued mode answered TwiML");
        const read = await local.outbox.wait(cursor, LOCAL_USER_ADDRESS, REPLY_WAIT_MS);
        if (read.messages.length === 0) {
          throw new QueuedReplyError(`no queued reply within ${REPLY_WAIT_MS} ms`);
        }
        replyAt = msSince(start);
      } else if (result.replies.length === 0) {
        throw new QueuedReplyError("inline mode answered no reply");
      }
      if (i >= warmup) {
        webhook.push(answered);
        delivered.push(replyAt);
      }
    }
    return {
      webhook: summarize(webhook),
      delivered: summarize(delivered),
      restSends: local.outbox.cursor - sendsBeforeTimed,
    };
  } finally {
    await local.close();
  }
}

/** The queued reply mode's end-to-end latency on the local twin, beside inline mode's. */
export const queuedLatency: Benchmark = {
  id: "queued-latency",
  title: "Queued reply mode: end-to-end latency on the local twin",
  async run(ctx) {
    const count = ctx.quick ? 50 : 300;
    const warmup = ctx.quick ? 10 : 30;
    const runs: Record<ReplyMode, ModeRun> = {
      inline: await runMode("inline", count, warmup),
      queued: await runMode("queued", count, warmup),
    };
    const row = (mode: ReplyMode): string[] => {
      const r = runs[mode];
      return [
        mode,
        num(r.webhook.p50, 2),
        num(r.webhook.p99, 2),
        num(r.delivered.p50, 2),
        num(r.delivered.p90, 2),
        num(r.delivered.p99, 2),
        num(r.delivered.max, 1),
        num(r.delivered.n),
        num(r.restSends),
      ];
    };
    const table: Table = {
      headers: [
        "Mode",
        "Webhook answer p50 ms",
        "Webhook answer p99 ms",
        "Reply delivered p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "Messages",
        "REST sends",
      ],
      rows: [row("inline"), row("queued")],
    };
    const q = runs.queued.delivered;
    return {
      method:
        "`startLocalServer` (lambda/local/server.ts) runs in this process on 127.0.0.1, in-memory " +
        "store, menu bot, logs off, once per mode. Messages (`1`, the menu's first option: one " +
        `reply message) are posted one after another with a fresh MessageSid and a real ` +
        `X-Twilio-Signature (\`postSigned\` from lambda/local/chat.ts); ${warmup} warm-up messages ` +
        `are discarded, then ${count} are timed per mode. "Webhook answer" is the request sent to ` +
        'its HTTP answer. "Reply delivered" is the request sent to the reply in hand: inline, the ' +
        "TwiML in the answer (the same instant); queued, the message in the local twin's REST sink " +
        "(the server's Messages.json records it in its outbox, awaited with `outbox.wait`), after " +
        "the in-process FIFO queue ran the worker, which ran the same turn and sent the reply " +
        "through the same `Outbound` as Lambda (HTTP to the server's own Messages.json).",
      tables: [table],
      metrics: {
        "queued reply delivered p50 ms": q.p50,
        "queued reply delivered p99 ms": q.p99,
        "queued webhook answer p50 ms": runs.queued.webhook.p50,
        "inline reply delivered p50 ms": runs.inline.delivered.p50,
      },
      targets: [],
      headline:
        `queued: reply delivered p50 ${num(q.p50, 2)} ms, p99 ${num(q.p99, 2)} ms ` +
        `(webhook answers in p50 ${num(runs.queued.webhook.p50, 2)} ms); inline: p50 ` +
        `${num(runs.inline.delivered.p50, 2)} ms`,
      notes: [
        "This is the code path's own cost on one machine, not AWS's: in Lambda, SQS adds the event " +
          "source mapping's polling and the worker's own invocation (and cold start), and the REST " +
          "call goes to Twilio's API over the internet. None of that can be measured here.",
        "The issue sets no target for this benchmark.",
      ],
    };
  },
};

import type { SQSRecord } from "aws-lambda";
import type { Enqueue, QueueMessage } from "../queue/accept";
import type { ReplyWorker } from "../worker";

/** Options for {@link InProcessReplyQueue}. */
export interface InProcessQueueOptions {
  /** Deliveries of a job before it moves to the dead-letter list; 5 as the stack's queue. */
  maxReceiveCount?: number;
  /** How long a deduplication id drops copies, in ms; SQS FIFO's five minutes by default. */
  deduplicationMs?: number;
  /** Delay before a failed job is delivered again, in ms (SQS waits the visibility timeout). */
  retryDelayMs?: number;
  /** Clock in ms. */
  now?: () => number;
}

interface Pending {
  message: QueueMessage;
  id: string;
  receiveCount: number;
}

/**
 * The reply queue of `npm start` and the tests: an in-process stand-in for the SQS FIFO queue and
 * its event source mapping. Jobs keep their order within a message group, one group's jobs run one
 * at a time, copies with a deduplication id seen in the last five minutes are dropped, a job the
 * worker reports as failed is delivered again, and after `maxReceiveCount` deliveries it moves to
 * {@link deadLetters}.
 */
export class InProcessReplyQueue {
  /** Jobs that kept failing, as the dead-letter queue would hold them. */
  readonly deadLetters: QueueMessage[] = [];
  /** Every deduplication id accepted, with when. */
  private readonly seen = new Map<string, number>();
  private readonly groups = new Map<string, Pending[]>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly maxReceiveCount: number;
  private readonly deduplicationMs: number;
  private readonly retryDelayMs: number;
  private readonly now: () => number;
  private counter = 0;

  constructor(
    private readonly worker: ReplyWorker,
    options: InProcessQueueOptions = {},
  ) {
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.deduplicationMs = options.deduplicationMs ?? 5 * 60_000;
    this.retryDelayMs = options.retryDelayMs ?? 0;
    this.now = options.now ?? Date.now;
  }

  /** The webhook's {@link Enqueue}: takes the job and returns at once; the worker runs next. */
  readonly enqueue: Enqueue = (message) => {
    const at = this.now();
    const first = this.seen.get(message.deduplicationId);
    if (first !== undefined && at - first < this.deduplicationMs) return Promise.resolve();
    this.seen.set(message.deduplicationId, at);
    const pending = { message, id: `local-${++this.counter}`, receiveCount: 0 };
    const queue = this.groups.get(message.groupId) ?? [];
    queue.push(pending);
    this.groups.set(message.groupId, queue);
    this.drain(message.groupId);
    return Promise.resolve();
  };

  /** Resolves once every job queued so far has been delivered or dead-lettered. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private drain(groupId: string): void {
    if (this.running.has(groupId)) return;
    const run = (async () => {
      // A tick later, as SQS would: the webhook answers before the worker starts.
      await new Promise((resolve) => setImmediate(resolve));
      const queue = this.groups.get(groupId) ?? [];
      while (queue.length > 0) {
        const head = queue[0];
        head.receiveCount++;
        const failed = await this.deliver(head);
        if (!failed) {
          queue.shift();
        } else if (head.receiveCount >= this.maxReceiveCount) {
          queue.shift();
          this.deadLetters.push(head.message);
        } else if (this.retryDelayMs > 0) {
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
        }
      }
      this.groups.delete(groupId);
    })().finally(() => this.running.delete(groupId));
    this.running.set(groupId, run);
  }

  /** One delivery of one job, as a batch of one; true when the worker reported it failed. */
  private async deliver(pending: Pending): Promise<boolean> {
    const record = {
      messageId: pending.id,
      body: pending.message.body,
      attributes: {
        ApproximateReceiveCount: String(pending.receiveCount),
        MessageGroupId: pending.message.groupId,
        MessageDeduplicationId: pending.message.deduplicationId,
      },
    } as unknown as SQSRecord;
    try {
      const response = await this.worker({ Records: [record] });
      return response.batchItemFailures.some((f) => f.itemIdentifier === pending.id);
    } catch {
      // A worker that throws fails the whole batch, as Lambda does.
      return true;
    }
  }
}

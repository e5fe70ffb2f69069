import type { FormParams } from "../request";
import type { Conversation } from "../store/store";

/**
 * What the webhook puts on the reply queue for one incoming message in `queued` mode: the verified
 * form fields (the worker parses them with the same parser as the webhook) and the conversation as
 * it was read before this message, so the worker's turn sees exactly what an inline turn would.
 */
export interface ReplyJob {
  /** Format version, so a later shape can tell old jobs apart. */
  v: 1;
  /** The incoming message's verified form fields. */
  params: FormParams;
  /** The sender's conversation id (also the queue's message group). */
  conversationId: string;
  /** Epoch ms when the webhook accepted the message: the turn's `now`. */
  receivedAt: number;
  /** The conversation before this message; absent on first contact. */
  previous?: Conversation;
}

/** Raised when a queue message is not a job this version understands (retrying cannot help). */
export class ReplyJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReplyJobError";
  }
}

/** The job's text as queued and stored (JSON). */
export function encodeJob(job: ReplyJob): string {
  return JSON.stringify(job);
}

/** Reads a queued job, or throws {@link ReplyJobError} naming what is wrong. */
export function decodeJob(body: string): ReplyJob {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ReplyJobError("the queue message is not JSON");
  }
  const job = value as Partial<ReplyJob> | null;
  if (typeof job !== "object" || job === null || job.v !== 1) {
    throw new ReplyJobError("the queue message is not a version 1 reply job");
  }
  if (typeof job.params !== "object" || job.params === null) {
    throw new ReplyJobError("the reply job has no params");
  }
  if (typeof job.conversationId !== "string" || typeof job.receivedAt !== "number") {
    throw new ReplyJobError("the reply job has no conversationId or receivedAt");
  }
  return job as ReplyJob;
}

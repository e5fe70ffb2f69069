/**
 * What the local Twilio stand-in did with the messages sent to it through the REST API: it keeps
 * them, in order, so `npm run chat` can print a message the bot sent outside a webhook's reply
 * (a queued reply, a follow-up) the way it prints a TwiML reply.
 */

/** One message the local server accepted on Messages.json. */
export interface OutboxMessage {
  /** Position in the outbox, from 1; a reader passes the last one it saw as its cursor. */
  seq: number;
  /** The SID the local server answered (SM…/MM…). */
  sid: string;
  /** `To`. */
  to: string;
  /** `Body`, when free-form text was sent. */
  body?: string;
  /** `MediaUrl` values. */
  mediaUrls: string[];
  /** `ContentSid`, when a template was sent. */
  contentSid?: string;
  /** `ContentVariables`, parsed. */
  contentVariables?: Record<string, string>;
}

/** A read of the outbox: the messages after a cursor, and the cursor to pass next time. */
export interface OutboxRead {
  /** Messages after the cursor, in order. */
  messages: OutboxMessage[];
  /** The last position read; pass it as `after` next time. */
  cursor: number;
}

/** The largest wait a reader may ask for, so a forgotten request cannot hold a socket for long. */
export const MAX_OUTBOX_WAIT_MS = 30_000;

/** An in-memory, ordered record of sent messages that readers can wait on. */
export class LocalOutbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  /** Records a message and wakes every reader waiting for one. */
  add(message: Omit<OutboxMessage, "seq">): OutboxMessage {
    const stored = { ...message, seq: this.messages.length + 1 };
    this.messages.push(stored);
    for (const wake of [...this.waiters]) wake();
    return stored;
  }

  /** The current cursor: the position of the last message (0 when empty). */
  get cursor(): number {
    return this.messages.length;
  }

  /** Messages after `after` (to `to` only, when given), without waiting. */
  read(after: number, to?: string): OutboxRead {
    const messages = this.messages
      .slice(Math.max(0, after))
      .filter((m) => to === undefined || m.to === to);
    return { messages, cursor: this.messages.length };
  }

  /**
   * Messages after `after` (to `to` only, when given): at once if there are any, else the first
   * ones to arrive within `waitMs`, else none once it has passed.
   */
  async wait(after: number, to: string | undefined, waitMs: number): Promise<OutboxRead> {
    const deadline = Date.now() + Math.min(Math.max(0, waitMs), MAX_OUTBOX_WAIT_MS);
    for (;;) {
      const found = this.read(after, to);
      const left = deadline - Date.now();
      if (found.messages.length > 0 || left <= 0 || this.closed) return found;
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Wakes every waiting reader (the server is closing). */
  close(): void {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
  }
}

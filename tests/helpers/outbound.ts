import type { Outbound, OutboundMessage, SentMessage } from "../../lambda/outbound/outbound";
import { createJsonLogger, type Logger } from "../../lambda/logger";

/** An Outbound test double: records every send, and fails the sends a test asks it to. */
export class RecordingOutbound implements Outbound {
  /** Every message accepted, in order. */
  readonly sent: OutboundMessage[] = [];
  /** Calls so far, failed ones included. */
  calls = 0;
  /** Decides whether call number `n` (1-based) throws, and what. */
  failWith: (n: number, message: OutboundMessage) => Error | undefined = () => undefined;

  send(message: OutboundMessage): Promise<SentMessage> {
    this.calls++;
    const error = this.failWith(this.calls, message);
    if (error) return Promise.reject(error);
    this.sent.push(message);
    return Promise.resolve({
      messageSid: "SM" + String(this.sent.length).padStart(32, "f"),
      status: "accepted",
    });
  }
}

/** A logger that keeps its lines as objects. */
export function recordingLogger(level: "info" | "debug" = "info"): {
  logger: Logger;
  logs: Record<string, unknown>[];
} {
  const logs: Record<string, unknown>[] = [];
  const logger = createJsonLogger({
    level,
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, logs };
}

import type { Outbound, OutboundMessage, SentMessage } from "../../lambda/outbound/outbound";
import { createJsonLogger, type Logger } from "../../lambda/logger";
import { OptedOutError } from "../../lambda/outbound/errors";
import type { Store } from "../../lambda/store/store";

/** An Outbound test double: records every send, and fails the sends a test asks it to. */
export class RecordingOutbound implements Outbound {
  /** Every message accepted, in order. */
  readonly sent: OutboundMessage[] = [];
  /** Calls so far, failed ones included. */
  calls = 0;
  /** Decides whether call number `n` (1-based) throws, and what. */
  failWith: (n: number, message: OutboundMessage) => Error | undefined = () => undefined;

  /**
   * @param conversations when given, a user who opted out is refused, as the real send path
   *   refuses them (`decideSend`), with an {@link OptedOutError}
   */
  constructor(private readonly conversations?: Pick<Store, "getConversation">) {}

  async send(message: OutboundMessage): Promise<SentMessage> {
    this.calls++;
    const error = this.failWith(this.calls, message);
    if (error) throw error;
    const waId = message.to.replace(/^whatsapp:\+/, "");
    if ((await this.conversations?.getConversation(`wa:${waId}`))?.optedOutAt !== undefined) {
      throw new OptedOutError("the user opted out", { refusedBy: "bot" });
    }
    this.sent.push(message);
    return { messageSid: "SM" + String(this.sent.length).padStart(32, "f"), status: "accepted" };
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

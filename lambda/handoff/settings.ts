import type { Conversation } from "../store/store";
import type { HandoffPublisher } from "./publisher";

/** How long the bot stays quiet after a hand-off when the stack sets no timeout. */
export const DEFAULT_HANDOFF_TIMEOUT_MINUTES = 60;

/** What a turn needs to hand a conversation to a person. */
export interface HandoffSettings {
  /** Where hand-off events go. */
  publisher: HandoffPublisher;
  /** How long the bot stays quiet when no agent releases the conversation. */
  timeoutMs: number;
  /** The API's public base URL, for the release command in the event. */
  publicBaseUrl: string;
  /** A link to this message's log lines, when the runtime knows where they are. */
  logsUrl?: (messageSid: string) => string | undefined;
}

/** When a conversation's hand-off ends by itself, or undefined when it has none. */
export function pausedUntil(
  conversation: Pick<Conversation, "handoffAt"> | undefined,
  timeoutMs: number,
): Date | undefined {
  const at = conversation?.handoffAt;
  return at === undefined ? undefined : new Date(at + timeoutMs);
}

/** True while a person has the conversation: a hand-off is recorded and its timeout not passed. */
export function isPaused(
  conversation: Pick<Conversation, "handoffAt"> | undefined,
  now: Date,
  timeoutMs: number,
): boolean {
  const until = pausedUntil(conversation, timeoutMs);
  return until !== undefined && now.getTime() < until.getTime();
}

/** Raised when `HANDOFF_TIMEOUT_MINUTES` is not a positive whole number. */
export class HandoffConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HandoffConfigError";
  }
}

/** `HANDOFF_TOPIC_ARN` (undefined when unset) and `HANDOFF_TIMEOUT_MINUTES` in ms. */
export function readHandoffEnv(env: NodeJS.ProcessEnv): { topicArn?: string; timeoutMs: number } {
  const raw = env.HANDOFF_TIMEOUT_MINUTES?.trim();
  const minutes = raw ? Number(raw) : DEFAULT_HANDOFF_TIMEOUT_MINUTES;
  if (!Number.isInteger(minutes) || minutes < 1) {
    throw new HandoffConfigError(
      `HANDOFF_TIMEOUT_MINUTES must be a whole number of minutes above 0, got "${raw}"`,
    );
  }
  return { topicArn: env.HANDOFF_TOPIC_ARN?.trim() || undefined, timeoutMs: minutes * 60_000 };
}

/**
 * The CloudWatch Logs console page of the function's log group, filtered on one MessageSid (every
 * line about a message carries it). The console's fragment holds values URI-encoded twice with
 * `%` written as `$`.
 */
export function cloudWatchLogsUrl(
  region: string,
  logGroupName: string,
  messageSid: string,
): string {
  const consoleEscape = (text: string) =>
    encodeURIComponent(encodeURIComponent(text)).replace(/%/g, "$");
  return (
    `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}` +
    `#logsV2:log-groups/log-group/${consoleEscape(logGroupName)}/log-events` +
    `$3FfilterPattern$3D${consoleEscape(JSON.stringify(messageSid))}`
  );
}

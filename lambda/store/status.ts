/**
 * Order of Twilio's outbound message statuses. A callback may arrive late or twice; a status only
 * replaces one with a lower rank. failed, undelivered and canceled end the message's life, so
 * nothing moves it afterwards. https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
 */
export const STATUS_RANK: Readonly<Record<string, number>> = Object.freeze({
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  read: 6,
  failed: 100,
  undelivered: 100,
  canceled: 100,
});

/** The rank of a known status, or undefined for a status this code has not met. */
export function statusRank(status: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(STATUS_RANK, status)
    ? STATUS_RANK[status]
    : undefined;
}

/** True when `next` may replace `current` (both known): strictly later, never out of a terminal state. */
export function advancesStatus(current: string | undefined, next: string): boolean {
  const nextRank = statusRank(next);
  if (nextRank === undefined) return false;
  if (current === undefined) return true;
  const currentRank = statusRank(current) ?? 0;
  return nextRank > currentRank;
}

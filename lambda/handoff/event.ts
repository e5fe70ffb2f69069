import type { RecentMessage } from "../store/store";

/**
 * What the hand-off topic receives. It carries the user's own words (their recent messages) and
 * their WhatsApp number, which is what an agent needs to take over; it never carries a secret.
 */
export interface HandoffEvent {
  /** `handoff`: the user asked for a person; `message`: they wrote while waiting for one. */
  kind: "handoff" | "message";
  /** The conversation id (`wa:<WaId>`), the key the release route takes back. */
  conversationId: string;
  /** The user's WhatsApp address (`whatsapp:+E164`): where the agent replies. */
  address: string;
  /** The user's WhatsApp profile name, when shared. */
  profileName: string | null;
  /** The incoming message that caused this event. */
  messageSid: string;
  /** ISO time of that message. */
  at: string;
  /** ISO time the bot resumes by itself if no agent releases it first. */
  pausedUntil: string;
  /** The user's latest messages, oldest first, this one included. */
  recentMessages: Array<{ at: string; text: string }>;
  /** Where the bot's log lines for this message are (CloudWatch Logs), when known. */
  logsUrl: string | null;
  /** The command that gives the conversation back to the bot. */
  releaseCommand: string;
}

/** What one hand-off publish is made of: an ASCII subject, the e-mail text and the JSON. */
export interface HandoffNotification {
  /** SNS subject: ASCII, one line, under 100 characters. */
  subject: string;
  /** Readable text, for e-mail subscribers. */
  text: string;
  /** The event as JSON, for every other kind of subscriber. */
  json: string;
}

/** Builds the event from the conversation as this turn leaves it. */
export function handoffEvent(input: {
  kind: HandoffEvent["kind"];
  conversationId: string;
  address: string;
  profileName: string | undefined;
  messageSid: string;
  now: Date;
  pausedUntil: Date;
  recentMessages: readonly RecentMessage[];
  logsUrl: string | undefined;
  publicBaseUrl: string;
}): HandoffEvent {
  return {
    kind: input.kind,
    conversationId: input.conversationId,
    address: input.address,
    profileName: input.profileName ?? null,
    messageSid: input.messageSid,
    at: input.now.toISOString(),
    pausedUntil: input.pausedUntil.toISOString(),
    recentMessages: input.recentMessages.map((m) => ({
      at: new Date(m.at).toISOString(),
      text: m.text,
    })),
    logsUrl: input.logsUrl ?? null,
    releaseCommand: `npm run handoff -- release --to ${input.address} --url ${input.publicBaseUrl}`,
  };
}

/** SNS subjects must be ASCII without control characters and under 100 characters. */
function asciiLine(text: string, max: number): string {
  const plain = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 3)}...` : plain;
}

/** Formats an event for SNS: a subject, an e-mail body and the JSON for other subscribers. */
export function formatHandoff(event: HandoffEvent): HandoffNotification {
  const who = event.profileName ? `${event.profileName} (${event.address})` : event.address;
  const head =
    event.kind === "handoff"
      ? "WhatsApp user asks for a person"
      : "WhatsApp message during hand-off";
  const lines = [
    event.kind === "handoff"
      ? `${who} asked to talk to a person. The bot is paused for them until ${event.pausedUntil}.`
      : `${who} wrote again while waiting for a person (the bot stays quiet until ${event.pausedUntil}).`,
    "",
    "Latest messages (oldest first):",
    ...event.recentMessages.map((m) => `  ${m.at}  ${m.text}`),
    "",
    `Reply to them from the Twilio console or your agent tool, at ${event.address}.`,
    `Give the conversation back to the bot: ${event.releaseCommand}`,
    ...(event.logsUrl ? [`Bot logs for this message: ${event.logsUrl}`] : []),
    `Message: ${event.messageSid}`,
  ];
  return {
    subject: asciiLine(`${head}: ${who}`, 99),
    text: lines.join("\n"),
    json: JSON.stringify(event),
  };
}

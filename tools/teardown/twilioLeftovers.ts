import type twilio from "twilio";

/** The project prefix of every Messaging Service name: `whatsapp-bot-<stack>`. */
export const SERVICE_NAME_PREFIX = "whatsapp-bot-";

/** What the Twilio account still holds of a stack. */
export interface TwilioLeftover {
  /** "Messaging Service", "sender pool membership" or "usage trigger". */
  readonly kind: string;
  /** The SID. */
  readonly sid: string;
  /** Why it belongs to the stack. */
  readonly detail: string;
}

/**
 * Whether a friendly name carries the stack's name prefix, `whatsapp-bot-<stack>`, as a whole
 * token: "whatsapp-bot-pr-1-spending 80% of 50 USD" carries pr-1, "whatsapp-bot-pr-12-spending"
 * does not. The prefix keeps a stack named like a part of the project name ("bot") from matching
 * every trigger; a stack whose name plus "-" starts another's (dev, dev-eu) also sees the other's
 * triggers, an over-report this read-only check accepts.
 */
export function carriesStack(friendlyName: string, stack: string): boolean {
  const escaped = `${SERVICE_NAME_PREFIX}${stack}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^A-Za-z0-9])${escaped}($|[^A-Za-z0-9])`).test(friendlyName);
}

/**
 * Lists, and only lists, what a stack left in Twilio: its Messaging Service (by its
 * `whatsapp-bot-<stack>` name), the senders and numbers still in that service's pool, and usage
 * triggers whose friendly name carries `whatsapp-bot-<stack>`. Only GET requests: WhatsApp senders and phone
 * numbers are adopted, long-lived objects this check must never modify, so it never even
 * fetches them by SID.
 */
export async function findTwilioLeftovers(
  client: twilio.Twilio,
  stack: string,
): Promise<TwilioLeftover[]> {
  const found: TwilioLeftover[] = [];
  const serviceName = `${SERVICE_NAME_PREFIX}${stack}`;
  const services = await client.messaging.v1.services.list();
  for (const service of services.filter((s) => s.friendlyName === serviceName)) {
    found.push({ kind: "Messaging Service", sid: service.sid, detail: `named ${serviceName}` });
    const channelSenders = await client.messaging.v1.services(service.sid).channelSenders.list();
    for (const member of channelSenders) {
      found.push({
        kind: "sender pool membership",
        sid: member.sid,
        detail: `WhatsApp sender in ${service.sid}; remove the membership, not the sender`,
      });
    }
    const phoneNumbers = await client.messaging.v1.services(service.sid).phoneNumbers.list();
    for (const member of phoneNumbers) {
      found.push({
        kind: "sender pool membership",
        sid: member.sid,
        detail: `phone number ${member.phoneNumber} in ${service.sid}; remove the membership, not the number`,
      });
    }
  }
  const triggers = await client.usage.triggers.list();
  for (const trigger of triggers) {
    if (trigger.friendlyName && carriesStack(trigger.friendlyName, stack)) {
      found.push({
        kind: "usage trigger",
        sid: trigger.sid,
        detail: `named ${trigger.friendlyName}`,
      });
    }
  }
  return found;
}

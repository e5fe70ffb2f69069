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

/** The name every usage trigger of a stack starts with: its spending alerts' component name. */
export function stackTriggerPrefix(stack: string): string {
  return `${SERVICE_NAME_PREFIX}${stack}-spending`;
}

/**
 * Whether a usage trigger's friendly name is one this stack gives its triggers: exactly
 * `whatsapp-bot-<stack>-spending`, then a space and the threshold (infra/spendingAlerts.ts,
 * `usageTriggerName`). Exact, so staging's check never reports `staging-eu`'s triggers
 * (`whatsapp-bot-staging-eu-spending …`), and pr-7's never pr-71's.
 */
export function carriesStack(friendlyName: string, stack: string): boolean {
  const prefix = stackTriggerPrefix(stack);
  return friendlyName === prefix || friendlyName.startsWith(`${prefix} `);
}

/**
 * Lists, and only lists, what a stack left in Twilio: its Messaging Service (by its
 * `whatsapp-bot-<stack>` name), the senders and numbers still in that service's pool, and usage
 * triggers named `whatsapp-bot-<stack>-spending …`. Only GET requests: WhatsApp senders and phone
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

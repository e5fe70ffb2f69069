import type twilio from "twilio";
import type { ChannelsSenderInstance } from "twilio/lib/rest/messaging/v2/channelsSender";
import type { PreflightStack } from "./stackFile";

/** One thing preflight found: ready, or something to do before `pulumi up`. */
export interface Finding {
  readonly ready: boolean;
  readonly message: string;
}

/** Statuses in which a sender waits for the code WhatsApp sent. */
const PENDING = ["PENDING_VERIFICATION", "VERIFYING"];

function senderId(number: string): string {
  return number.startsWith("whatsapp:") ? number : `whatsapp:${number}`;
}

function isNotFound(err: unknown): boolean {
  return (err as { status?: number } | null)?.status === 404;
}

async function findSender(
  client: twilio.Twilio,
  stack: PreflightStack,
): Promise<ChannelsSenderInstance | undefined> {
  if (stack.sid) {
    try {
      return await client.messaging.v2.channelsSenders(stack.sid).fetch();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  if (!stack.number) return undefined;
  const want = senderId(stack.number);
  const senders = await client.messaging.v2.channelsSenders.list({ channel: "whatsapp" });
  return senders.find((s) => s.senderId === want);
}

/** The Messaging Services other than the stack's own whose pool holds the sender. */
async function otherPools(
  client: twilio.Twilio,
  stack: PreflightStack,
  sid: string,
): Promise<{ sid: string; friendlyName: string }[]> {
  const services = await client.messaging.v1.services.list({ limit: 1000 });
  const holding: { sid: string; friendlyName: string }[] = [];
  for (const service of services) {
    const own = stack.serviceSid
      ? service.sid === stack.serviceSid
      : service.friendlyName === stack.serviceName;
    if (own) continue;
    try {
      await client.messaging.v1.services(service.sid).channelSenders(sid).fetch();
      holding.push({ sid: service.sid, friendlyName: service.friendlyName });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return holding;
}

/**
 * What `pulumi up` would run into for this stack, read-only: the account type, the sender and its
 * status, a pool that already holds the sender (Twilio error 21712), a verification code with
 * nothing pending.
 */
export async function preflight(client: twilio.Twilio, stack: PreflightStack): Promise<Finding[]> {
  const findings: Finding[] = [];
  const account = await client.api.v2010.accounts(client.accountSid).fetch();
  findings.push(
    account.type === "Trial"
      ? {
          ready: false,
          message:
            `Account ${account.sid} is a trial account: it cannot run a production WhatsApp sender. ` +
            "Upgrade it (Console > Billing > Upgrade) before registering or adopting one.",
        }
      : { ready: true, message: `Account ${account.sid} is a full (upgraded) account.` },
  );

  if (stack.mode === "none") {
    findings.push({
      ready: true,
      message: `No sender configured (whatsapp-bot:sender.mode none): \`pulumi up\` creates the stack without one.`,
    });
    return findings;
  }

  const what = stack.sid ? `SID ${stack.sid}` : `number ${senderId(stack.number ?? "")}`;
  const sender = await findSender(client, stack);
  if (stack.mode === "adopt") {
    if (!sender) {
      findings.push({
        ready: false,
        message:
          `No WhatsApp sender with ${what} in this account, so adopting it would fail. Check the value ` +
          "(Console > Messaging > Senders > WhatsApp senders), or register the number with sender.mode register.",
      });
      return findings;
    }
    findings.push(
      sender.status === "ONLINE"
        ? { ready: true, message: `Sender ${sender.sid} (${sender.senderId}) is ONLINE.` }
        : {
            ready: false,
            message: `Sender ${sender.sid} (${sender.senderId}) is ${sender.status}, not ONLINE: it cannot send yet; finish its registration in the Console.`,
          },
    );
  } else if (sender) {
    const pending = PENDING.includes(sender.status);
    if (pending && !stack.verificationCode) {
      findings.push({
        ready: false,
        message:
          `Sender ${sender.sid} waits for its verification code (${sender.status}): once WhatsApp's code arrives, run ` +
          "`pulumi config set --path --type string 'whatsapp-bot:sender.verificationCode' <code>` and `pulumi up`.",
      });
    } else if (pending) {
      findings.push({
        ready: true,
        message: `Sender ${sender.sid} waits for its code, and verificationCode is set: \`pulumi up\` sends it.`,
      });
    } else {
      findings.push({
        ready: sender.status === "ONLINE",
        message: `Sender ${sender.sid} (${sender.senderId}) is ${sender.status}.`,
      });
    }
  } else {
    findings.push({
      ready: true,
      message: `No sender for ${senderId(stack.number ?? "")} yet: \`pulumi up\` registers it and WhatsApp sends a code.`,
    });
  }

  if (stack.verificationCode && !(sender && PENDING.includes(sender.status))) {
    findings.push({
      ready: false,
      message:
        `whatsapp-bot:sender.verificationCode is set, but no verification is pending${sender ? ` (sender ${sender.sid} is ${sender.status})` : ""}. ` +
        "Remove it: `pulumi config rm --path 'whatsapp-bot:sender.verificationCode'`; the code is needed only after a registration asked for one.",
    });
  }

  if (sender) {
    for (const other of await otherPools(client, stack, sender.sid)) {
      findings.push({
        ready: false,
        message:
          `Sender ${sender.sid} is already in Messaging Service ${other.sid} ("${other.friendlyName}"): \`pulumi up\` would fail ` +
          "with Twilio error 21712 (a sender belongs to one service). Remove it from that service's Sender Pool " +
          "(Console > Messaging > Services), or adopt that service: " +
          `\`pulumi config set --path 'whatsapp-bot:messagingService.sid' ${other.sid}\`.`,
      });
    }
  }
  return findings;
}

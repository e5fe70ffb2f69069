import { checkedInputs, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import {
  messagingServiceProvider,
  type MessagingServiceInputs,
} from "../../../infra/twilio/messagingService";
import {
  senderPoolMemberProvider,
  type SenderPoolMemberInputs,
} from "../../../infra/twilio/senderPoolMember";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import {
  whatsAppSenderProvider,
  type WhatsAppSenderInputs,
} from "../../../infra/twilio/whatsAppSender";
import type * as pulumi from "@pulumi/pulumi";

type Provider = pulumi.dynamic.ResourceProvider;
interface Live {
  provider: Provider;
  id: string;
  outs: Record<string, unknown>;
}

const standIn = useTwilioStandIn();

function urls(base: string): { incoming: string; fallback: string; status: string } {
  return {
    incoming: `${base}/whatsapp/incoming`,
    fallback: `${base}/whatsapp/fallback`,
    status: `${base}/whatsapp/status`,
  };
}

function serviceInputs(base: string): MessagingServiceInputs {
  const u = urls(base);
  return {
    friendlyName: "whatsapp-bot-dev",
    inboundRequestUrl: u.incoming,
    inboundMethod: "POST",
    fallbackUrl: u.fallback,
    fallbackMethod: "POST",
    statusCallback: u.status,
    useInboundWebhookOnNumber: false,
    providerVersion: PROVIDER_VERSION,
  };
}

function senderInputs(base: string): WhatsAppSenderInputs {
  const u = urls(base);
  return {
    adopt: { number: "whatsapp:+14155550100" },
    webhook: {
      callbackUrl: u.incoming,
      callbackMethod: "POST",
      fallbackUrl: u.fallback,
      fallbackMethod: "POST",
      statusCallbackUrl: u.status,
      statusCallbackMethod: "POST",
    },
    profile: { about: "Acme support, 9-5", vertical: "Professional Services" },
    providerVersion: PROVIDER_VERSION,
  };
}

/** What the engine does for one resource on `pulumi up`: check, then create or diff + update. */
async function up(provider: Provider, news: Record<string, unknown>, live?: Live): Promise<Live> {
  const inputs: unknown = await checkedInputs(provider, news, live?.outs);
  if (!live) {
    const created = await provider.create(inputs);
    return { provider, id: created.id, outs: created.outs as Record<string, unknown> };
  }
  const diff = await provider.diff!(live.id, live.outs, inputs);
  expect(diff.replaces ?? []).toEqual([]);
  if (!diff.changes) return live;
  const updated = await provider.update!(live.id, live.outs, inputs);
  return { ...live, outs: updated.outs as Record<string, unknown> };
}

async function upStack(base: string, live?: Live[]): Promise<Live[]> {
  const service = await up(messagingServiceProvider, { ...serviceInputs(base) }, live?.[0]);
  const sender = await up(whatsAppSenderProvider, { ...senderInputs(base) }, live?.[1]);
  const members: SenderPoolMemberInputs = {
    serviceSid: service.id,
    senderSid: sender.id,
    providerVersion: PROVIDER_VERSION,
  };
  const member = await up(senderPoolMemberProvider, { ...members }, live?.[2]);
  return [service, sender, member];
}

function tally(): { reads: number; writes: number } {
  return { reads: standIn().reads().length, writes: standIn().writes().length };
}

test("Twilio calls per up for the stack's Twilio side: first create, no-op, a changed endpoint, destroy", async () => {
  const senderSid = standIn().seedSender({ number: "+14155550100", profile: { name: "Acme" } });
  const first = "https://abc123.execute-api.eu-west-1.amazonaws.com";

  const live = await upStack(first);
  // Service create; sender lookup by number, then one write for webhook + profile; pool add.
  expect(tally()).toEqual({ reads: 1, writes: 3 });

  standIn().resetCalls();
  const same = await upStack(first, live);
  expect(tally()).toEqual({ reads: 0, writes: 0 });

  standIn().resetCalls();
  const moved = await upStack("https://def456.execute-api.eu-west-1.amazonaws.com", same);
  // The three service URLs in one write, the three sender webhook URLs in another.
  expect(tally()).toEqual({ reads: 0, writes: 2 });

  standIn().resetCalls();
  const oneField = serviceInputs("https://def456.execute-api.eu-west-1.amazonaws.com");
  await up(
    messagingServiceProvider,
    { ...oneField, statusCallback: "https://status.example.com/whatsapp/status" },
    moved[0],
  );
  expect(tally()).toEqual({ reads: 0, writes: 1 });

  standIn().resetCalls();
  for (const r of [...moved].reverse()) await r.provider.delete!(r.id, r.outs);
  // Pool membership removed, sender webhook cleared (sender kept; one read first, so only URLs
  // Twilio still holds from this stack are cleared), service deleted.
  expect(tally()).toEqual({ reads: 1, writes: 3 });
  expect(standIn().state.services.size).toBe(0);
  expect([...standIn().state.channelSenders.values()].every((s) => s.size === 0)).toBe(true);
  expect(standIn().state.senders.get(senderSid)?.sender_id).toBe("whatsapp:+14155550100");
  expect(standIn().state.senders.get(senderSid)?.profile).toMatchObject({
    name: "Acme",
    about: "Acme support, 9-5",
  });
});

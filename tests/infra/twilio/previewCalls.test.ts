import { useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import { messagingServiceProvider } from "../../../infra/twilio/messagingService";
import { senderPoolMemberProvider } from "../../../infra/twilio/senderPoolMember";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { usageTriggerProvider } from "../../../infra/twilio/usageTrigger";
import { whatsAppSenderProvider } from "../../../infra/twilio/whatsAppSender";

const API = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const OTHER_API = "https://def456.execute-api.eu-west-1.amazonaws.com";
const SERVICE_SID = `MG${"1".repeat(32)}`;

/** A provider as the engine holds it in a preview: configure, check and diff only. */
interface PreviewedProvider {
  configure?(req: { config: { get(key: string): string | undefined } }): Promise<void>;
  check?(olds: unknown, news: unknown): Promise<{ inputs?: unknown; failures?: unknown[] }>;
  diff?(id: string, olds: unknown, news: unknown): Promise<unknown>;
}

/** Each Twilio provider with the inputs of a deployed resource and of the pull request's change. */
const CASES: [string, PreviewedProvider, Record<string, unknown>, Record<string, unknown>][] = [
  [
    "MessagingService",
    messagingServiceProvider,
    {
      friendlyName: "whatsapp-bot-prod",
      inboundRequestUrl: `${API}/whatsapp/incoming`,
      inboundMethod: "POST",
      fallbackUrl: `${API}/whatsapp/fallback`,
      fallbackMethod: "POST",
      statusCallback: `${API}/whatsapp/status`,
      useInboundWebhookOnNumber: false,
      stickySender: true,
      validityPeriod: 14400,
      providerVersion: PROVIDER_VERSION,
    },
    { inboundRequestUrl: `${OTHER_API}/whatsapp/incoming` },
  ],
  [
    "SenderPoolMember",
    senderPoolMemberProvider,
    {
      serviceSid: SERVICE_SID,
      senderSid: `XE${"2".repeat(32)}`,
      providerVersion: PROVIDER_VERSION,
    },
    { senderSid: `XE${"3".repeat(32)}` },
  ],
  [
    "UsageTrigger",
    usageTriggerProvider,
    {
      callbackUrl: `${API}/twilio/usage`,
      callbackMethod: "POST",
      triggerValue: "25",
      usageCategory: "totalprice",
      recurring: "monthly",
      triggerBy: "price",
      friendlyName: "whatsapp-bot-prod-spending 50% of 50 USD",
      providerVersion: PROVIDER_VERSION,
    },
    { triggerValue: "40", callbackUrl: `${OTHER_API}/twilio/usage` },
  ],
  [
    "WhatsAppSender",
    whatsAppSenderProvider,
    {
      register: {
        number: "+14155550123",
        wabaId: "104567890123456",
        verificationMethod: "sms",
        displayName: "Acme Support",
      },
      webhook: { callbackUrl: `${API}/whatsapp/incoming`, callbackMethod: "POST" },
      providerVersion: PROVIDER_VERSION,
    },
    { webhook: { callbackUrl: `${OTHER_API}/whatsapp/incoming`, callbackMethod: "POST" } },
  ],
];

const standIn = useTwilioStandIn();

describe("a pull-request preview needs no Twilio credentials", () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of Object.keys(process.env).filter((n) => n.startsWith("TWILIO_"))) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) process.env[name] = value;
  });

  test.each(CASES)(
    "%s: configure without credentials, then check and diff a change, make no Twilio call",
    async (_name, provider, deployed, change) => {
      await provider.configure?.({ config: { get: () => undefined } });
      const olds = (await provider.check!({}, deployed)).inputs;
      const checked = await provider.check!(olds, { ...deployed, ...change });
      expect(checked.failures ?? []).toEqual([]);
      const diff = (await provider.diff!("XX-id", olds, checked.inputs)) as { changes?: boolean };
      expect(diff.changes).toBe(true);
      expect(standIn().calls).toEqual([]);
    },
  );
});

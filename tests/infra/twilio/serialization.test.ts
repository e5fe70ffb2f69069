import * as pulumi from "@pulumi/pulumi";
import { pngBytes, writeImages } from "../../helpers/twilio/images";
import { useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import { configRequest } from "../../helpers/twilio/wire";
import { messagingServiceProvider } from "../../../infra/twilio/messagingService";
import { senderPoolMemberProvider } from "../../../infra/twilio/senderPoolMember";
import { usageTriggerProvider } from "../../../infra/twilio/usageTrigger";
import { whatsAppSenderProvider } from "../../../infra/twilio/whatsAppSender";
import { contentTemplateProvider } from "../../../infra/twilio/contentTemplate";
import { configureTwilio } from "../../../infra/twilio/client";
import { apiKeyProvider } from "../../../infra/twilio/apiKey";

type AnyProvider = pulumi.dynamic.ResourceProvider;

const savedEnv = { ...process.env };

const standIn = useTwilioStandIn(async (twilio) => {
  // Worst case: the secrets sit in this very process, in stack config and in the environment.
  await configureTwilio(
    configRequest({
      "twilio:accountSid": twilio.accountSid,
      "twilio:apiKey": twilio.credentials.apiKey,
      "twilio:apiSecret": twilio.credentials.apiSecret,
      "twilio:authToken": twilio.credentials.authToken,
    }),
  );
  process.env.TWILIO_AUTH_TOKEN = twilio.credentials.authToken;
  process.env.TWILIO_API_SECRET = twilio.credentials.apiSecret;
});

afterEach(() => {
  process.env = { ...savedEnv };
});

/** The credential values that must never reach the state. */
function credentialValues(): string[] {
  const { apiSecret, authToken, apiKey } = standIn().credentials;
  return [apiSecret, authToken, apiKey];
}

/** Serializes a provider exactly as `pulumi.dynamic.Resource` does for its `__provider` input. */
async function serialize(provider: AnyProvider): Promise<pulumi.runtime.SerializedFunction> {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

/** Loads serialized provider text the way the dynamic provider host does (`require(text).handler()`). */
function load(text: string): AnyProvider {
  const mod = { exports: {} as { handler: () => AnyProvider } };
  // A Function made here runs in this test's realm, sharing `process` (and the stand-in wiring).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the serialized provider text is the test
  const evaluate = new Function("exports", "require", "module", text) as (
    exports: unknown,
    req: NodeJS.Require,
    module: unknown,
  ) => void;
  evaluate(mod.exports, require, mod);
  return mod.exports.handler();
}

const providers: [string, AnyProvider][] = [
  ["MessagingService", messagingServiceProvider],
  ["SenderPoolMember", senderPoolMemberProvider],
  ["WhatsAppSender", whatsAppSenderProvider],
  ["UsageTrigger", usageTriggerProvider],
  ["ContentTemplate", contentTemplateProvider],
  ["ApiKey", apiKeyProvider],
];

describe("the Twilio providers under Pulumi's closure serializer", () => {
  test.each(providers)(
    "%s serializes without any credential and without the stand-in",
    async (_name, provider) => {
      const sf = await serialize(provider);
      expect(sf.containsSecrets).toBe(false);
      for (const secret of [...credentialValues(), standIn().accountSid]) {
        expect(sf.text).not.toContain(secret);
      }
      // Only npm packages are required at run time; local code is inlined.
      expect(
        [...sf.text.matchAll(/require\("([^"]+)"\)/g)]
          .map((m) => m[1])
          .every((m) => !m.startsWith(".")),
      ).toBe(true);
      expect(sf.text.length).toBeLessThan(200_000);
    },
  );

  test("a deserialized provider configures itself and runs a full lifecycle against the stand-in", async () => {
    const service = load((await serialize(messagingServiceProvider)).text);
    const member = load((await serialize(senderPoolMemberProvider)).text);
    const sender = load((await serialize(whatsAppSenderProvider)).text);
    const trigger = load((await serialize(usageTriggerProvider)).text);
    const config = configRequest({
      "twilio:accountSid": standIn().accountSid,
      "twilio:authToken": standIn().credentials.authToken,
    });
    for (const p of [service, member, sender, trigger]) await p.configure!(config);

    // The logo check (file read, image-size, digest) works from the serialized code too.
    const logos = writeImages({ "ok.png": pngBytes(640, 640), "small.png": pngBytes(100, 100) });
    const withLogo = (file: string) => ({
      adopt: { number: "+14155550100" },
      profile: { logoUrl: "https://cdn.example.com/logo.png", logoFile: file },
    });
    const okLogo = await sender.check!({}, withLogo(logos["ok.png"]));
    expect(okLogo.failures).toEqual([]);
    expect((okLogo.inputs as Record<string, unknown>).logoFileSha256).toMatch(/^[0-9a-f]{64}$/);
    const smallLogo = await sender.check!({}, withLogo(logos["small.png"]));
    expect(smallLogo.failures?.[0].reason).toMatch(/100x100 pixels/);

    const svcInputs = {
      friendlyName: "whatsapp-bot-dev",
      inboundRequestUrl: "https://x.example/whatsapp/incoming",
    };
    expect((await service.check!({}, svcInputs)).failures).toEqual([]);
    const svc = await service.create(svcInputs);
    standIn().seedSender({ number: "+14155550100" });
    const snd = await sender.create({
      adopt: { number: "+14155550100" },
      webhook: { callbackUrl: "https://x.example/in" },
    });
    const mem = await member.create({ serviceSid: svc.id, senderSid: snd.id });
    const trg = await trigger.create({
      callbackUrl: "https://x.example/u",
      triggerValue: "10",
      usageCategory: "totalprice",
      recurring: "monthly",
      triggerBy: "price",
      friendlyName: "t",
    });
    expect(standIn().state.channelSenders.get(svc.id)).toEqual(new Set([snd.id]));
    expect(standIn().state.triggers.size).toBe(1);
    // Outputs are what the state keeps: no credential reaches them either.
    const outputs = JSON.stringify([svc.outs, snd.outs, mem.outs, trg.outs]);
    for (const secret of credentialValues()) expect(outputs).not.toContain(secret);

    await trigger.delete!(trg.id, trg.outs);
    await member.delete!(mem.id, mem.outs);
    await sender.delete!(snd.id, snd.outs);
    await service.delete!(svc.id, svc.outs);
    expect(standIn().state.services.size).toBe(0);
    expect(standIn().state.triggers.size).toBe(0);
    expect(standIn().state.senders.size).toBe(1);
  });

  test("a deserialized ContentTemplate provider checks, creates, submits and deletes a template", async () => {
    const template = load((await serialize(contentTemplateProvider)).text);
    await template.configure!(
      configRequest({
        "twilio:accountSid": standIn().accountSid,
        "twilio:authToken": standIn().credentials.authToken,
      }),
    );
    const inputs = {
      friendlyName: "reminder",
      language: "en",
      variables: { "1": "Ana" },
      types: { "twilio/text": { body: "Hello {{1}}, see you soon." } },
      approval: { name: "reminder", category: "UTILITY" },
    };
    // The rules' regular expressions and limits survive serialization.
    expect((await template.check!({}, inputs)).failures).toEqual([]);
    const bad = await template.check!({}, { ...inputs, variables: {} });
    expect(bad.failures?.[0].property).toBe('types["twilio/text"].body');
    const created = await template.create(inputs);
    expect(standIn().state.approvals.get(created.id)).toMatchObject({ name: "reminder" });
    await template.delete!(created.id, created.outs);
    expect(standIn().state.contents.size).toBe(0);
  });

  test("a deserialized ApiKey provider creates the key with the auth token from config and revokes it", async () => {
    const keys = load((await serialize(apiKeyProvider)).text);
    // As `pulumi up` has it: a Standard API key and the auth token; keys need the token.
    await keys.configure!(
      configRequest({
        "twilio:accountSid": standIn().accountSid,
        "twilio:apiKey": standIn().credentials.apiKey,
        "twilio:apiSecret": standIn().credentials.apiSecret,
        "twilio:authToken": standIn().credentials.authToken,
      }),
    );
    const key = await keys.create({ friendlyName: "whatsapp-bot-dev send path" });
    expect(standIn().state.keys.get(key.id)?.secret).toBe((key.outs as { secret: string }).secret);
    expect(standIn().writes()[0].path).toMatch(/\/Keys\.json$/);
    for (const secret of credentialValues()) expect(JSON.stringify(key.outs)).not.toContain(secret);
    await keys.delete!(key.id, key.outs);
    expect(standIn().state.keys.size).toBe(0);
  });

  test("credentials come from the auth token when no API key is configured, and the stand-in sees them", async () => {
    const service = load((await serialize(messagingServiceProvider)).text);
    await service.configure!(
      configRequest({
        "twilio:accountSid": standIn().accountSid,
        "twilio:authToken": "wrong-token",
      }),
    );
    const err = (await service.create({ friendlyName: "x" }).catch((e: unknown) => e)) as Error & {
      code?: number;
    };
    // The error class survives serialization with its message, name and code.
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("TwilioApiError");
    expect(err.code).toBe(20003);
    expect(err.message).toMatch(/HTTP 401, error 20003.*authentication failed/);
    expect(err.message).not.toContain("wrong-token");
  });
});

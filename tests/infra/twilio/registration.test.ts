import { expect } from "@jest/globals";
import * as pulumi from "@pulumi/pulumi";
import { configRequest } from "../../helpers/twilio/wire";
import { clearConfiguredCredentials, configureTwilio } from "../../../infra/twilio/client";
import { MessagingService } from "../../../infra/twilio/messagingService";
import { SenderPoolMember } from "../../../infra/twilio/senderPoolMember";
import { UsageTrigger } from "../../../infra/twilio/usageTrigger";
import { WhatsAppSender } from "../../../infra/twilio/whatsAppSender";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";

const secrets = {
  accountSid: "AC" + "5".repeat(32),
  apiKey: "SK" + "6".repeat(32),
  apiSecret: "api-secret-0123456789abcdef",
  authToken: "auth-token-fedcba9876543210",
};

const registered: pulumi.runtime.MockResourceArgs[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  // The secrets are everywhere a careless provider could pick them up: config, environment, process.
  pulumi.runtime.setAllConfig(
    {
      "twilio:accountSid": secrets.accountSid,
      "twilio:apiKey": secrets.apiKey,
      "twilio:apiSecret": secrets.apiSecret,
      "twilio:authToken": secrets.authToken,
    },
    ["twilio:apiSecret", "twilio:authToken"],
  );
  process.env.TWILIO_API_SECRET = secrets.apiSecret;
  process.env.TWILIO_AUTH_TOKEN = secrets.authToken;
  await configureTwilio(
    configRequest({
      "twilio:accountSid": secrets.accountSid,
      "twilio:apiSecret": secrets.apiSecret,
      "twilio:authToken": secrets.authToken,
    }),
  );
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        const prefix =
          {
            MessagingService: "MG",
            SenderPoolMember: "XE",
            WhatsAppSender: "XE",
            UsageTrigger: "UT",
          }[args.type.split(":")[2]] ?? "ZZ";
        const sid = `${prefix}${"a".repeat(32)}`;
        return {
          id: sid,
          state: {
            ...(args.inputs as Record<string, unknown>),
            sid,
            status: "ONLINE",
            senderId: "whatsapp:+14155550100",
          },
        };
      },
      call: () => ({}),
    },
    "whatsapp-bot",
    "dev",
    false,
  );
});

afterAll(() => {
  process.env = { ...savedEnv };
  clearConfiguredCredentials();
});

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

test("every Twilio resource registers under pulumi-nodejs:dynamic/twilio:<Class> with no credential in its inputs", async () => {
  const service = new MessagingService("svc", {
    friendlyName: "whatsapp-bot-dev",
    inboundRequestUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/whatsapp/incoming",
  });
  const sender = new WhatsAppSender("sender", {
    adopt: { number: "+14155550100" },
    webhook: {
      callbackUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/whatsapp/incoming",
      callbackMethod: "POST",
    },
  });
  const member = new SenderPoolMember("pool", { serviceSid: service.sid, senderSid: sender.sid });
  const trigger = new UsageTrigger("spend", {
    callbackUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/twilio/usage",
    triggerValue: "25",
    usageCategory: "totalprice",
    recurring: "monthly",
    triggerBy: "price",
    friendlyName: "spend",
  });
  expect(await promiseOf(service.sid)).toBe("MG" + "a".repeat(32));
  expect(await promiseOf(sender.status)).toBe("ONLINE");
  expect(await promiseOf(member.sid)).toMatch(/^XE/);
  expect(await promiseOf(trigger.sid)).toMatch(/^UT/);
  expect(await promiseOf(service.providerVersion)).toBe(PROVIDER_VERSION);

  expect(registered.map((r) => r.type).sort()).toEqual([
    "pulumi-nodejs:dynamic/twilio:MessagingService",
    "pulumi-nodejs:dynamic/twilio:SenderPoolMember",
    "pulumi-nodejs:dynamic/twilio:UsageTrigger",
    "pulumi-nodejs:dynamic/twilio:WhatsAppSender",
  ]);
  for (const r of registered) {
    const inputs = r.inputs as Record<string, unknown>;
    const text = JSON.stringify(inputs);
    // The serialized provider travels in the inputs as `__provider`: it is checked too.
    expect(typeof inputs.__provider).toBe("string");
    expect((inputs.__provider as string).length).toBeGreaterThan(1000);
    for (const secret of [secrets.apiSecret, secrets.authToken, secrets.apiKey, secrets.accountSid])
      expect(text).not.toContain(secret);
    expect(inputs.providerVersion).toBe(PROVIDER_VERSION);
  }
  expect(registered.find((r) => r.type.endsWith(":SenderPoolMember"))?.inputs).toMatchObject({
    serviceSid: "MG" + "a".repeat(32),
    senderSid: "XE" + "a".repeat(32),
  });
});

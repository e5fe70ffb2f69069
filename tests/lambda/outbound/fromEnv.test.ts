import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { ConfigError } from "../../../lambda/env";
import { outboundFromEnv, readOutboundConfig } from "../../../lambda/outbound/fromEnv";
import { MemoryStore } from "../../../lambda/store/memory";
import { createTwilioStandIn } from "../../helpers/twilio";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-dev-outbound-AbCdEf";
const BASE = "https://abc123.execute-api.eu-west-1.amazonaws.com";

describe("readOutboundConfig", () => {
  test("is undefined for a function the stack gave no outbound secret", () => {
    expect(readOutboundConfig({ PUBLIC_BASE_URL: BASE })).toBeUndefined();
  });

  test("the status callback is the public base URL plus the status route", () => {
    expect(readOutboundConfig({ OUTBOUND_SECRET_ARN: ARN, PUBLIC_BASE_URL: `${BASE}/` })).toEqual({
      secretArn: ARN,
      statusCallbackUrl: `${BASE}/whatsapp/status`,
    });
  });

  test("a secret without a public base URL is a configuration error", () => {
    expect(() => readOutboundConfig({ OUTBOUND_SECRET_ARN: ARN })).toThrow(ConfigError);
  });
});

describe("outboundFromEnv", () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());
  afterAll(() => secrets.restore());

  test("without OUTBOUND_SECRET_ARN it says the function has no send path", () => {
    expect(() => outboundFromEnv({ PUBLIC_BASE_URL: BASE }, { store: new MemoryStore() })).toThrow(
      /OUTBOUND_SECRET_ARN/,
    );
  });

  test("reads the secret's current version by ARN on the first send only, then sends through Twilio", async () => {
    const standIn = createTwilioStandIn();
    const serviceSid = standIn.seedService("svc");
    const key = await standIn.client().api.v2010.accounts(standIn.accountSid).newKeys.create({});
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({
        accountSid: standIn.accountSid,
        apiKeySid: key.sid,
        apiKeySecret: key.secret,
        messagingServiceSid: serviceSid,
      }),
    });
    const outbound = outboundFromEnv(
      { OUTBOUND_SECRET_ARN: ARN, PUBLIC_BASE_URL: BASE },
      { store: new MemoryStore(), api: { fetch: standIn.fetch } },
    );
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    const template = { contentSid: `HX${"e".repeat(32)}` };
    await outbound.send({ to: "whatsapp:+34600111222", template });
    await outbound.send({ to: "whatsapp:+34600111223", template });
    const reads = secrets.commandCalls(GetSecretValueCommand);
    expect(reads.map((c) => c.args[0].input)).toEqual([{ SecretId: ARN, VersionId: undefined }]);
    expect(standIn.sentMessages().map((m) => [m.authenticatedAs, m.statusCallback])).toEqual([
      [key.sid, `${BASE}/whatsapp/status`],
      [key.sid, `${BASE}/whatsapp/status`],
    ]);
    expect(standIn.violations).toEqual([]);
  });
});

import { expect } from "@jest/globals";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { MAX_SUBJECT_LENGTH, formatSpendingAlert } from "../../lambda/alerts/alertMessage";
import {
  readAlertTopicArn,
  snsAlertPublisher,
  type AlertPublisher,
} from "../../lambda/alerts/publisher";
import { parseUsageCallback } from "../../lambda/alerts/usageCallback";
import {
  USAGE_CLAIM_PREFIX,
  createUsageWebhook,
  handleUsageCallback,
  type UsageWebhookDeps,
} from "../../lambda/alerts/usageRoute";
import { USAGE_ROUTE } from "../../lambda/routes";
import { BadRequestError } from "../../lambda/errors";
import { handler as deployedHandler } from "../../lambda/index";
import { createJsonLogger } from "../../lambda/logger";
import { signedContentDigest } from "../../lambda/request";
import { MemoryStore } from "../../lambda/store/memory";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  formBody,
  httpApiEvent,
  signedTwilioEvent,
  twilioSignature,
  type TwilioParams,
} from "../helpers/events";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:whatsapp-bot-unit-spending";
const ACCOUNT_SID = "AC" + "a".repeat(32);
const TRIGGER_SID = "UT" + "0123456789abcdef".repeat(2);
const NOW = new Date("2026-11-26T10:00:00Z");
const RECORD_PATH = `/2010-04-01/Accounts/${ACCOUNT_SID}/Usage/Records/ThisMonth.json?Category=totalprice`;

/** Fields of a usage-trigger callback as Twilio posts them when a spend trigger fires. */
function usageParams(extra: TwilioParams = {}): TwilioParams {
  return {
    AccountSid: ACCOUNT_SID,
    UsageTriggerSid: TRIGGER_SID,
    DateFired: "Thu, 26 Nov 2026 09:58:00 +0000",
    Recurring: "monthly",
    UsageCategory: "totalprice",
    TriggerBy: "price",
    TriggerValue: "40",
    CurrentValue: "41.37",
    UsageRecordUri: RECORD_PATH,
    IdempotencyToken: "firing-0001",
    ...extra,
  };
}

function signedUsageEvent(params: TwilioParams, init: { authToken?: string } = {}) {
  return signedTwilioEvent({ params, path: USAGE_ROUTE, authToken: init.authToken });
}

/** A well-formed usage callback with no X-Twilio-Signature at all. */
function unsignedUsageEvent() {
  return httpApiEvent({
    rawPath: USAGE_ROUTE,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: formBody(usageParams()),
  });
}

const sns = mockClient(SNSClient);

interface Harness {
  webhook: ReturnType<typeof createUsageWebhook>;
  store: MemoryStore;
  logs: Record<string, unknown>[];
}

function harness(overrides: Partial<UsageWebhookDeps> = {}): Harness {
  const store = new MemoryStore();
  const logs: Record<string, unknown>[] = [];
  const webhook = createUsageWebhook({
    authToken: async () => TEST_AUTH_TOKEN,
    publicBaseUrl: TEST_BASE_URL,
    alerts: snsAlertPublisher(TOPIC_ARN),
    store,
    clock: () => NOW,
    source: "whatsapp-bot-unit",
    logger: createJsonLogger({
      now: () => NOW,
      write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
    }),
    ...overrides,
  });
  return { webhook, store, logs };
}

function publishes() {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: "msg-1" });
});

describe("POST /twilio/usage: signature", () => {
  test("a call without X-Twilio-Signature is refused with 403 and publishes nothing", async () => {
    const { webhook } = harness();
    const result = await webhook(unsignedUsageEvent());
    expect(result.statusCode).toBe(403);
    expect(publishes()).toHaveLength(0);
  });

  test("a call signed with another auth token gets 403 and publishes nothing", async () => {
    const { webhook } = harness();
    const result = await webhook(signedUsageEvent(usageParams(), { authToken: "f".repeat(32) }));
    expect(result.statusCode).toBe(403);
    expect(publishes()).toHaveLength(0);
  });

  test("a signed call whose values were changed in transit is refused with 403", async () => {
    const { webhook } = harness();
    const event = signedTwilioEvent({
      params: usageParams(),
      path: USAGE_ROUTE,
      tamper: { CurrentValue: "4137.00" },
    });
    expect((await webhook(event)).statusCode).toBe(403);
    expect(publishes()).toHaveLength(0);
  });

  test("a signature made for another route is refused with 403 on this one", async () => {
    const { webhook } = harness();
    const params = usageParams();
    const event = signedUsageEvent(params);
    event.headers["x-twilio-signature"] = twilioSignature(
      `${TEST_BASE_URL}/whatsapp/status`,
      params,
    );
    expect((await webhook(event)).statusCode).toBe(403);
    expect(publishes()).toHaveLength(0);
  });

  test("a correctly signed call publishes exactly one alert to the topic, 204", async () => {
    const { webhook } = harness();
    const result = await webhook(signedUsageEvent(usageParams()));
    expect(result.statusCode).toBe(204);
    const sent = publishes();
    expect(sent).toHaveLength(1);
    expect(sent[0].TopicArn).toBe(TOPIC_ARN);
    expect(sent[0].Subject).toBe(
      "Twilio spend alert [whatsapp-bot-unit]: totalprice at 41.37 (threshold 40)",
    );
    expect(sent[0].Message).toContain(`Trigger:        ${TRIGGER_SID}`);
    expect(sent[0].Message).toContain("Current value:  41.37 (103% of the threshold)");
    expect(sent[0].Message).toContain("Threshold:      40");
    expect(sent[0].Message).toContain("Category:       totalprice");
    // The e-mail subscription's filter policy lets exactly these messages through.
    expect(sent[0].MessageAttributes).toEqual({
      source: { DataType: "String", StringValue: "twilio-usage-trigger" },
    });
  });

  test("other paths and methods are not served", async () => {
    const { webhook } = harness();
    const wrongPath = signedTwilioEvent({ params: usageParams(), path: "/twilio/other" });
    expect((await webhook(wrongPath)).statusCode).toBe(404);
    const get = httpApiEvent({ method: "GET", rawPath: USAGE_ROUTE });
    const result = await webhook(get);
    expect(result.statusCode).toBe(405);
    expect(result.headers?.allow).toBe("POST");
    expect(publishes()).toHaveLength(0);
  });
});

// createUsageWebhook above is the route on its own; the function the stack deploys serves it
// through lambda/index.ts, configured only by the environment the stack sets.
describe("POST /twilio/usage on the deployed entry point, with ALERT_TOPIC_ARN set", () => {
  const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-unit-x1";
  const secrets = mockClient(SecretsManagerClient);
  const savedEnv = { ...process.env };

  beforeAll(() => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({
      SecretString: TEST_AUTH_TOKEN,
    });
    delete process.env.TABLE_NAME;
    delete process.env.AUTH_TOKEN_SECRET_VERSION_ID;
    Object.assign(process.env, {
      AUTH_TOKEN_SECRET_ARN: SECRET_ARN,
      PUBLIC_BASE_URL: TEST_BASE_URL,
      ALERT_TOPIC_ARN: TOPIC_ARN,
      LOG_LEVEL: "error",
    });
  });

  beforeEach(() => {
    jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(() => {
    secrets.restore();
    process.env = { ...savedEnv };
  });

  test("an unsigned call is refused with 403 and publishes nothing", async () => {
    const result = await deployedHandler(unsignedUsageEvent());
    expect(result.statusCode).toBe(403);
    expect(publishes()).toHaveLength(0);
  });

  test("a signed call publishes exactly one alert to ALERT_TOPIC_ARN, 204", async () => {
    const result = await deployedHandler(signedUsageEvent(usageParams()));
    expect(result.statusCode).toBe(204);
    expect(publishes()).toEqual([expect.objectContaining({ TopicArn: TOPIC_ARN })]);
  });
});

describe("POST /twilio/usage: one alert per firing", () => {
  test("a redelivered callback publishes once", async () => {
    const { webhook, logs } = harness();
    const first = await webhook(signedUsageEvent(usageParams()));
    const again = await webhook(signedUsageEvent(usageParams()));
    expect([first.statusCode, again.statusCode]).toEqual([204, 204]);
    expect(publishes()).toHaveLength(1);
    expect(logs.map((l) => l.msg)).toEqual([
      "spending alert published",
      "duplicate usage callback ignored",
    ]);
  });

  test("two firings publish two alerts", async () => {
    const { webhook } = harness();
    await webhook(signedUsageEvent(usageParams({ IdempotencyToken: "firing-0001" })));
    await webhook(
      signedUsageEvent(usageParams({ IdempotencyToken: "firing-0002", CurrentValue: "80.10" })),
    );
    expect(publishes().map((p) => p.Subject)).toEqual([
      expect.stringContaining("at 41.37"),
      expect.stringContaining("at 80.10"),
    ]);
  });

  // Twilio signs names and values glued together, so characters can move between neighbouring
  // fields and the same signature still holds: each variant below is a replay of one capture.
  const { IdempotencyToken: _token, Recurring: _recurring, ...rest } = usageParams();
  const shifted: [string, TwilioParams][] = [
    [
      "the token swallowing the next field",
      { ...rest, IdempotencyToken: "firing-0001Recurringmonthly" },
    ],
    [
      "DateFired swallowing the token and the next field",
      {
        ...rest,
        DateFired: "Thu, 26 Nov 2026 09:58:00 +0000IdempotencyTokenfiring-0001Recurringmonthly",
      },
    ],
  ];

  test.each(shifted)(
    "a replay with %s keeps the signature and publishes nothing more",
    async (_what, variant) => {
      const url = `${TEST_BASE_URL}${USAGE_ROUTE}`;
      expect(twilioSignature(url, variant)).toBe(twilioSignature(url, usageParams()));
      const { webhook } = harness();
      expect((await webhook(signedUsageEvent(usageParams()))).statusCode).toBe(204);
      expect((await webhook(signedUsageEvent(variant))).statusCode).toBe(204);
      expect(publishes()).toHaveLength(1);
    },
  );

  test("the claim key is a digest of the signed content, under its own prefix", async () => {
    const { webhook, store } = harness();
    await webhook(signedUsageEvent(usageParams()));
    const key = signedContentDigest(`${TEST_BASE_URL}${USAGE_ROUTE}`, usageParams());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.claimMessage(`${USAGE_CLAIM_PREFIX}${key}`, NOW)).toBe(false);
    expect(await store.claimMessage(key, NOW)).toBe(true);
  });

  test("without a token or a firing time, a redelivery still publishes once", async () => {
    const { webhook } = harness();
    const { IdempotencyToken: _t, DateFired: _d, ...bare } = usageParams();
    await webhook(signedUsageEvent(bare));
    await webhook(signedUsageEvent(bare));
    await webhook(signedUsageEvent({ ...bare, CurrentValue: "52.00" }));
    expect(publishes()).toHaveLength(2);
  });

  test("an SNS failure answers 500, logs the alert, and is not republished", async () => {
    sns.on(PublishCommand).rejectsOnce(new Error("Throttling"));
    const { webhook, logs } = harness();
    const failed = await webhook(signedUsageEvent(usageParams()));
    expect(failed.statusCode).toBe(500);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "spending alert not published",
        subject: expect.stringContaining("totalprice at 41.37"),
      }),
    );
    const again = await webhook(signedUsageEvent(usageParams()));
    expect(again.statusCode).toBe(204);
    expect(publishes()).toHaveLength(1);
  });

  test("without an alert topic a signed callback gets 404 and nothing is published", async () => {
    const { webhook } = harness({ alerts: undefined });
    expect((await webhook(signedUsageEvent(usageParams()))).statusCode).toBe(404);
    expect(publishes()).toHaveLength(0);
  });
});

describe("POST /twilio/usage: malformed bodies", () => {
  test.each<[string, TwilioParams]>([
    ["no UsageTriggerSid", usageParams({ UsageTriggerSid: "" })],
    [
      "a UsageTriggerSid that is not a UT SID",
      usageParams({ UsageTriggerSid: "MG" + "0".repeat(32) }),
    ],
    ["an AccountSid that is not an AC SID", usageParams({ AccountSid: "ACnope" })],
    ["a CurrentValue that is not a number", usageParams({ CurrentValue: "a lot" })],
    ["a TriggerValue that is not a number", usageParams({ TriggerValue: "+30" })],
    ["no UsageCategory", usageParams({ UsageCategory: " " })],
    ["an over-long IdempotencyToken", usageParams({ IdempotencyToken: "x".repeat(600) })],
  ])("a signed callback with %s gets 400 and publishes nothing", async (_name, params) => {
    const { webhook } = harness();
    const result = await webhook(signedUsageEvent(params));
    expect(result.statusCode).toBe(400);
    expect(publishes()).toHaveLength(0);
  });

  test("a body with a broken percent-escape gets 400", async () => {
    const { webhook } = harness();
    const event = httpApiEvent({
      rawPath: USAGE_ROUTE,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": "c2lnbmF0dXJl",
      },
      body: "AccountSid=%zz",
    });
    expect((await webhook(event)).statusCode).toBe(400);
    expect(publishes()).toHaveLength(0);
  });

  test("a field sent twice is refused rather than guessed", () => {
    expect(() => parseUsageCallback({ ...usageParams(), CurrentValue: ["1", "2"] })).toThrow(
      BadRequestError,
    );
  });

  test("a JSON body is refused with 415", async () => {
    const { webhook } = harness();
    const event = signedUsageEvent(usageParams());
    event.headers["content-type"] = "application/json";
    expect((await webhook(event)).statusCode).toBe(415);
    expect(publishes()).toHaveLength(0);
  });
});

/** What verifyTwilioRequest hands on for a usage callback. */
function verified(params: TwilioParams) {
  return { params, url: `${TEST_BASE_URL}${USAGE_ROUTE}` };
}

describe("handleUsageCallback (after the handler verified the signature)", () => {
  test("publishes the formatted alert through the injected publisher and answers 204", async () => {
    const sent: { subject: string; message: string }[] = [];
    const alerts: AlertPublisher = { publish: async (alert) => void sent.push(alert) };
    const result = await handleUsageCallback(verified(usageParams()), { alerts });
    expect(result).toEqual({ statusCode: 204 });
    expect(sent).toEqual([formatSpendingAlert(parseUsageCallback(usageParams()))]);
  });

  test("without a store every delivery publishes (no claim to consult)", async () => {
    let count = 0;
    const alerts: AlertPublisher = { publish: async () => void count++ };
    await handleUsageCallback(verified(usageParams()), { alerts });
    await handleUsageCallback(verified(usageParams()), { alerts });
    expect(count).toBe(2);
  });
});

describe("formatSpendingAlert", () => {
  test("keeps the subject on one line and under SNS's 100-character limit", () => {
    const callback = parseUsageCallback(
      usageParams({ UsageCategory: "a2p-10dlc-registrationfees-campaignregistration" }),
    );
    const { subject } = formatSpendingAlert(callback, "whatsapp-bot-a-rather-long-stack-name-x");
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).not.toMatch(/[\r\n]/);
  });

  test("says count or usage instead of spend for triggers that watch those fields", () => {
    const byCount = parseUsageCallback(usageParams({ TriggerBy: "count", UsageCategory: "sms" }));
    expect(formatSpendingAlert(byCount).subject).toBe(
      "Twilio count alert: sms at 41.37 (threshold 40)",
    );
    expect(formatSpendingAlert(byCount).message).not.toContain("billing currency");
  });

  test("links the usage record on api.twilio.com", () => {
    const { message } = formatSpendingAlert(parseUsageCallback(usageParams()));
    expect(message).toContain(`Usage record:   https://api.twilio.com${RECORD_PATH}`);
  });
});

describe("readAlertTopicArn", () => {
  test.each([
    [{ ALERT_TOPIC_ARN: TOPIC_ARN }, TOPIC_ARN],
    [{ ALERT_TOPIC_ARN: "  " }, undefined],
    [{}, undefined],
  ])("reads %j as %s", (env, expected) => {
    expect(readAlertTopicArn(env)).toBe(expected);
  });
});

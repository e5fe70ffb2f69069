import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { handler } from "../../lambda/index";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { captureEntryPointOutput } from "../helpers/entryPoint";
import { TEST_AUTH_TOKEN, TEST_BASE_URL, signedTwilioEvent, textParams } from "../helpers/events";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-test-AbCdEf";
const sm = mockClient(SecretsManagerClient);
const output = captureEntryPointOutput();

afterAll(() => sm.restore());

// Order matters: the entry point keeps its handler for the container's life once built.
describe("the Lambda entry point", () => {
  test("answers 500 and logs the missing variables when the stack did not configure it", async () => {
    delete process.env.AUTH_TOKEN_SECRET_ARN;
    delete process.env.PUBLIC_BASE_URL;
    const result = await handler(signedTwilioEvent({ params: textParams("1") }));
    expect(result.statusCode).toBe(500);
    expect(output().join("")).toContain("AUTH_TOKEN_SECRET_ARN, PUBLIC_BASE_URL");
  });

  test("reads the token from Secrets Manager once and answers in the configured language", async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: TEST_AUTH_TOKEN });
    Object.assign(process.env, {
      AUTH_TOKEN_SECRET_ARN: ARN,
      PUBLIC_BASE_URL: TEST_BASE_URL,
      BOT_LANGUAGE: "en",
      TWILIO_AUTH_TOKEN: "ignored-in-lambda-0000000000000",
    });
    delete process.env.TABLE_NAME;
    const first = await handler(signedTwilioEvent({ params: textParams("1") }));
    const second = await handler(signedTwilioEvent({ params: textParams("2") }));
    expect(first.statusCode).toBe(200);
    expect(readTwimlReplies(first.body ?? "")[0].body).toMatch(/^We're open/);
    expect(second.statusCode).toBe(200);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  test("writes JSON log lines with the MessageSid and never the token", async () => {
    const params = textParams("3");
    await handler(signedTwilioEvent({ params }));
    const lines = output()
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "info", messageSid: params.MessageSid }),
    );
    expect(output().join("")).not.toContain(TEST_AUTH_TOKEN);
  });

  test("routes a signed usage-trigger callback, answering 404 while no alert topic is set", async () => {
    delete process.env.ALERT_TOPIC_ARN;
    const params = {
      AccountSid: "AC" + "a".repeat(32),
      UsageTriggerSid: "UT" + "1".repeat(32),
      UsageCategory: "totalprice",
      TriggerValue: "50",
      CurrentValue: "50.25",
      IdempotencyToken: "AC" + "a".repeat(32) + "-FIRES-UT" + "1".repeat(32) + "-2026-11-26",
    };
    const result = await handler(signedTwilioEvent({ params, path: "/twilio/usage" }));
    expect(result.statusCode).toBe(404);
    expect(result.body).toBe("spending alerts are not configured");
  });

  test("refuses a request signed with another token", async () => {
    const result = await handler(
      signedTwilioEvent({ params: textParams("1"), authToken: "9".repeat(32) }),
    );
    expect(result.statusCode).toBe(403);
  });
});

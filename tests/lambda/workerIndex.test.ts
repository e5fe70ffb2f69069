import { expect } from "@jest/globals";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { worker } from "../../lambda/workerIndex";
import { encodeJob } from "../../lambda/queue/job";
import { captureEntryPointOutput } from "../helpers/entryPoint";
import { TEST_BASE_URL, textParams } from "../helpers/events";

const OUTBOUND_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:outbound-AbCdEf";
const sm = mockClient(SecretsManagerClient);
const output = captureEntryPointOutput();

function event(body: string): SQSEvent {
  return {
    Records: [{ messageId: "m0", body, attributes: { ApproximateReceiveCount: "1" } }],
  } as unknown as SQSEvent;
}

afterAll(() => sm.restore());

// Order matters: the entry point keeps its worker for the container's life once built.
describe("the worker entry point", () => {
  test("fails the whole batch and logs the missing variable when the stack did not configure it", async () => {
    delete process.env.PUBLIC_BASE_URL;
    await expect(worker(event("{}"))).rejects.toMatchObject({ name: "ConfigError" });
    expect(output().join("")).toContain("PUBLIC_BASE_URL");
  });

  test("runs the turn and hands the reply to the send path, which checks the window before Twilio", async () => {
    sm.on(GetSecretValueCommand, { SecretId: OUTBOUND_ARN }).resolves({
      SecretString: JSON.stringify({
        accountSid: `AC${"1".repeat(32)}`,
        apiKeySid: `SK${"1".repeat(32)}`,
        apiKeySecret: "a-long-enough-api-key-secret",
        messagingServiceSid: `MG${"1".repeat(32)}`,
      }),
    });
    const fetchSpy = jest.spyOn(globalThis, "fetch");
    Object.assign(process.env, {
      PUBLIC_BASE_URL: TEST_BASE_URL,
      OUTBOUND_SECRET_ARN: OUTBOUND_ARN,
      BOT_LANGUAGE: "en",
    });
    delete process.env.TABLE_NAME;
    delete process.env.HANDOFF_TOPIC_ARN;
    const params = textParams("1");
    const job = { v: 1 as const, params, conversationId: "wa:34600111222", receivedAt: Date.now() };
    // The in-memory store of a fresh container never saw this user write: the send path refuses
    // free-form text outside the window, which the worker records as refused for good.
    expect(await worker(event(encodeJob(job)))).toEqual({ batchItemFailures: [] });
    expect(fetchSpy).not.toHaveBeenCalled();
    const lines = output()
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "reply refused", reason: "WindowClosedError", index: 0 }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "reply delivered",
        messageSid: params.MessageSid,
        refused: 1,
      }),
    );
  });
});

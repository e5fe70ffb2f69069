import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { handler } from "../../lambda/index";
import { decodeJob } from "../../lambda/queue/job";
import { TEST_AUTH_TOKEN, TEST_BASE_URL, signedTwilioEvent, textParams } from "../helpers/events";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-test-AbCdEf";
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/whatsapp-bot-test-replies.fifo";
const sm = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
const saved = { ...process.env };

beforeAll(() => {
  sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: TEST_AUTH_TOKEN });
  sqs.on(SendMessageCommand).resolves({ MessageId: "m-1" });
  Object.assign(process.env, {
    AUTH_TOKEN_SECRET_ARN: ARN,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    REPLY_QUEUE_URL: QUEUE_URL,
  });
  delete process.env.TABLE_NAME;
  jest.spyOn(process.stdout, "write").mockImplementation(() => true);
});

afterAll(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  sm.restore();
  sqs.restore();
});

describe("the Lambda entry point with REPLY_QUEUE_URL (queued mode)", () => {
  test("puts the message on the FIFO queue, grouped by conversation, and answers empty TwiML", async () => {
    const params = textParams("1");
    const result = await handler(signedTwilioEvent({ params }));
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input).toMatchObject({
      QueueUrl: QUEUE_URL,
      MessageGroupId: "wa:34600111222",
      MessageDeduplicationId: params.MessageSid,
    });
    expect(decodeJob(input.MessageBody ?? "").params).toEqual(params);
  });
});

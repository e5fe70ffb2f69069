import { expect } from "@jest/globals";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { handler } from "../../lambda/index";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { HANDOFF_RELEASE_ROUTE } from "../../lambda/routes";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  USER_ADDRESS,
  signedTwilioEvent,
  textParams,
} from "../helpers/events";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-test-AbCdEf";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:whatsapp-bot-test-handoff";
const sm = mockClient(SecretsManagerClient);
const sns = mockClient(SNSClient);
const saved = { ...process.env };

beforeAll(() => {
  jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  sm.on(GetSecretValueCommand).resolves({ SecretString: TEST_AUTH_TOKEN });
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  delete process.env.TABLE_NAME;
  Object.assign(process.env, {
    AUTH_TOKEN_SECRET_ARN: SECRET_ARN,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    HANDOFF_TOPIC_ARN: TOPIC_ARN,
    HANDOFF_TIMEOUT_MINUTES: "5",
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/whatsapp-bot-test",
  });
});

afterAll(() => {
  jest.restoreAllMocks();
  process.env = { ...saved };
  sm.restore();
  sns.restore();
});

describe("the Lambda entry point with HANDOFF_TOPIC_ARN", () => {
  test("publishes the person option to that topic with the CloudWatch link and the timeout, and serves the release route", async () => {
    const choose = await handler(signedTwilioEvent({ params: textParams("4") }));
    expect(readTwimlReplies(choose.body ?? "")).toHaveLength(1);
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.TopicArn).toBe(TOPIC_ARN);
    const message = JSON.parse(calls[0].args[0].input.Message ?? "") as { default: string };
    const event = JSON.parse(message.default) as {
      at: string;
      pausedUntil: string;
      logsUrl: string;
    };
    expect(Date.parse(event.pausedUntil) - Date.parse(event.at)).toBe(5 * 60_000);
    expect(event.logsUrl).toMatch(
      /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/.*\$252Faws\$252Flambda\$252Fwhatsapp-bot-test\//,
    );

    const release = await handler(
      signedTwilioEvent({
        path: HANDOFF_RELEASE_ROUTE,
        params: { To: USER_ADDRESS, Timestamp: String(Math.floor(Date.now() / 1000)) },
      }),
    );
    expect(release.statusCode).toBe(200);
    expect(JSON.parse(release.body ?? "")).toMatchObject({ released: true });
  });
});

import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { handler } from "../../lambda/index";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { DynamoStore } from "../../lambda/store/dynamo";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  sid,
  signedTwilioEvent,
  statusParams,
  textParams,
} from "../helpers/events";
import { startDynalite, type Dynalite } from "./store/dynalite";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-test-AbCdEf";
const sm = mockClient(SecretsManagerClient);
const saved = { ...process.env };
let db: Dynalite;

beforeAll(async () => {
  db = await startDynalite("whatsapp-bot-entry");
  const endpoint = await db.client.config.endpoint?.();
  sm.on(GetSecretValueCommand).resolves({ SecretString: TEST_AUTH_TOKEN });
  // The entry point builds its own DynamoDBClient, as in Lambda; the SDK's standard endpoint
  // variable points it at dynalite on loopback.
  Object.assign(process.env, {
    TABLE_NAME: db.tableName,
    AUTH_TOKEN_SECRET_ARN: ARN,
    PUBLIC_BASE_URL: TEST_BASE_URL,
    AWS_ENDPOINT_URL_DYNAMODB: `http://${endpoint?.hostname}:${endpoint?.port}`,
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    LOG_LEVEL: "error",
  });
});

afterAll(async () => {
  process.env = saved;
  sm.restore();
  await db.stop();
});

const replyCount = (body: string | undefined) => readTwimlReplies(body ?? "").length;

describe("the Lambda entry point with TABLE_NAME set (DynamoDB over dynalite)", () => {
  test("sends a stored answer again to one repeat only of a MessageSid", async () => {
    const params = textParams("1");
    const first = await handler(signedTwilioEvent({ params }));
    const second = await handler(signedTwilioEvent({ params, path: "/whatsapp/fallback" }));
    const third = await handler(signedTwilioEvent({ params }));
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 200, 200]);
    expect(second.body).toBe(first.body);
    expect([replyCount(first.body), replyCount(second.body), replyCount(third.body)]).toEqual([
      1, 1, 0,
    ]);
  });

  test("replies once to a MessageSid delivered many times at once", async () => {
    const params = textParams("2");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => handler(signedTwilioEvent({ params }))),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(results.map((r) => replyCount(r.body)).reduce((a, b) => a + b, 0)).toBe(1);
  });

  test("keeps the latest status when callbacks arrive out of order", async () => {
    const messageSid = sid("SM");
    for (const status of ["delivered", "read", "sent", "queued"]) {
      const r = await handler(
        signedTwilioEvent({ params: statusParams(messageSid, status), path: "/whatsapp/status" }),
      );
      expect(r.statusCode).toBe(204);
    }
    const store = new DynamoStore({ tableName: db.tableName, client: db.client });
    expect((await store.getStatus(messageSid))?.status).toBe("read");
  });

  test("keeps the conversation's last inbound time in the table", async () => {
    const before = Date.now();
    await handler(
      signedTwilioEvent({
        params: textParams("hola", { WaId: "34999000111", From: "whatsapp:+34999000111" }),
      }),
    );
    const store = new DynamoStore({ tableName: db.tableName, client: db.client });
    const conversation = await store.getConversation("wa:34999000111");
    expect(conversation?.lastInboundAt).toBeGreaterThanOrEqual(before);
    expect(conversation?.inboundCount).toBe(1);
  });
});

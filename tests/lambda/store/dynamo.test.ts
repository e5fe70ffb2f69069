import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { createMenuBot } from "../../../lambda/bot";
import { createHandler } from "../../../lambda/handler";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  signedTwilioEvent,
  textParams,
} from "../../helpers/events";
import { DynamoStore } from "../../../lambda/store/dynamo";
import { CLAIM_TTL_SECONDS } from "../../../lambda/store/store";
import { describeStoreContract } from "./contract";
import { startDynalite, type Dynalite } from "./dynalite";

let db: Dynalite;

beforeAll(async () => {
  db = await startDynalite();
});

afterAll(async () => {
  await db.stop();
});

describeStoreContract(
  "DynamoStore over dynalite",
  () => new DynamoStore({ tableName: db.tableName, client: db.client }),
);

describe("DynamoStore items", () => {
  test("writes a claim under pk msg#<sid> with an expiresAt in epoch seconds", async () => {
    const store = new DynamoStore({ tableName: db.tableName, client: db.client });
    const now = new Date("2026-11-26T10:00:00Z");
    const sid = "SM" + "d".repeat(32);
    await store.claimMessage(sid, now);
    const { Item } = await db.client.send(
      new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: `msg#${sid}` } } }),
    );
    expect(Item?.expiresAt).toEqual({ N: String(now.getTime() / 1000 + CLAIM_TTL_SECONDS) });
  });

  test("surfaces errors other than a failed condition", async () => {
    const store = new DynamoStore({ tableName: "no-such-table", client: db.client });
    await expect(store.claimMessage("SM" + "e".repeat(32), new Date())).rejects.toThrow(
      /not found|ResourceNotFound/i,
    );
  });
});

describe("the answer-once write budget with consent and hand-off", () => {
  /** Counts the DynamoDB writes of one message through the handler, as bench/dynamoCalls.ts does. */
  async function writesPerMessage(bodies: string[]): Promise<number[]> {
    const client = db.client;
    let writes = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^(Put|Update|Delete)Item/.test(context.commandName ?? "")) writes++;
        return next(args);
      },
      { step: "finalizeRequest", name: "countWrites" },
    );
    const store = new DynamoStore({ tableName: db.tableName, client });
    const handler = createHandler({
      store,
      authToken: async () => TEST_AUTH_TOKEN,
      bot: createMenuBot(),
      publicBaseUrl: TEST_BASE_URL,
      handoff: {
        publisher: { publish: () => Promise.resolve() },
        timeoutMs: 60_000,
        publicBaseUrl: TEST_BASE_URL,
      },
    });
    const counts: number[] = [];
    const waId = `3461${Date.now() % 10_000_000}`;
    for (const body of bodies) {
      writes = 0;
      const params = textParams(body, { From: `whatsapp:+${waId}`, WaId: waId });
      expect((await handler(signedTwilioEvent({ params }))).statusCode).toBe(200);
      counts.push(writes);
    }
    client.middlewareStack.remove("countWrites");
    const stored = await store.getConversation(`wa:${waId}`);
    expect(stored?.recentMessages?.map((m) => m.text)).toEqual(bodies);
    return counts;
  }

  test("an opt-out, a message while opted out, an opt-in and a hand-off each cost the same two writes as any message", async () => {
    expect(await writesPerMessage(["hola", "BAJA", "1", "ALTA", "4", "¿hola?"])).toEqual([
      2, 2, 2, 2, 2, 2,
    ]);
  });
});

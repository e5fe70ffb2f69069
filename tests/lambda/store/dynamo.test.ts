import { GetItemCommand } from "@aws-sdk/client-dynamodb";
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

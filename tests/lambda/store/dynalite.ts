import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

// dynalite ships no type declarations; this is the one function the tests use.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- no type declarations to import
const dynalite = require("dynalite") as (options: { createTableMs?: number }) => Server;

/** A dynalite server on a loopback port with the bot's table created in it. */
export interface Dynalite {
  /** Client pointed at the server. */
  client: DynamoDBClient;
  /** The table (hash key `pk` S, TTL on `expiresAt`, as the stack creates it). */
  tableName: string;
  /** Stops the server and the client. */
  stop(): Promise<void>;
}

/** Starts dynalite on port 0 and creates a table shaped like the stack's. */
export async function startDynalite(tableName = "whatsapp-bot-test"): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await client
    .send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
      }),
    )
    .catch(() => undefined); // dynalite may not implement TTL; expiry is DynamoDB's job anyway.
  return {
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

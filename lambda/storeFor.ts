import { MemoryStore } from "./store/memory";
import type { Store } from "./store/store";

/** The table's store, or memory without one; shared by the webhook and the worker entry points. */
export async function storeFor(tableName: string | undefined): Promise<Store> {
  if (!tableName) return new MemoryStore();
  // Loaded lazily: esbuild keeps this module behind a lazy initializer in the bundle.
  const { DynamoStore } = await import("./store/dynamo");
  return new DynamoStore({ tableName });
}

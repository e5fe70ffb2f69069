import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { StatusCallback } from "../message";
import { statusRank } from "./status";
import {
  CLAIM_TTL_SECONDS,
  CONVERSATION_TTL_SECONDS,
  STATUS_TTL_SECONDS,
  expiresAt,
  type Conversation,
  type StatusRecord,
  type Store,
} from "./store";

type Item = Record<string, AttributeValue>;

/** Options for {@link DynamoStore}. */
export interface DynamoStoreOptions {
  /** Table with hash key `pk` (S) and TTL attribute `expiresAt`. */
  tableName: string;
  /** Client to use; by default one built from the Lambda environment (region, role credentials). */
  client?: DynamoDBClient;
}

const str = (value: string): AttributeValue => ({ S: value });
const num = (value: number): AttributeValue => ({ N: String(value) });
const readNum = (value: AttributeValue | undefined): number | undefined =>
  value?.N === undefined ? undefined : Number(value.N);

/**
 * DynamoDB store: one item per key with a type prefix in `pk`. Every write that must not race is a
 * single conditional request (no read-then-write), so concurrent Lambda containers agree.
 */
export class DynamoStore implements Store {
  private readonly tableName: string;
  private readonly client: DynamoDBClient;

  constructor(options: DynamoStoreOptions) {
    this.tableName = options.tableName;
    this.client = options.client ?? new DynamoDBClient({});
  }

  async claimMessage(messageSid: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: str(`msg#${messageSid}`),
            claimedAt: num(now.getTime()),
            expiresAt: num(expiresAt(now, CLAIM_TTL_SECONDS)),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async recordInbound(id: string, now: Date, profileName?: string): Promise<Conversation> {
    const values: Item = {
      ":now": num(now.getTime()),
      ":exp": num(expiresAt(now, CONVERSATION_TTL_SECONDS)),
      ":one": num(1),
    };
    let set = "lastInboundAt = :now, expiresAt = :exp";
    if (profileName !== undefined) {
      set += ", profileName = :name";
      values[":name"] = str(profileName);
    }
    const out = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: str(`conv#${id}`) },
        UpdateExpression: `SET ${set} ADD inboundCount :one`,
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_OLD",
      }),
    );
    const old = out.Attributes ?? {};
    return {
      id,
      profileName: profileName ?? old.profileName?.S,
      lastInboundAt: now.getTime(),
      previousInboundAt: readNum(old.lastInboundAt),
      inboundCount: (readNum(old.inboundCount) ?? 0) + 1,
    };
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const item = await this.get(`conv#${id}`);
    if (!item) return undefined;
    return {
      id,
      profileName: item.profileName?.S,
      lastInboundAt: readNum(item.lastInboundAt),
      inboundCount: readNum(item.inboundCount) ?? 0,
    };
  }

  async recordStatus(callback: StatusCallback, now: Date): Promise<boolean> {
    const key = { pk: str(`status#${callback.messageSid}`) };
    const rank = statusRank(callback.status);
    const common: Item = {
      ":status": str(callback.status),
      ":now": num(now.getTime()),
      ":exp": num(expiresAt(now, STATUS_TTL_SECONDS)),
    };
    if (rank === undefined) {
      // Unknown statuses are kept beside the known one and never compete with it.
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression:
            "SET lastOtherStatus = :status, updatedAt = :now, expiresAt = :exp ADD otherStatuses :set",
          ExpressionAttributeValues: { ...common, ":set": { SS: [callback.status] } },
        }),
      );
      return false;
    }
    const values: Item = { ...common, ":rank": num(rank) };
    let update =
      "SET knownStatus = :status, statusRank = :rank, updatedAt = :now, expiresAt = :exp";
    if (callback.errorCode !== undefined) {
      update += ", errorCode = :code";
      values[":code"] = str(callback.errorCode);
    } else {
      update += " REMOVE errorCode";
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: update,
          // The monotone rule lives in the condition, so two racing callbacks cannot undo each other.
          ConditionExpression: "attribute_not_exists(statusRank) OR statusRank < :rank",
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async getStatus(messageSid: string): Promise<StatusRecord | undefined> {
    const item = await this.get(`status#${messageSid}`);
    if (!item) return undefined;
    const status = item.knownStatus?.S ?? item.lastOtherStatus?.S;
    if (status === undefined) return undefined;
    return {
      messageSid,
      status,
      otherStatuses: [...(item.otherStatuses?.SS ?? [])].sort(),
      errorCode: item.errorCode?.S,
      updatedAt: readNum(item.updatedAt) ?? 0,
    };
  }

  private async get(pk: string): Promise<Item | undefined> {
    const out = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { pk: str(pk) }, ConsistentRead: true }),
    );
    return out.Item;
  }
}

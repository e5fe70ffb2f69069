import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { ReplyMessage } from "../bot";
import type { StatusCallback } from "../message";
import { statusRank } from "./status";
import {
  CLAIM_TTL_SECONDS,
  CONVERSATION_TTL_SECONDS,
  STATUS_TTL_SECONDS,
  expiresAt,
  type CommitReplyResult,
  type CommitResult,
  type Conversation,
  type ConversationChange,
  type RecentMessage,
  type ReplyItemOutcome,
  type StatusRecord,
  type Store,
  type StoredAnswer,
  type StoredReply,
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

function readRecent(value: AttributeValue | undefined): RecentMessage[] | undefined {
  return value?.L?.map((entry) => ({
    at: readNum(entry.M?.at) ?? 0,
    text: entry.M?.text?.S ?? "",
  }));
}

/** Adds a conversation change's SET and REMOVE clauses and values (a value sets, null removes). */
function changeClauses(
  change: ConversationChange,
  set: string[],
  remove: string[],
  values: Item,
): void {
  if (change.recentMessages !== undefined) {
    set.push("recentMessages = :recent");
    values[":recent"] = {
      L: change.recentMessages.map((m) => ({ M: { at: num(m.at), text: str(m.text) } })),
    };
  }
  if (change.consentMessageSid !== undefined) {
    set.push("consentMessageSid = :consentSid");
    values[":consentSid"] = str(change.consentMessageSid);
  }
  for (const name of ["optedOutAt", "handoffAt"] as const) {
    const value = change[name];
    if (value === null) remove.push(name);
    else if (value !== undefined) {
      set.push(`${name} = :${name}`);
      values[`:${name}`] = num(value);
    }
  }
}

/** Index of a reply message as an attribute-name suffix; anything else is a bug in the caller. */
function itemIndex(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad reply index ${index}`);
  return String(index);
}

/**
 * A queued reply's state lives on the message's own item: `replyToken` and `replyMessages` (JSON),
 * then per message `claim<i>` (the attempt sending it) and `outcome<i>` (JSON), so each step of
 * the worker is one small conditional UpdateItem on one item.
 */
function readReply(item: Item): StoredReply | undefined {
  const token = item.replyToken?.S;
  if (token === undefined) return undefined;
  const messages = JSON.parse(item.replyMessages?.S ?? "[]") as ReplyMessage[];
  const change = item.replyChange?.S;
  return {
    token,
    messages,
    ...(change === undefined ? {} : { change: JSON.parse(change) as ConversationChange }),
    items: messages.map((_, i) => {
      const outcome = item[`outcome${i}`]?.S;
      return {
        claimedBy: item[`claim${i}`]?.S,
        outcome: outcome === undefined ? undefined : (JSON.parse(outcome) as ReplyItemOutcome),
      };
    }),
  };
}

function readAnswer(item: Item | undefined): StoredAnswer | undefined {
  if (!item) return undefined;
  return {
    token: item.token?.S ?? "",
    twiml: item.twiml?.S,
    answeredAt: readNum(item.answeredAt) ?? readNum(item.claimedAt) ?? 0,
    resentBy: item.resentBy?.S,
    job: item.job?.S,
    reply: readReply(item),
  };
}

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

  async getAnswer(messageSid: string): Promise<StoredAnswer | undefined> {
    return readAnswer(await this.get(`msg#${messageSid}`));
  }

  async commitAnswer(
    messageSid: string,
    answer: { token: string; twiml: string; job?: string },
    now: Date,
  ): Promise<CommitResult> {
    const pk = `msg#${messageSid}`;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            pk: str(pk),
            token: str(answer.token),
            twiml: str(answer.twiml),
            ...(answer.job === undefined ? {} : { job: str(answer.job) }),
            answeredAt: num(now.getTime()),
            expiresAt: num(expiresAt(now, CLAIM_TTL_SECONDS)),
          },
          ConditionExpression: "attribute_not_exists(pk)",
          // DynamoDB hands back the item that failed the condition, saving a read; dynalite does not,
          // hence the GetItem below.
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { stored: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = readAnswer(err.Item ?? (await this.get(pk)));
      // Our own write, applied before its answer was lost and the SDK retried it.
      if (existing?.token === answer.token) return { stored: true };
      return { stored: false, existing };
    }
  }

  async claimResend(messageSid: string, token: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: str(`msg#${messageSid}`) },
          UpdateExpression: "SET resentBy = :token, resentAt = :now",
          // The same token may pass again: that is a retried write whose first answer was lost.
          ConditionExpression:
            "attribute_exists(pk) AND (attribute_not_exists(resentBy) OR resentBy = :token)",
          ExpressionAttributeValues: { ":token": str(token), ":now": num(now.getTime()) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async commitReply(
    messageSid: string,
    reply: { token: string; messages: ReplyMessage[]; change?: ConversationChange },
    now: Date,
  ): Promise<CommitReplyResult> {
    const pk = `msg#${messageSid}`;
    const values: Item = {
      ":token": str(reply.token),
      ":messages": str(JSON.stringify(reply.messages)),
      ":now": num(now.getTime()),
      ":exp": num(expiresAt(now, CLAIM_TTL_SECONDS)),
    };
    let update =
      "SET replyToken = :token, replyMessages = :messages, repliedAt = :now, expiresAt = if_not_exists(expiresAt, :exp)";
    if (reply.change !== undefined) {
      update += ", replyChange = :change";
      values[":change"] = str(JSON.stringify(reply.change));
    }
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: str(pk) },
          UpdateExpression: update,
          ConditionExpression: "attribute_not_exists(replyToken)",
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return { stored: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = readReply(err.Item ?? (await this.get(pk)) ?? {});
      if (existing === undefined) throw err;
      // Our own write, applied before its answer was lost and the SDK retried it.
      if (existing.token === reply.token) return { stored: true };
      return { stored: false, existing };
    }
  }

  async updateConversation(id: string, change: ConversationChange, now: Date): Promise<void> {
    const values: Item = { ":exp": num(expiresAt(now, CONVERSATION_TTL_SECONDS)) };
    const set = ["expiresAt = :exp"];
    const remove: string[] = [];
    changeClauses(change, set, remove, values);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: str(`conv#${id}`) },
        UpdateExpression:
          `SET ${set.join(", ")}` + (remove.length > 0 ? ` REMOVE ${remove.join(", ")}` : ""),
        ExpressionAttributeValues: values,
      }),
    );
  }

  async claimReplyItem(
    messageSid: string,
    index: number,
    token: string,
    now: Date,
  ): Promise<boolean> {
    const i = itemIndex(index);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: str(`msg#${messageSid}`) },
          UpdateExpression: `SET claim${i} = :token, claimedAt${i} = :now`,
          // The same token may pass again: a retried write whose first answer was lost.
          ConditionExpression:
            `attribute_exists(replyToken) AND attribute_not_exists(outcome${i}) AND ` +
            `(attribute_not_exists(claim${i}) OR claim${i} = :token)`,
          ExpressionAttributeValues: { ":token": str(token), ":now": num(now.getTime()) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async releaseReplyItem(messageSid: string, index: number, token: string): Promise<void> {
    const i = itemIndex(index);
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: str(`msg#${messageSid}`) },
          UpdateExpression: `REMOVE claim${i}, claimedAt${i}`,
          ConditionExpression: `claim${i} = :token AND attribute_not_exists(outcome${i})`,
          ExpressionAttributeValues: { ":token": str(token) },
        }),
      );
    } catch (err) {
      // Not ours (any more), or already done: nothing to withdraw.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  async recordReplyItem(
    messageSid: string,
    index: number,
    outcome: ReplyItemOutcome,
    now: Date,
  ): Promise<void> {
    const i = itemIndex(index);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: str(`msg#${messageSid}`) },
        UpdateExpression: `SET outcome${i} = :outcome, doneAt${i} = :now`,
        ExpressionAttributeValues: {
          ":outcome": str(JSON.stringify(outcome)),
          ":now": num(now.getTime()),
        },
      }),
    );
  }

  async recordInbound(
    id: string,
    messageSid: string,
    now: Date,
    profileName?: string,
    change: ConversationChange = {},
  ): Promise<boolean> {
    const values: Item = {
      ":now": num(now.getTime()),
      ":exp": num(expiresAt(now, CONVERSATION_TTL_SECONDS)),
      ":one": num(1),
      ":sid": str(messageSid),
    };
    const set = ["lastInboundAt = :now", "expiresAt = :exp", "lastMessageSid = :sid"];
    const remove: string[] = [];
    if (profileName !== undefined) {
      set.push("profileName = :name");
      values[":name"] = str(profileName);
    }
    // Consent, hand-off and the recent messages ride on this same UpdateItem: no extra write.
    changeClauses(change, set, remove, values);
    const update =
      `SET ${set.join(", ")}` + (remove.length > 0 ? ` REMOVE ${remove.join(", ")}` : "");
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: str(`conv#${id}`) },
          UpdateExpression: `${update} ADD inboundCount :one`,
          // A retried write whose first answer was lost must not count the message twice.
          ConditionExpression: "attribute_not_exists(lastMessageSid) OR lastMessageSid <> :sid",
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async releaseHandoff(id: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: str(`conv#${id}`) },
          UpdateExpression: "SET handoffReleasedAt = :now REMOVE handoffAt",
          ConditionExpression: "attribute_exists(handoffAt)",
          ExpressionAttributeValues: { ":now": num(now.getTime()) },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const item = await this.get(`conv#${id}`);
    if (!item) return undefined;
    return {
      id,
      profileName: item.profileName?.S,
      lastInboundAt: readNum(item.lastInboundAt),
      inboundCount: readNum(item.inboundCount) ?? 0,
      optedOutAt: readNum(item.optedOutAt),
      consentMessageSid: item.consentMessageSid?.S,
      handoffAt: readNum(item.handoffAt),
      recentMessages: readRecent(item.recentMessages),
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

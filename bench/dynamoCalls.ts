import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { staticAuthToken } from "../lambda/authToken";
import { createMenuBot } from "../lambda/bot";
import { createHandler, type WebhookHandler } from "../lambda/handler";
import { readTwimlReplies } from "../lambda/local/twimlText";
import { DynamoStore } from "../lambda/store/dynamo";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  signedTwilioEvent,
  textParams,
} from "../tests/helpers/events";
import { startDynalite } from "../tests/lambda/store/dynalite";
import { num, type Benchmark } from "./report";

/** The ceiling for DynamoDB writes on the happy path of one incoming message. */
const MAX_HAPPY_WRITES = 2;

const WRITES = new Set(["PutItemCommand", "UpdateItemCommand", "DeleteItemCommand"]);
const READS = new Set(["GetItemCommand"]);

/** Raised when a scenario's answers are not what answer-once promises. */
export class AnswerOnceBrokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AnswerOnceBrokenError";
  }
}

interface Counts {
  reads: number;
  writes: number;
  other: number;
}

/** Counts every request the client sends, by kind; the SDK's own retries would count too. */
function countRequests(client: DynamoDBClient): { take: () => Counts } {
  let counts: Counts = { reads: 0, writes: 0, other: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? "";
      if (WRITES.has(name)) counts.writes++;
      else if (READS.has(name)) counts.reads++;
      else counts.other++;
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "countRequests" },
  );
  return {
    take: () => {
      const out = counts;
      counts = { reads: 0, writes: 0, other: 0 };
      return out;
    },
  };
}

interface Scenario {
  name: string;
  messages: number;
  counts: Counts;
  replies: number;
}

let senders = 0;
const newSender = () => {
  const waId = `3460${String(++senders).padStart(7, "0")}`;
  return { From: `whatsapp:+${waId}`, WaId: waId };
};

async function replyCount(results: Promise<{ body?: string }>[]): Promise<number> {
  const settled = await Promise.all(results);
  return settled.reduce((n, r) => n + readTwimlReplies(r.body ?? "").length, 0);
}

async function scenario(
  name: string,
  messages: number,
  counter: { take: () => Counts },
  run: () => Promise<number>,
): Promise<Scenario> {
  counter.take();
  const replies = await run();
  return { name, messages, counts: counter.take(), replies };
}

/** DynamoDB requests per incoming message, by path, through the real handler over dynalite. */
export const dynamoCalls: Benchmark = {
  id: "dynamo-calls",
  title: "DynamoDB requests per incoming message",
  async run(ctx) {
    const n = ctx.quick ? 50 : 200;
    const db = await startDynalite("whatsapp-bot-bench");
    try {
      const counter = countRequests(db.client);
      const handler: WebhookHandler = createHandler({
        store: new DynamoStore({ tableName: db.tableName, client: db.client }),
        authToken: staticAuthToken(TEST_AUTH_TOKEN),
        bot: createMenuBot(),
        publicBaseUrl: TEST_BASE_URL,
      });
      const send = (event: APIGatewayProxyEventV2) => handler(event);
      const returning = newSender();
      await send(signedTwilioEvent({ params: textParams("hola", returning) }));
      const answered = Array.from({ length: n }, (_, i) =>
        textParams(i % 2 === 0 ? "1" : "hola", i % 2 === 0 ? returning : newSender()),
      );
      const scenarios: Scenario[] = [];
      ctx.log(`  ${n} messages, half from new senders`);
      scenarios.push(
        await scenario("new message (happy path)", n, counter, async () => {
          let replies = 0;
          for (const params of answered)
            replies += await replyCount([send(signedTwilioEvent({ params }))]);
          return replies;
        }),
      );
      scenarios.push(
        await scenario("repeat on the primary URL", n, counter, async () => {
          let replies = 0;
          for (const params of answered)
            replies += await replyCount([send(signedTwilioEvent({ params }))]);
          return replies;
        }),
      );
      scenarios.push(
        await scenario("fallback call after an answer (resent once)", n, counter, async () => {
          let replies = 0;
          for (const params of answered) {
            replies += await replyCount([
              send(signedTwilioEvent({ params, path: "/whatsapp/fallback" })),
            ]);
          }
          return replies;
        }),
      );
      scenarios.push(
        await scenario("second fallback call (a replay)", n, counter, async () => {
          let replies = 0;
          for (const params of answered) {
            replies += await replyCount([
              send(signedTwilioEvent({ params, path: "/whatsapp/fallback" })),
            ]);
          }
          return replies;
        }),
      );
      const bursts = ctx.quick ? 5 : 20;
      scenarios.push(
        await scenario("10 concurrent deliveries of one message", bursts, counter, async () => {
          let replies = 0;
          for (let b = 0; b < bursts; b++) {
            const params = textParams("2", newSender());
            replies += await replyCount(
              Array.from({ length: 10 }, () => send(signedTwilioEvent({ params }))),
            );
          }
          return replies;
        }),
      );

      const expectedReplies = [n, 0, n, 0, bursts];
      scenarios.forEach((s, i) => {
        if (s.replies !== expectedReplies[i]) {
          throw new AnswerOnceBrokenError(
            `${s.name}: ${s.replies} replies to ${s.messages} messages, expected ${expectedReplies[i]}`,
          );
        }
      });
      const per = (s: Scenario, pick: (c: Counts) => number) => pick(s.counts) / s.messages;
      const happy = scenarios[0];
      const happyWrites = per(happy, (c) => c.writes);
      return {
        method:
          "`createHandler` with the DynamoDB store over dynalite (tests/lambda/store/dynalite.ts, a " +
          "table shaped like the stack's), the Spanish menu bot, and signed payload 2.0 events. A " +
          "middleware on the DynamoDB client counts every request it sends: GetItem is a read; " +
          "PutItem, UpdateItem and DeleteItem are writes (no other command is used). Messages go " +
          "one after another, alternating a returning sender and a new one; each later row replays " +
          "the same messages. The concurrent row sends 10 copies of one new message at once.",
        tables: [
          {
            headers: ["Path", "Messages", "Reads / message", "Writes / message", "Replies sent"],
            rows: scenarios.map((s) => [
              s.name,
              num(s.messages),
              num(
                per(s, (c) => c.reads),
                2,
              ),
              num(
                per(s, (c) => c.writes),
                2,
              ),
              num(s.replies),
            ]),
          },
        ],
        notes: [
          "Happy path: two GetItems in parallel (the stored answer, the conversation), one " +
            "conditional PutItem storing the TwiML answer with its request token, one UpdateItem of the " +
            "conversation. Items stay under 1 KB for the default script's replies (1 WCU each); a " +
            "longer reply makes the answer's item cost one more WCU per KB.",
          "In the concurrent row each copy runs the bot (it is pure) and tries to store its answer; " +
            "one write wins and only its copy answers.",
        ],
        metrics: {
          "dynamo writes per message, happy path": happyWrites,
          "dynamo reads per message, happy path": per(happy, (c) => c.reads),
        },
        targets: [
          {
            what: "DynamoDB writes per incoming message, happy path",
            target: `≤ ${MAX_HAPPY_WRITES}`,
            measured: num(happyWrites, 2),
            met: happyWrites <= MAX_HAPPY_WRITES,
          },
        ],
        headline:
          `${num(happyWrites, 2)} writes and ${num(
            per(happy, (c) => c.reads),
            2,
          )} reads per new ` +
          `message; a fallback call after an answer costs ${num(
            per(scenarios[2], (c) => c.writes),
            2,
          )} write`,
      };
    } finally {
      await db.stop();
    }
  },
};

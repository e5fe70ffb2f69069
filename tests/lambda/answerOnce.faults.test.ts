import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { Bot } from "../../lambda/bot";
import { createMenuBot } from "../../lambda/bot";
import { scripts } from "../../lambda/botScript";
import { createHandler, type HandlerDeps } from "../../lambda/handler";
import { createJsonLogger } from "../../lambda/logger";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { DynamoStore } from "../../lambda/store/dynamo";
import type { Store } from "../../lambda/store/store";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  buttonParams,
  locationParams,
  signedTwilioEvent,
  textParams,
} from "../helpers/events";
import { startDynalite, type Dynalite } from "./store/dynalite";

/** Marks the user's text; no log line above debug may contain it. */
const SECRET = "secreto-7731";

let db: Dynalite;
let senders = 0;

beforeAll(async () => {
  db = await startDynalite("whatsapp-bot-faults");
});

afterAll(async () => {
  await db.stop();
});

/** A new sender for each message, so every test starts its own conversation. */
function freshSender(): Record<string, string> {
  const number = `3470${String(++senders).padStart(7, "0")}`;
  return { From: `whatsapp:+${number}`, WaId: number };
}

type Log = Record<string, unknown>;

interface Harness {
  handler: ReturnType<typeof createHandler>;
  logs: Log[];
  botCalls: () => number;
}

function harness(store: Store, overrides: Partial<HandlerDeps> = {}): Harness {
  const logs: Log[] = [];
  const menu = createMenuBot();
  let calls = 0;
  const bot: Bot = overrides.bot ?? menu;
  return {
    logs,
    botCalls: () => calls,
    handler: createHandler({
      store,
      authToken: () => Promise.resolve(TEST_AUTH_TOKEN),
      publicBaseUrl: TEST_BASE_URL,
      logger: createJsonLogger({
        level: "debug",
        write: (line) => logs.push(JSON.parse(line) as Log),
      }),
      ...overrides,
      bot: async (message, conversation) => {
        calls++;
        return bot(message, conversation);
      },
    }),
  };
}

const dynamo = (client: DynamoDBClient = db.client) =>
  new DynamoStore({ tableName: db.tableName, client });

const replies = (body: string | undefined) => readTwimlReplies(body ?? "").map((r) => r.body);

function expectNoContentAboveDebug(logs: Log[], ...texts: string[]): void {
  const loud = JSON.stringify(logs.filter((l) => l.level !== "debug"));
  for (const text of [SECRET, ...texts]) expect(loud).not.toContain(text);
}

type StoreStep = "getAnswer" | "getConversation" | "commitAnswer" | "recordInbound" | "claimResend";

/**
 * The store with one step replaced: the wrapper decides what happens around the real call (which
 * it may make, or not).
 */
function withStep(
  inner: Store,
  step: StoreStep,
  around: (real: () => Promise<unknown>) => Promise<unknown>,
): Store {
  return new Proxy(inner, {
    get(target, name, receiver): unknown {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (name !== step) return method.bind(target);
      return (...args: unknown[]) => around(() => method.apply(target, args));
    },
  });
}

const failure = () =>
  Object.assign(new Error("InternalServerError"), { name: "InternalServerError" });

describe("an answer dropped after DynamoDB applied the write", () => {
  /**
   * A client whose first request of `command` reaching `pkPrefix` is applied by dynalite, but whose
   * answer is replaced by a connection reset, as a network fault after the write would do. The
   * SDK retries it (connection resets are transient), and the retry meets its own write.
   */
  function losingClient(
    command: string,
    pkPrefix: string,
  ): { client: DynamoDBClient; lost: () => number } {
    const client = new DynamoDBClient({
      endpoint: db.client.config.endpoint,
      region: "eu-west-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    let lost = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as {
          Item?: { pk?: { S?: string } };
          Key?: { pk?: { S?: string } };
        };
        const pk = input.Item?.pk?.S ?? input.Key?.pk?.S ?? "";
        const result = await next(args);
        if (context.commandName === command && pk.startsWith(pkPrefix) && lost === 0) {
          lost++;
          throw Object.assign(new Error("socket hang up"), {
            name: "TimeoutError",
            code: "ECONNRESET",
          });
        }
        return result;
      },
      { step: "finalizeRequest", priority: "low", name: "loseFirstAnswer" },
    );
    return { client, lost: () => lost };
  }

  test("the answer's write is recognised as our own, so the first delivery is answered", async () => {
    const { client, lost } = losingClient("PutItemCommand", "msg#");
    const h = harness(dynamo(client));
    const params = textParams(`hola ${SECRET}`, freshSender());
    const result = await h.handler(signedTwilioEvent({ params }));
    expect(lost()).toBe(1);
    expect(result.statusCode).toBe(200);
    expect(replies(result.body)[0]).toContain("¡Hola, Ana!");
    expect(h.botCalls()).toBe(1);
    expect((await dynamo().getAnswer(params.MessageSid))?.twiml).toBe(result.body);
    client.destroy();
  });

  test("the conversation's write is counted once", async () => {
    const { client, lost } = losingClient("UpdateItemCommand", "conv#");
    const h = harness(dynamo(client));
    const sender = freshSender();
    const result = await h.handler(signedTwilioEvent({ params: textParams("hola", sender) }));
    expect(lost()).toBe(1);
    expect(replies(result.body)).toHaveLength(1);
    expect((await dynamo().getConversation(`wa:${sender.WaId}`))?.inboundCount).toBe(1);
    expect(h.logs.find((l) => l.msg === "message answered")).toMatchObject({
      conversationRecorded: false,
    });
    client.destroy();
  });

  test("the resend mark is recognised as our own, so the fallback call gets the answer", async () => {
    const { client, lost } = losingClient("UpdateItemCommand", "msg#");
    const params = textParams("1", freshSender());
    const primary = await harness(dynamo()).handler(signedTwilioEvent({ params }));
    const fallback = await harness(dynamo(client)).handler(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(lost()).toBe(1);
    expect(fallback.body).toBe(primary.body);
    client.destroy();
  });
});

describe("a store that throws at each step", () => {
  test.each<[StoreStep]>([["getAnswer"], ["getConversation"], ["commitAnswer"]])(
    "a throwing %s stores nothing, answers 500, and the fallback call runs the bot and answers",
    async (step) => {
      const params = textParams(`horario ${SECRET}`, freshSender());
      const broken = harness(withStep(dynamo(), step, () => Promise.reject(failure())));
      const primary = await broken.handler(signedTwilioEvent({ params }));
      expect(primary.statusCode).toBe(500);
      expect(await dynamo().getAnswer(params.MessageSid)).toBeUndefined();
      expect(broken.logs.find((l) => l.level === "error")).toMatchObject({
        msg: "request failed",
        error: { name: "InternalServerError" },
      });

      const healthy = harness(dynamo());
      const fallback = await healthy.handler(
        signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
      );
      expect(fallback.statusCode).toBe(200);
      expect(replies(fallback.body)).toEqual([scripts.es.keywords[0].answer]);
      expect(healthy.botCalls()).toBe(1);
      expectNoContentAboveDebug([...broken.logs, ...healthy.logs]);
    },
  );

  test("a commitAnswer that throws after its write applied leaves the answer for the fallback call", async () => {
    const params = textParams("2", freshSender());
    const broken = harness(
      withStep(dynamo(), "commitAnswer", async (real) => {
        await real();
        throw failure();
      }),
    );
    const primary = await broken.handler(signedTwilioEvent({ params }));
    expect(primary.statusCode).toBe(500);
    const stored = await dynamo().getAnswer(params.MessageSid);
    const healthy = harness(dynamo());
    const fallback = await healthy.handler(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(fallback.body).toBe(stored?.twiml);
    expect(replies(fallback.body)).toEqual([scripts.es.options[1].answer]);
    expect(healthy.botCalls()).toBe(0);
  });

  test("a throwing recordInbound still sends the stored answer, and a repeat gets nothing", async () => {
    const params = textParams(`precio ${SECRET}`, freshSender());
    const broken = harness(withStep(dynamo(), "recordInbound", () => Promise.reject(failure())));
    const primary = await broken.handler(signedTwilioEvent({ params }));
    expect(primary.statusCode).toBe(200);
    expect(replies(primary.body)).toEqual([scripts.es.keywords[1].answer]);
    expect(broken.logs.find((l) => l.level === "error")).toMatchObject({
      msg: "conversation not recorded",
      messageSid: params.MessageSid,
    });
    const again = await harness(dynamo()).handler(signedTwilioEvent({ params }));
    expect(replies(again.body)).toEqual([]);
    expectNoContentAboveDebug(broken.logs);
  });

  test("a throwing claimResend still sends the fallback call the stored answer", async () => {
    const params = textParams("1", freshSender());
    const primary = await harness(dynamo()).handler(signedTwilioEvent({ params }));
    const broken = harness(withStep(dynamo(), "claimResend", () => Promise.reject(failure())));
    const fallback = await broken.handler(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(fallback.statusCode).toBe(200);
    expect(fallback.body).toBe(primary.body);
    expect(broken.logs.find((l) => l.level === "error")).toMatchObject({
      msg: "resend not counted",
    });
  });
});

describe("a store slower than the function's time limit", () => {
  /** commitAnswer sends its write only after `delayMs`; `landed` settles when it has. */
  function slowCommit(delayMs: number): {
    store: Store;
    landed: () => Promise<unknown>;
    hasLanded: () => boolean;
    wasCalled: () => boolean;
  } {
    let pending: Promise<unknown> = Promise.resolve();
    let done = false;
    let called = false;
    const store = withStep(dynamo(), "commitAnswer", (real) => {
      called = true;
      pending = new Promise((resolve) => setTimeout(resolve, delayMs))
        .then(real)
        .finally(() => (done = true));
      return pending;
    });
    return {
      store,
      landed: () => pending.catch(() => undefined),
      hasLanded: () => done,
      wasCalled: () => called,
    };
  }

  test("gives up before Lambda's limit with a 500, and the fallback call answers before the slow write lands", async () => {
    const params = textParams("1", freshSender());
    const slow = slowCommit(3_000);
    const primary = harness(slow.store);
    // Lambda says 1.5 s are left; the handler keeps 500 ms to answer, so it has 1 s.
    const first = await primary.handler(signedTwilioEvent({ params }), {
      getRemainingTimeInMillis: () => 1_500,
    });
    expect(first.statusCode).toBe(500);
    expect(slow.wasCalled()).toBe(true);
    expect(slow.hasLanded()).toBe(false);
    expect(primary.logs.find((l) => l.level === "error")).toMatchObject({
      error: { name: "AttemptTimeoutError" },
    });

    const healthy = harness(dynamo());
    const fallback = await healthy.handler(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(slow.hasLanded()).toBe(false);
    expect(replies(fallback.body)).toEqual([scripts.es.options[0].answer]);
    // The late write then meets the fallback's answer and changes nothing.
    await slow.landed();
    expect((await dynamo().getAnswer(params.MessageSid))?.twiml).toBe(fallback.body);
  });

  test("hands the fallback call the answer the timed-out attempt's write left behind", async () => {
    const params = textParams("2", freshSender());
    const slow = slowCommit(1_500);
    const first = await harness(slow.store, { timeLimitMs: 1_000 }).handler(
      signedTwilioEvent({ params }),
    );
    expect(first.statusCode).toBe(500);
    // The time ran out during the write (not before it), which then landed.
    expect(slow.wasCalled()).toBe(true);
    await slow.landed();
    const healthy = harness(dynamo());
    const fallback = await healthy.handler(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(replies(fallback.body)).toEqual([scripts.es.options[1].answer]);
    expect(healthy.botCalls()).toBe(0);
  });

  test("an attempt whose write never returns holds nothing: the next try answers at once", async () => {
    const params = textParams("3", freshSender());
    let called = false;
    const never = () => {
      called = true;
      return new Promise(() => undefined);
    };
    const hung = harness(withStep(dynamo(), "commitAnswer", never), { timeLimitMs: 1_000 });
    expect((await hung.handler(signedTwilioEvent({ params }))).statusCode).toBe(500);
    expect(called).toBe(true);
    const fallback = await harness(dynamo()).handler(
      signedTwilioEvent({ params, path: "/whatsapp/fallback" }),
    );
    expect(replies(fallback.body)).toEqual([scripts.es.options[2].answer]);
  });
});

describe("a bot that throws", () => {
  test("the apology is answered and stored, and the error's text is logged at debug only", async () => {
    const params = textParams(`hola ${SECRET}`, freshSender());
    const h = harness(dynamo(), {
      bot: async (message) => Promise.reject(new Error(`cannot parse "${message.body}"`)),
    });
    const result = await h.handler(signedTwilioEvent({ params }));
    expect(result.statusCode).toBe(200);
    expect(replies(result.body)).toEqual([scripts.es.error]);
    expect((await dynamo().getAnswer(params.MessageSid))?.twiml).toBe(result.body);
    expect(h.logs.find((l) => l.level === "error")).toEqual(
      expect.objectContaining({ msg: "bot failed", error: { name: "Error" } }),
    );
    expectNoContentAboveDebug(h.logs);
    expect(JSON.stringify(h.logs.filter((l) => l.level === "debug"))).toContain(SECRET);
  });
});

describe("each XML-invalid character in text the bot echoes", () => {
  const invalid = [
    ...Array.from({ length: 9 }, (_, i) => i),
    0x0b,
    0x0c,
    ...Array.from({ length: 0x1f - 0x0e + 1 }, (_, i) => 0x0e + i),
    0xfffe,
    0xffff,
  ].map((code) => [
    `U+${code.toString(16).toUpperCase().padStart(4, "0")}`,
    String.fromCharCode(code),
  ]);

  test("covers the 31 characters the issue lists", () => {
    expect(invalid).toHaveLength(31);
  });

  test.each(invalid)(
    "%s is dropped from a greeting, a location and a button answer",
    async (_name, char) => {
      const h = harness(dynamo());
      const sender = freshSender();
      const greeting = await h.handler(
        signedTwilioEvent({ params: textParams("hola", { ...sender, ProfileName: `An${char}a` }) }),
      );
      const place = await h.handler(
        signedTwilioEvent({
          params: locationParams("40.4", "-3.7", { Label: `Sol${char}` }, sender),
        }),
      );
      const button = await h.handler(
        signedTwilioEvent({ params: buttonParams(`Pre${char}cios`, "unknown", sender) }),
      );
      expect([greeting.statusCode, place.statusCode, button.statusCode]).toEqual([200, 200, 200]);
      expect(replies(greeting.body)[0]).toContain("¡Hola, Ana!");
      expect(replies(place.body)).toEqual([
        "¡Gracias por compartir tu ubicación (40.4, -3.7): Sol!",
      ]);
      expect(replies(button.body)).toEqual([
        "Elegiste «Precios». Escribe *menú* para ver todas las opciones.",
      ]);
      expect(h.logs.filter((l) => l.level === "error")).toEqual([]);
    },
  );
});

test("the item read back is the one the store wrote, byte for byte", async () => {
  const params = textParams("1", freshSender());
  const result = await harness(dynamo()).handler(signedTwilioEvent({ params }));
  const { Item } = await db.client.send(
    new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: `msg#${params.MessageSid}` } } }),
  );
  expect(Item?.twiml?.S).toBe(result.body);
  expect(Item?.token?.S).toMatch(/^[0-9a-f-]{36}$/);
});

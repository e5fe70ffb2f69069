import { LOCAL_PORT, parsePort } from "../../lambda/local/defaults";
import { LOCAL_SEND_PATH } from "../../lambda/local/sendRoute";
import { OutboundError } from "../../lambda/outbound/errors";
import { outboundFromEnv, readOutboundConfig } from "../../lambda/outbound/fromEnv";
import type { MessagesApiOptions } from "../../lambda/outbound/messagesApi";
import type { OutboundMessage, SentMessage } from "../../lambda/outbound/outbound";
import type { Store } from "../../lambda/store/store";
import { parseSendArgs, resolveTemplate } from "./args";

/** Exit codes: 0 sent, 1 refused or failed (nothing sent, or Twilio refused), 2 unusable command. */
export const EXIT = { sent: 0, refused: 1, error: 2 } as const;

/** What the command talks to; tests replace them. */
export interface SendCliDeps {
  /**
   * Environment. With OUTBOUND_SECRET_ARN (plus PUBLIC_BASE_URL and TABLE_NAME, as the stack's
   * function has them) it sends as the deployed stack does; without, through the local server
   * (SEND_URL, or http://localhost:PORT).
   */
  readonly env: NodeJS.ProcessEnv;
  /** HTTP client for the local server. */
  readonly fetch?: typeof fetch;
  /** The stack's conversations (window and consent); DynamoDB TABLE_NAME by default. */
  readonly store?: Pick<Store, "getConversation">;
  /** How the stack's send path reaches Twilio (tests: the stand-in). */
  readonly api?: MessagesApiOptions;
  /** Standard output. */
  readonly out: (line: string) => void;
  /** Standard error. */
  readonly err: (line: string) => void;
}

/** A refusal as returned by the local server's send route. */
interface RefusalBody {
  error?: string;
  message?: string;
}

async function sendLocally(message: OutboundMessage, deps: SendCliDeps): Promise<SentMessage> {
  const base = (deps.env.SEND_URL || `http://localhost:${parsePort(deps.env.PORT, LOCAL_PORT)}`)
    .trim()
    .replace(/\/+$/, "");
  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(`${base}${LOCAL_SEND_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(message),
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: unknown } } | null)?.cause?.message;
    throw new Error(
      `could not reach the local server at ${base}${typeof cause === "string" ? ` (${cause})` : ""}; is the bot running? Start it with: npm start`,
      { cause: err },
    );
  }
  const body = (await response.json().catch(() => ({}))) as SentMessage & RefusalBody;
  if (response.status === 201) return body;
  throw new Error(`${body.error ?? `HTTP ${response.status}`}: ${body.message ?? ""}`.trim());
}

async function sendAsStack(message: OutboundMessage, deps: SendCliDeps): Promise<SentMessage> {
  let store = deps.store;
  if (!store) {
    const tableName = deps.env.TABLE_NAME?.trim();
    if (!tableName) {
      throw new Error(
        "TABLE_NAME is required with OUTBOUND_SECRET_ARN: the window and consent are read from the stack's table",
      );
    }
    const { DynamoStore } = await import("../../lambda/store/dynamo");
    store = new DynamoStore({ tableName });
  }
  return outboundFromEnv(deps.env, { store, api: deps.api }).send(message);
}

/** Runs `npm run send -- …` and returns its exit code. */
export async function runSendCli(argv: readonly string[], deps: SendCliDeps): Promise<number> {
  let message: OutboundMessage;
  try {
    const args = parseSendArgs(argv);
    message =
      args.template !== undefined && args.message.template
        ? {
            ...args.message,
            template: {
              ...args.message.template,
              contentSid: resolveTemplate(args.template, deps.env),
            },
          }
        : args.message;
  } catch (err) {
    deps.err(err instanceof Error ? err.message : String(err));
    return EXIT.error;
  }
  const deployed = readOutboundConfig(deps.env) !== undefined;
  try {
    const sent = deployed ? await sendAsStack(message, deps) : await sendLocally(message, deps);
    deps.out(
      `sent ${sent.messageSid} (${sent.status})${deployed ? "" : " through the local server"}`,
    );
    return EXIT.sent;
  } catch (err) {
    // A refusal reads like the local server's: the error's class, then why.
    const text =
      err instanceof OutboundError
        ? `${err.name}: ${err.message}`
        : (err as { message?: unknown } | null)?.message !== undefined
          ? String((err as { message: unknown }).message)
          : String(err);
    deps.err(`not sent: ${text}`);
    return EXIT.refused;
  }
}

if (require.main === module) {
  void runSendCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then((code) => {
    process.exitCode = code;
  });
}

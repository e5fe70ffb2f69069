import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
// The same SDK function Twilio's own helpers use to sign; the server checks with validateRequest.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { ReplyMessage } from "../bot";
import { contentTypeFor, mediaKey } from "../media/key";
import { DirectoryMediaBucket } from "../media/localBucket";
import { conversationId } from "../message";
import { WEBHOOK_ROUTES } from "../routes";
import {
  LOCAL_AUTH_TOKEN,
  LOCAL_BOT_ADDRESS,
  LOCAL_MEDIA_DIR,
  LOCAL_TWILIO,
  LOCAL_USER_ADDRESS,
  parsePort,
} from "./defaults";
import type { OutboxMessage, OutboxRead } from "./outbox";
import { OUTBOX_PATH } from "./twilioRest";
import { readTwimlReplies } from "./twimlText";

/** What the simulated user sends besides text. */
export interface SimulatedContent {
  /** Text or caption. */
  body?: string;
  /** Attachments. */
  media?: { url: string; contentType: string }[];
  /** A shared location. */
  location?: { latitude: number; longitude: number; address?: string; label?: string };
  /** A quick-reply button tap. */
  button?: { text: string; payload: string };
}

/** Who is chatting and where the bot is. */
export interface ChatOptions {
  /** Where to send the request. */
  serverUrl: string;
  /** The public base URL the server checks signatures against (often the same). */
  publicUrl?: string;
  /** Signing token. */
  authToken: string;
  /** The user's WhatsApp address. */
  from?: string;
  /** The user's profile name. */
  profileName?: string;
  /** The bot's WhatsApp address. */
  to?: string;
  /** Webhook path. */
  path?: string;
}

/** A fresh SID with a two-letter prefix, shaped like Twilio's. */
export function fakeSid(prefix: string): string {
  return prefix + randomBytes(16).toString("hex");
}

/** The form fields Twilio posts for an incoming WhatsApp message. */
export function incomingParams(
  content: SimulatedContent,
  options: Pick<ChatOptions, "from" | "profileName" | "to"> = {},
  messageSid: string = fakeSid((content.media?.length ?? 0) > 0 ? "MM" : "SM"),
): Record<string, string> {
  const from = options.from ?? LOCAL_USER_ADDRESS;
  const media = content.media ?? [];
  const type = content.location
    ? "location"
    : content.button
      ? "button"
      : media.length > 0
        ? (/^(image|audio|video)\//.exec(media[0].contentType)?.[1] ?? "document")
        : "text";
  const params: Record<string, string> = {
    SmsMessageSid: messageSid,
    NumMedia: String(media.length),
    ProfileName: options.profileName ?? "Local User",
    MessageType: type,
    SmsSid: messageSid,
    WaId: from.replace(/^whatsapp:\+?/, ""),
    SmsStatus: "received",
    Body: content.body ?? content.button?.text ?? "",
    To: options.to ?? LOCAL_BOT_ADDRESS,
    NumSegments: "1",
    ReferralNumMedia: "0",
    MessageSid: messageSid,
    AccountSid: LOCAL_TWILIO.accountSid,
    From: from,
    ApiVersion: "2010-04-01",
  };
  media.forEach((item, i) => {
    params[`MediaContentType${i}`] = item.contentType;
    params[`MediaUrl${i}`] = item.url;
  });
  if (content.location) {
    params.Latitude = String(content.location.latitude);
    params.Longitude = String(content.location.longitude);
    if (content.location.address) params.Address = content.location.address;
    if (content.location.label) params.Label = content.location.label;
  }
  if (content.button) {
    params.ButtonText = content.button.text;
    params.ButtonPayload = content.button.payload;
  }
  return params;
}

/** The bot's answer as the simulator saw it. */
export interface ChatResult {
  /** HTTP status. */
  status: number;
  /** Raw response body. */
  raw: string;
  /** Messages read from the TwiML. */
  replies: ReplyMessage[];
}

/** Posts form fields signed with the auth token, exactly as Twilio would, and reads the reply. */
export async function postSigned(
  params: Record<string, string>,
  options: ChatOptions,
): Promise<ChatResult> {
  const path = options.path ?? WEBHOOK_ROUTES.incoming;
  const signedUrl = (options.publicUrl ?? options.serverUrl).replace(/\/+$/, "") + path;
  const signature = getExpectedTwilioSignature(options.authToken, signedUrl, params);
  const response = await fetch(options.serverUrl.replace(/\/+$/, "") + path, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": signature,
      "i-twilio-idempotency-token": randomBytes(8).toString("hex"),
      "user-agent": "TwilioProxy/1.1",
    },
    body: new URLSearchParams(params).toString(),
  });
  const raw = await response.text();
  return { status: response.status, raw, replies: readTwimlReplies(raw) };
}

/** Sends one simulated WhatsApp message and returns the bot's reply. */
export function sendChatMessage(
  content: SimulatedContent,
  options: ChatOptions,
  messageSid?: string,
): Promise<ChatResult> {
  return postSigned(incomingParams(content, options, messageSid), options);
}

/** Turns a line typed in the chat into content: `/location LAT,LON [label]`, `/image URL`, `/button PAYLOAD`. */
export function parseChatLine(line: string): SimulatedContent {
  const [command, ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(" ");
  const mediaTypes: Record<string, string> = {
    "/image": "image/jpeg",
    "/audio": "audio/ogg",
    "/video": "video/mp4",
    "/document": "application/pdf",
  };
  if (command in mediaTypes && rest[0]) {
    return {
      body: rest.slice(1).join(" "),
      media: [{ url: rest[0], contentType: mediaTypes[command] }],
    };
  }
  const coords = /^(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)(?:\s+(.*))?$/.exec(arg);
  if (command === "/location" && coords) {
    return {
      location: { latitude: Number(coords[1]), longitude: Number(coords[2]), label: coords[3] },
    };
  }
  if (command === "/button" && arg) return { button: { text: arg, payload: arg } };
  return { body: line };
}

/** An attachment's bytes: fetched (without credentials) from an http(s) URL, or read from a file. */
async function readSource(source: string, fallbackType: string): Promise<[Buffer, string]> {
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`${source} answered ${response.status}`);
    const type = response.headers.get("content-type") ?? fallbackType;
    return [Buffer.from(await response.arrayBuffer()), type];
  }
  return [await readFile(source), contentTypeFor(source) ?? fallbackType];
}

/**
 * Puts each attachment on the local media twin (lambda/local/mediaHost.ts), as Twilio holds a
 * user's media, and returns the content pointing at the twin's Twilio-shaped URLs instead.
 */
export async function stageMedia(
  content: SimulatedContent,
  mediaHostUrl: string,
  messageSid: string,
): Promise<SimulatedContent> {
  if (!content.media?.length) return content;
  const media = await Promise.all(
    content.media.map(async (item) => {
      const [body, contentType] = await readSource(item.url, item.contentType);
      const response = await fetch(
        `${mediaHostUrl.replace(/\/+$/, "")}/local/media?messageSid=${messageSid}`,
        { method: "POST", headers: { "content-type": contentType }, body },
      );
      if (response.status !== 201) {
        throw new Error(`the media twin at ${mediaHostUrl} answered ${response.status}`);
      }
      const { url } = (await response.json()) as { url: string };
      return { url, contentType };
    }),
  );
  return { ...content, media };
}

/** Where each attachment of a message was stored in the local bucket directory, or undefined. */
export function storedKeys(
  content: SimulatedContent,
  options: Pick<ChatOptions, "from">,
  messageSid: string,
  mediaDir: string,
): (string | undefined)[] {
  const address = options.from ?? LOCAL_USER_ADDRESS;
  const id = conversationId({ address, waId: address.replace(/^whatsapp:\+?/, "") });
  const bucket = new DirectoryMediaBucket(mediaDir);
  return (content.media ?? []).map((item, n) => {
    const key = mediaKey(id, messageSid, n, item.contentType);
    return existsSync(bucket.pathOf(key)) ? key : undefined;
  });
}

/**
 * Reads the messages the bot sent to `to` through the local server's REST stand-in after
 * `after` (waiting up to `waitMs` for the first one); without `after`, only learns the cursor.
 * Undefined when the server has no outbox (an older or a remote server).
 */
export async function readOutbox(
  serverUrl: string,
  query: { to?: string; after?: number; waitMs?: number },
  signal?: AbortSignal,
): Promise<OutboxRead | undefined> {
  const url = new URL(OUTBOX_PATH, serverUrl.replace(/\/+$/, "") + "/");
  if (query.to !== undefined) url.searchParams.set("to", query.to);
  if (query.after !== undefined) url.searchParams.set("after", String(query.after));
  if (query.waitMs !== undefined) url.searchParams.set("waitMs", String(query.waitMs));
  const response = await fetch(url, { signal });
  if (response.status !== 200) return undefined;
  return (await response.json()) as OutboxRead;
}

/** A message sent through the REST API as the chat shows it: like a reply; a template by SID. */
export function outboxReply(message: OutboxMessage): ReplyMessage {
  if (message.contentSid !== undefined) {
    const variables = message.contentVariables
      ? ` ${JSON.stringify(message.contentVariables)}`
      : "";
    return { body: `[template ${message.contentSid}]${variables}` };
  }
  return {
    body: message.body ?? "",
    mediaUrls: message.mediaUrls.length > 0 ? message.mediaUrls : undefined,
  };
}

function printReply(reply: ReplyMessage): void {
  const [first, ...rest] = reply.body.split("\n");
  console.log([`bot> ${first}`, ...rest.map((line) => (line ? `     ${line}` : ""))].join("\n"));
  for (const url of reply.mediaUrls ?? []) console.log(`     [media] ${url}`);
}

function print(result: ChatResult, sent: readonly OutboxMessage[] = [], quiet = false): void {
  if (result.status !== 200) {
    console.log(`[HTTP ${result.status}] ${result.raw}`);
    return;
  }
  if (result.replies.length === 0 && sent.length === 0 && !quiet) console.log("(no reply)");
  for (const reply of result.replies) printReply(reply);
  for (const message of sent) printReply(outboxReply(message));
}

/** How long a one-shot chat waits for a message sent through the REST API when TwiML had none. */
export const CHAT_WAIT_MS = 5_000;
/** How long it keeps listening after one arrived, for the rest of a multi-message answer. */
const SETTLE_MS = 300;

/**
 * Sends one message and collects the bot's answer however it comes: the TwiML reply, plus what it
 * sent through the REST API meanwhile (a queued reply). When TwiML brought nothing, waits up to
 * `waitMs` for a sent message.
 */
export async function chatOnce(
  content: SimulatedContent,
  options: ChatOptions,
  waitMs: number = CHAT_WAIT_MS,
  messageSid?: string,
): Promise<{ result: ChatResult; sent: OutboxMessage[] }> {
  const to = options.from ?? LOCAL_USER_ADDRESS;
  const start = await readOutbox(options.serverUrl, { to }).catch(() => undefined);
  const result = await sendChatMessage(content, options, messageSid);
  if (!start) return { result, sent: [] };
  const wait = result.status === 200 && result.replies.length === 0 ? waitMs : 0;
  const sent: OutboxMessage[] = [];
  let read = await readOutbox(options.serverUrl, { to, after: start.cursor, waitMs: wait });
  while (read && read.messages.length > 0) {
    sent.push(...read.messages);
    read = await readOutbox(options.serverUrl, { to, after: read.cursor, waitMs: SETTLE_MS });
  }
  return { result, sent };
}

async function main(): Promise<void> {
  const port = parsePort(process.env.PORT);
  const serverUrl = process.env.CHAT_URL || process.env.PUBLIC_URL || `http://localhost:${port}`;
  const options: ChatOptions = {
    serverUrl,
    publicUrl: process.env.PUBLIC_URL || serverUrl,
    authToken: process.env.TWILIO_AUTH_TOKEN || LOCAL_AUTH_TOKEN,
    from: process.env.CHAT_FROM || undefined,
    profileName: process.env.CHAT_NAME || undefined,
  };
  const mediaHostUrl =
    process.env.MEDIA_HOST_URL || `http://localhost:${parsePort(process.env.MEDIA_PORT, port + 1)}`;
  const mediaDir = process.env.MEDIA_DIR || LOCAL_MEDIA_DIR;
  // An attachment is put on the media twin first, under the SID the message will carry.
  const stage = async (line: string) => {
    const content = parseChatLine(line);
    const messageSid = fakeSid(content.media?.length ? "MM" : "SM");
    return { messageSid, staged: await stageMedia(content, mediaHostUrl, messageSid) };
  };
  const printStored = (staged: SimulatedContent, messageSid: string) => {
    storedKeys(staged, options, messageSid, mediaDir).forEach((key, n) => {
      console.log(`     [stored] ${n}: ${key ?? "(not stored)"}`);
    });
  };
  const text = process.argv.slice(2).join(" ");
  if (text) {
    const { messageSid, staged } = await stage(text);
    const { result, sent } = await chatOnce(staged, options, undefined, messageSid);
    print(result, sent);
    printStored(staged, messageSid);
    return;
  }
  console.log(
    `Chatting with ${serverUrl} (Ctrl+D to quit). Try: hola, 1, /image URL, /location 40.4,-3.7`,
  );
  // Messages the bot sends through the REST API arrive whenever they are sent: print them as they
  // come, between the prompts. The cursor is read before the prompt opens, so no line typed
  // meanwhile is lost.
  const stop = new AbortController();
  const to = options.from ?? LOCAL_USER_ADDRESS;
  const first = await readOutbox(serverUrl, { to }, stop.signal).catch(() => undefined);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "you> " });
  rl.once("close", () => stop.abort());
  const listen = async () => {
    let read = first;
    while (!stop.signal.aborted && read) {
      read = await readOutbox(
        serverUrl,
        { to, after: read.cursor, waitMs: 25_000 },
        stop.signal,
      ).catch(() => undefined);
      if (read && read.messages.length > 0) {
        process.stdout.write("\n");
        for (const message of read.messages) printReply(outboxReply(message));
        rl.prompt(true);
      }
    }
  };
  void listen();
  rl.prompt();
  for await (const line of rl) {
    // With an outbox, a reply sent later through the REST API is printed when it comes.
    if (line.trim()) {
      const { messageSid, staged } = await stage(line);
      print(await sendChatMessage(staged, options, messageSid), [], !!first);
      printStored(staged, messageSid);
    }
    rl.prompt();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const cause =
      err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : "";
    console.error(`chat failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
    console.error("Is the bot running? Start it with: npm start");
    process.exitCode = 1;
  });
}

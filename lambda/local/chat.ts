import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
// The same SDK function Twilio's own helpers use to sign; the server checks with validateRequest.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { ReplyMessage } from "../bot";
import { WEBHOOK_ROUTES } from "../routes";
import { LOCAL_AUTH_TOKEN, LOCAL_BOT_ADDRESS, LOCAL_USER_ADDRESS, parsePort } from "./defaults";
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
    AccountSid: "AC" + "0".repeat(32),
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
): Promise<ChatResult> {
  return postSigned(incomingParams(content, options), options);
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

function print(result: ChatResult): void {
  if (result.status !== 200) {
    console.log(`[HTTP ${result.status}] ${result.raw}`);
    return;
  }
  if (result.replies.length === 0) console.log("(no reply)");
  for (const reply of result.replies) {
    const [first, ...rest] = reply.body.split("\n");
    console.log([`bot> ${first}`, ...rest.map((line) => (line ? `     ${line}` : ""))].join("\n"));
    for (const url of reply.mediaUrls ?? []) console.log(`     [media] ${url}`);
  }
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
  const text = process.argv.slice(2).join(" ");
  if (text) {
    print(await sendChatMessage(parseChatLine(text), options));
    return;
  }
  console.log(
    `Chatting with ${serverUrl} (Ctrl+D to quit). Try: hola, 1, /image URL, /location 40.4,-3.7`,
  );
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "you> " });
  rl.prompt();
  for await (const line of rl) {
    if (line.trim()) print(await sendChatMessage(parseChatLine(line), options));
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

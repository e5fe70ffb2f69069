import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scripts } from "../../../lambda/botScript";
import { LOCAL_AUTH_TOKEN, LOCAL_PORT, parsePort } from "../../../lambda/local/defaults";

const ROOT = join(__dirname, "..", "..", "..");
const TSX = require.resolve("tsx/cli");
const SCRIPTS = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The file an npm script runs with tsx: the test starts what the README's command starts. */
function tsxEntry(script: string): string {
  const match = /^tsx (\S+)$/.exec(SCRIPTS[script] ?? "");
  if (!match) throw new Error(`npm script ${script} is not "tsx <file>": ${SCRIPTS[script]}`);
  return match[1];
}

/** The environment without anything a developer's shell may have set for the bot. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [
    "PORT",
    "HOST",
    "TWILIO_AUTH_TOKEN",
    "PUBLIC_URL",
    "BOT_LANGUAGE",
    "LOG_LEVEL",
    "CHAT_URL",
    "CHAT_FROM",
    "CHAT_NAME",
    "MEDIA_DIR",
    "MEDIA_PORT",
    "MEDIA_HOST_URL",
    "MEDIA_MAX_BYTES",
    "MEDIA_ALLOWED_TYPES",
    "DELETE_TWILIO_MEDIA",
    "REPLY_MODE",
  ]) {
    delete env[name];
  }
  return { ...env, ...extra };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("parsePort", () => {
  test.each([
    [undefined, LOCAL_PORT],
    ["", LOCAL_PORT],
    ["8080", 8080],
    ["0", 0],
    ["65536", LOCAL_PORT],
    ["-1", LOCAL_PORT],
    ["80.5", LOCAL_PORT],
    ["http", LOCAL_PORT],
  ])("reads PORT=%p as %p", (value, expected) => {
    expect(parsePort(value)).toBe(expected);
  });
});

/** `npm start` as a process: its port (from the banner on stderr), the banner, and its stdout. */
async function startLocal(
  args: string[],
  env: Record<string, string>,
  onStart: (child: ChildProcess) => void,
): Promise<{ port: number; banner: string; logs: string[] }> {
  const child = spawn(process.execPath, [TSX, tsxEntry("start"), ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  onStart(child);
  const logs: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
  let banner = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      banner += chunk.toString();
      const match = /on http:\/\/localhost:(\d+).*listening on .*Media twin on/.exec(banner);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${banner}`)));
  });
  return { port, banner, logs };
}

/** `npm run chat -- <args>` as a process: its exit code and everything it printed. */
async function runChat(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; printed: string }> {
  const chat = spawn(process.execPath, [TSX, tsxEntry("chat"), ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  chat.stdout?.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  chat.stderr?.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  return { code: await exited(chat), printed };
}

/** The JSON log lines a server wrote to stdout. */
function logLines(logs: string[]): Array<Record<string, unknown>> {
  return logs
    .join("")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("npm start and npm run chat as processes", () => {
  let server: ChildProcess | undefined;
  const mediaDir = mkdtempSync(join(tmpdir(), "chat-media-"));

  afterAll(async () => {
    rmSync(mediaDir, { recursive: true, force: true });
    // SIGTERM, not SIGKILL: tsx passes it on to the node process that holds the port.
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill("SIGTERM");
      await exited(server);
    }
  });

  test("let a newcomer chat from the terminal on the documented defaults, send a photo and see its stored key, keeping the text out of the logs", async () => {
    // PORT=0 picks a free port; the server prints the URL it signs for, which is the default.
    const { port, banner, logs } = await startLocal(
      [],
      { PORT: "0", BOT_LANGUAGE: "en", MEDIA_DIR: mediaDir },
      (child) => (server = child),
    );
    // HOST is unset: the server is reachable from this machine only.
    expect(banner).toContain("(listening on 127.0.0.1; set HOST to change)");

    // Neither side is given a token: both fall back to the documented local one.
    const { code, printed } = await runChat(["hello there"], { PORT: String(port) });
    expect(code).toBe(0);
    expect(printed).toContain("bot> Hi, Local User! I'm the virtual assistant.");
    expect(printed).toContain(`1. ${scripts.en.options[0].label}`);

    // npm run chat -- /image <file>: the attachment goes to the media twin, the bot copies it
    // into MEDIA_DIR, and the chat shows the key it was stored under.
    const mediaHostUrl = /Media twin on (http:\/\/localhost:\d+)/.exec(banner)?.[1] as string;
    const photo = join(mediaDir, "photo.jpg");
    writeFileSync(photo, Buffer.from("jpeg bytes"));
    const image = await runChat(["/image", photo], {
      PORT: String(port),
      MEDIA_HOST_URL: mediaHostUrl,
      MEDIA_DIR: mediaDir,
    });
    expect(image.code).toBe(0);
    const imageOut = image.printed;
    expect(imageOut).toContain(`bot> ${scripts.en.media.image.one}`);
    const key = /\[stored\] 0: (wa:34600000001\/MM[0-9a-f]{32}\/0\.jpg)/.exec(imageOut)?.[1];
    expect(key).toBeDefined();
    expect(readFileSync(join(mediaDir, ...(key as string).split("/"))).toString()).toBe(
      "jpeg bytes",
    );

    server?.kill("SIGTERM");
    expect(server && (await exited(server))).toBe(0);
    const lines = logLines(logs);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "info", msg: "message answered", kind: "text" }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "info", msg: "media stored", bytes: 10 }),
    );
    expect(logs.join("")).not.toContain("hello there");
    expect(logs.join("")).not.toContain(LOCAL_AUTH_TOKEN);
  });

  test("npm start -- --reply-mode queued: the reply comes through the queue and the REST stand-in, and the chat prints it", async () => {
    const queuedMediaDir = mkdtempSync(join(tmpdir(), "queued-media-"));
    let queued: ChildProcess | undefined;
    try {
      const { port, banner, logs } = await startLocal(
        ["--reply-mode", "queued"],
        { PORT: "0", BOT_LANGUAGE: "en", MEDIA_DIR: queuedMediaDir },
        (child) => (queued = child),
      );
      expect(banner).toContain("queued replies");
      const { code, printed } = await runChat(["hello there"], { PORT: String(port) });
      expect(code).toBe(0);
      expect(printed).toContain("bot> Hi, Local User! I'm the virtual assistant.");
      expect(printed).not.toContain("(no reply)");
      queued?.kill("SIGTERM");
      expect(queued && (await exited(queued))).toBe(0);
      const lines = logLines(logs);
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: "message queued", outcome: "queued" }),
      );
      expect(lines).toContainEqual(expect.objectContaining({ msg: "reply delivered", sent: 1 }));
    } finally {
      if (queued && queued.exitCode === null && queued.signalCode === null) {
        queued.kill("SIGTERM");
        await exited(queued);
      }
      rmSync(queuedMediaDir, { recursive: true, force: true });
    }
  });
});

import { LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";
import { sendChatMessage, type ChatOptions } from "../../../lambda/local/chat";
import { startLocalServer, type LocalServer } from "../../../lambda/local/server";
import { printingHandoffPublisher } from "../../../lambda/handoff/publisher";
import { silentLogger } from "../../../lambda/logger";
import { scripts } from "../../../lambda/botScript";
import { EXIT, runHandoffCli } from "../../../tools/handoff/cli";

const USER = "whatsapp:+34611000009";
let local: LocalServer;
let chat: ChatOptions;
const printed: string[] = [];

beforeAll(async () => {
  local = await startLocalServer({
    port: 0,
    host: "127.0.0.1",
    logger: silentLogger,
    handoffPublisher: printingHandoffPublisher((text) => printed.push(text)),
  });
  chat = {
    serverUrl: `http://127.0.0.1:${local.port}`,
    publicUrl: local.url,
    authToken: LOCAL_AUTH_TOKEN,
    from: USER,
  };
});

afterAll(async () => {
  await local.close();
});

/** `npm run handoff -- release …` against the local server, as an agent would run it. */
async function release(token: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHandoffCli(["release", "--to", USER, "--url", local.url], {
    env: { TWILIO_AUTH_TOKEN: token },
    // The public URL is http://localhost:PORT; the server listens on 127.0.0.1.
    fetch: (url, init) => fetch((url as string).replace("//localhost:", "//127.0.0.1:"), init),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

const say = async (body: string) =>
  (await sendChatMessage({ body }, chat)).replies.map((reply) => reply.body);

describe("hand-off on the local server (npm start)", () => {
  test("prints the hand-off, stays quiet while paused, and answers again after the CLI's release", async () => {
    await say("hola");
    expect(await say("4")).toEqual([scripts.es.options[3].answer]);
    expect(printed.join("")).toContain("WhatsApp user asks for a person: Local User");
    expect(printed.join("")).toContain(
      `npm run handoff -- release --to ${USER} --url ${local.url}`,
    );

    expect(await say("¿sigue ahí?")).toEqual([]);
    expect(printed.at(-1)).toContain("¿sigue ahí?");

    const refused = await release("f".repeat(32));
    expect(refused.code).toBe(EXIT.error);
    expect(refused.err.join("\n")).toContain("HTTP 403");
    expect(await say("1")).toEqual([]);

    const released = await release(LOCAL_AUTH_TOKEN);
    expect(released).toMatchObject({ code: EXIT.released, err: [] });
    expect(await say("1")).toEqual([scripts.es.options[0].answer]);
    expect((await release(LOCAL_AUTH_TOKEN)).code).toBe(EXIT.nothingToRelease);
  });

  test("an opt-out on the local server silences the bot until ALTA", async () => {
    const other = { ...chat, from: "whatsapp:+34611000010" };
    const send = async (body: string) =>
      (await sendChatMessage({ body }, other)).replies.map((reply) => reply.body);
    expect(await send("BAJA")).toEqual([scripts.es.consent.optedOut]);
    expect(await send("hola")).toEqual([]);
    expect(await send("ALTA")).toEqual([scripts.es.consent.optedIn]);
    expect((await send("1"))[0]).toBe(scripts.es.options[0].answer);
  });
});

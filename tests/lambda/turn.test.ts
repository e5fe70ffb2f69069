import type { Bot } from "../../lambda/bot";
import type { ConversationView } from "../../lambda/conversation";
import { createJsonLogger } from "../../lambda/logger";
import type { IncomingMessage } from "../../lambda/message";
import { runTurn } from "../../lambda/turn";

const NOW = new Date("2026-12-02T10:00:00Z");
const message: IncomingMessage = {
  kind: "text",
  messageSid: "SM" + "1".repeat(32),
  from: { address: "whatsapp:+34600111222", waId: "34600111222", profileName: "Ana" },
  to: "whatsapp:+14155238886",
  body: "hola",
};

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createJsonLogger({
    level: "debug",
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

describe("runTurn", () => {
  it("gives the bot the conversation with this message counted", async () => {
    const seen: ConversationView[] = [];
    const bot: Bot = async (_m, view) => {
      seen.push(view);
      return { messages: [{ body: "ok" }] };
    };
    const previous = {
      id: "wa:34600111222",
      inboundCount: 3,
      lastInboundAt: NOW.getTime() - 60_000,
    };
    const turn = await runTurn(message, previous, previous.id, NOW, {
      bot,
      logger: recordingLogger().logger,
      errorReply: "sorry",
    });
    expect(turn).toEqual({ reply: { messages: [{ body: "ok" }] }, newSession: false });
    expect(seen[0]).toMatchObject({ inboundCount: 4, profileName: "Ana", isNewSession: false });
  });

  it("answers errorReply and logs when the bot throws, on a first contact", async () => {
    const recording = recordingLogger();
    const turn = await runTurn(message, undefined, "wa:34600111222", NOW, {
      bot: () => Promise.reject(new Error("boom")),
      logger: recording.logger,
      errorReply: "sorry",
    });
    expect(turn).toEqual({ reply: { messages: [{ body: "sorry" }] }, newSession: true });
    expect(recording.lines.map((line) => line.msg)).toContain("bot failed");
  });
});

import type { Bot } from "../../lambda/bot";
import type { ConversationView } from "../../lambda/conversation";
import { createJsonLogger } from "../../lambda/logger";
import type { IncomingMessage, ReceivedMessage } from "../../lambda/message";
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
    expect(turn).toEqual({
      reply: { messages: [{ body: "ok" }] },
      newSession: false,
      change: { recentMessages: [{ at: NOW.getTime(), text: "hola" }] },
    });
    expect(seen[0]).toMatchObject({ inboundCount: 4, profileName: "Ana", isNewSession: false });
  });

  it("answers errorReply and logs when the bot throws, on a first contact", async () => {
    const recording = recordingLogger();
    const turn = await runTurn(message, undefined, "wa:34600111222", NOW, {
      bot: () => Promise.reject(new Error("boom")),
      logger: recording.logger,
      errorReply: "sorry",
    });
    expect(turn).toMatchObject({ reply: { messages: [{ body: "sorry" }] }, newSession: true });
    expect(turn.gate).toBeUndefined();
    expect(recording.lines.map((line) => line.msg)).toContain("bot failed");
  });

  describe("with media", () => {
    const photo: ReceivedMessage = {
      kind: "image",
      messageSid: "MM" + "2".repeat(32),
      from: { address: "whatsapp:+34600111222", waId: "34600111222" },
      to: "whatsapp:+14155238886",
      body: "",
      media: [{ kind: "image", contentType: "image/jpeg", url: "https://api.twilio.com/m" }],
    };
    const seenBy = () => {
      const seen: IncomingMessage[] = [];
      const bot: Bot = async (m) => {
        seen.push(m);
        return { messages: [] };
      };
      return { seen, bot };
    };

    it("stores the media first and gives the bot the stored keys and the after-answer step", async () => {
      const { seen, bot } = seenBy();
      const afterAnswer = async () => undefined;
      const calls: string[] = [];
      const turn = await runTurn(photo, undefined, "wa:34600111222", NOW, {
        bot,
        logger: recordingLogger().logger,
        errorReply: "sorry",
        media: async (received, conversationId) => {
          calls.push(`${received.messageSid} ${conversationId}`);
          return {
            message: {
              ...photo,
              media: [{ kind: "image", contentType: "image/jpeg", key: "k/0.jpg" }],
            },
            afterAnswer,
          };
        },
      });
      expect(calls).toEqual([`${photo.messageSid} wa:34600111222`]);
      expect(seen[0]).toMatchObject({ media: [{ key: "k/0.jpg" }] });
      expect(JSON.stringify(seen)).not.toContain("api.twilio.com");
      expect(turn.afterAnswer).toBe(afterAnswer);
    });

    it("without a media step, the bot sees neither Twilio's URL nor a key", async () => {
      const { seen, bot } = seenBy();
      await runTurn(photo, undefined, "wa:34600111222", NOW, {
        bot,
        logger: recordingLogger().logger,
        errorReply: "sorry",
      });
      expect(seen[0]).toMatchObject({ media: [{ kind: "image", contentType: "image/jpeg" }] });
      expect(JSON.stringify(seen)).not.toContain("api.twilio.com");
    });

    it("a media step that throws is logged, and the bot is told the items were not stored", async () => {
      const { seen, bot } = seenBy();
      const recording = recordingLogger();
      await runTurn(photo, undefined, "wa:34600111222", NOW, {
        bot,
        logger: recording.logger,
        errorReply: "sorry",
        media: () => Promise.reject(new Error("bug")),
      });
      expect(seen[0]).toMatchObject({ media: [{ kind: "image", notStored: "failed" }] });
      expect(recording.lines.map((line) => line.msg)).toContain("media step failed");
    });

    const countingMedia = () => {
      const calls: string[] = [];
      const media = async (received: ReceivedMessage) => {
        calls.push(received.messageSid);
        return { message: { ...photo, media: [] }, afterAnswer: async () => undefined };
      };
      return { calls, media };
    };

    it("an opted-out user's media is not copied", async () => {
      const { calls, media } = countingMedia();
      const previous = { id: "wa:34600111222", inboundCount: 2, optedOutAt: NOW.getTime() - 1 };
      const turn = await runTurn(photo, previous, previous.id, NOW, {
        bot: seenBy().bot,
        logger: recordingLogger().logger,
        errorReply: "sorry",
        media,
      });
      expect([turn.gate, calls]).toEqual(["opted-out", []]);
    });

    it("a paused conversation's media is copied for the person, and the bot stays quiet", async () => {
      const { calls, media } = countingMedia();
      const { seen, bot } = seenBy();
      const previous = { id: "wa:34600111222", inboundCount: 2, handoffAt: NOW.getTime() - 1_000 };
      const turn = await runTurn(photo, previous, previous.id, NOW, {
        bot,
        logger: recordingLogger().logger,
        errorReply: "sorry",
        media,
        handoff: {
          publisher: { publish: async () => undefined },
          timeoutMs: 60_000,
          publicBaseUrl: "https://api.example",
        },
      });
      expect([turn.gate, calls, seen]).toEqual(["paused", [photo.messageSid], []]);
      expect(turn.afterAnswer).toBeDefined();
    });
  });
});

describe("runTurn gating, shared by both reply modes", () => {
  const handoffBot: Bot = async () => ({
    messages: [{ body: "a person will write" }],
    handoff: true,
  });
  const published: string[] = [];
  const settings = {
    publisher: { publish: async (e: { kind: string }) => void published.push(e.kind) },
    timeoutMs: 60_000,
    publicBaseUrl: "https://api.example",
  };
  beforeEach(() => published.splice(0));

  it("never runs the bot for an opted-out user, and says why", async () => {
    let calls = 0;
    const bot: Bot = async () => {
      calls++;
      return { messages: [{ body: "hi" }] };
    };
    const previous = { id: "wa:34600111222", inboundCount: 2, optedOutAt: NOW.getTime() - 1 };
    const turn = await runTurn(message, previous, previous.id, NOW, {
      bot,
      logger: recordingLogger().logger,
      errorReply: "sorry",
    });
    expect([calls, turn.reply.messages, turn.gate]).toEqual([0, [], "opted-out"]);
    expect(turn.change.optedOutAt).toBeUndefined();
  });

  it("records a hand-off only once it is published", async () => {
    const turn = await runTurn(message, undefined, "wa:34600111222", NOW, {
      bot: handoffBot,
      logger: recordingLogger().logger,
      errorReply: "sorry",
      handoff: settings,
    });
    expect(published).toEqual(["handoff"]);
    expect(turn.change.handoffAt).toBe(NOW.getTime());
  });

  it("without hand-off settings, a hand-off reply is sent but nothing is paused, and it is logged", async () => {
    const recording = recordingLogger();
    const turn = await runTurn(message, undefined, "wa:34600111222", NOW, {
      bot: handoffBot,
      logger: recording.logger,
      errorReply: "sorry",
    });
    expect(turn.reply.messages).toEqual([{ body: "a person will write" }]);
    expect(turn.change.handoffAt).toBeUndefined();
    expect(recording.lines.map((l) => l.msg)).toContain(
      "hand-off asked but no hand-off topic configured",
    );
  });

  it("a redelivery of the opt-out message is confirmed again; another STOP is not", async () => {
    const previous = {
      id: "wa:34600111222",
      inboundCount: 1,
      optedOutAt: NOW.getTime() - 1000,
      consentMessageSid: message.messageSid,
    };
    const deps = { bot: handoffBot, logger: recordingLogger().logger, errorReply: "sorry" };
    const stop = { ...message, body: "STOP" };
    const again = await runTurn(stop, previous, previous.id, NOW, deps);
    expect(again.gate).toBe("opt-out");
    expect(again.change.optedOutAt).toBeUndefined();
    const other = await runTurn(
      { ...stop, messageSid: "SM" + "2".repeat(32) },
      previous,
      previous.id,
      NOW,
      deps,
    );
    expect([other.gate, other.reply.messages]).toEqual(["opted-out", []]);
  });
});

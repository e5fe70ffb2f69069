import { scripts } from "../../../lambda/botScript";
import { chatOnce, outboxReply } from "../../../lambda/local/chat";
import { LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";
import {
  ReplyModeError,
  readReplyMode,
  startLocalServer,
  type LocalServer,
} from "../../../lambda/local/server";
import { silentLogger } from "../../../lambda/logger";

describe("readReplyMode", () => {
  test.each([
    [[], {}, "inline"],
    [["--reply-mode", "queued"], {}, "queued"],
    [["--reply-mode=queued"], {}, "queued"],
    [[], { REPLY_MODE: "queued" }, "queued"],
    [["--reply-mode", "inline"], { REPLY_MODE: "queued" }, "inline"],
  ])("reads %p with %p as %p", (argv, env, expected) => {
    expect(readReplyMode(argv, env)).toBe(expected);
  });

  test("names the flag and the modes when the value is unknown", () => {
    expect(() => readReplyMode(["--reply-mode", "async"], {})).toThrow(ReplyModeError);
    expect(() => readReplyMode([], { REPLY_MODE: "later" })).toThrow(
      'unknown reply mode "later": use --reply-mode inline|queued (or REPLY_MODE=…)',
    );
  });
});

describe("the local server in queued mode", () => {
  let inline: LocalServer;
  let queued: LocalServer;

  beforeAll(async () => {
    inline = await startLocalServer({ port: 0, logger: silentLogger });
    queued = await startLocalServer({ port: 0, logger: silentLogger, replyMode: "queued" });
  });

  afterAll(async () => {
    await Promise.all([inline.close(), queued.close()]);
  });

  test("answers empty TwiML and the chat gets the same replies as in inline mode, through the REST stand-in", async () => {
    expect(inline.replyQueue).toBeUndefined();
    expect(queued.replyQueue).toBeDefined();
    for (const body of ["hola", "1", "menu"]) {
      const a = await chatOnce({ body }, { serverUrl: inline.url, authToken: LOCAL_AUTH_TOKEN });
      const q = await chatOnce({ body }, { serverUrl: queued.url, authToken: LOCAL_AUTH_TOKEN });
      expect(a.sent).toEqual([]);
      expect(q.result.status).toBe(200);
      expect(q.result.replies).toEqual([]);
      expect(q.sent.map(outboxReply).map((r) => r.body)).toEqual(
        a.result.replies.map((r) => r.body),
      );
    }
    expect(queued.outbox.cursor).toBe(3);
    expect(queued.replyQueue?.deadLetters).toEqual([]);
  });

  test("an opt-out is confirmed through the REST stand-in, then the user gets nothing", async () => {
    const chat = {
      serverUrl: queued.url,
      authToken: LOCAL_AUTH_TOKEN,
      from: "whatsapp:+34611000123",
    };
    await chatOnce({ body: "hola" }, chat);
    const stop = await chatOnce({ body: "BAJA" }, chat);
    expect(stop.sent.map(outboxReply).map((r) => r.body)).toEqual([scripts.es.consent.optedOut]);
    const after = await chatOnce({ body: "hola" }, chat, 500);
    expect(after.sent).toEqual([]);
  });
});

import { LOCAL_AUTH_TOKEN } from "../../../lambda/local/defaults";
import {
  incomingParams,
  postSigned,
  sendChatMessage,
  type ChatOptions,
} from "../../../lambda/local/chat";
import { startLocalServer, type LocalServer } from "../../../lambda/local/server";
import { silentLogger } from "../../../lambda/logger";
import { scripts } from "../../../lambda/botScript";
import { statusParams } from "../../helpers/events";

let local: LocalServer;
let chat: ChatOptions;

beforeAll(async () => {
  local = await startLocalServer({ port: 0, host: "127.0.0.1", logger: silentLogger });
  chat = {
    serverUrl: `http://127.0.0.1:${local.port}`,
    publicUrl: local.url,
    authToken: LOCAL_AUTH_TOKEN,
  };
});

afterAll(async () => {
  await local.close();
});

describe("the local server over HTTP", () => {
  test("listens on the port it was given (0 picks a free one) and signs over http://localhost:PORT", () => {
    expect(local.port).toBeGreaterThan(0);
    expect(local.url).toBe(`http://localhost:${local.port}`);
  });

  test("greets a signed WhatsApp text message and then answers a menu choice", async () => {
    const hello = await sendChatMessage(
      { body: "hola" },
      { ...chat, from: "whatsapp:+34611000001" },
    );
    expect(hello.status).toBe(200);
    expect(hello.replies[0].body).toContain("¡Hola, Local User!");
    const one = await sendChatMessage({ body: "1" }, { ...chat, from: "whatsapp:+34611000001" });
    expect(one.replies).toEqual([{ body: scripts.es.options[0].answer }]);
  });

  test.each([
    [
      { media: [{ url: "https://api.twilio.com/m/1", contentType: "image/jpeg" }] },
      "¡Gracias! Recibimos tu imagen.",
    ],
    [
      { location: { latitude: 40.4, longitude: -3.7, label: "Sol" } },
      "¡Gracias por compartir tu ubicación (40.4, -3.7): Sol!",
    ],
    [{ button: { text: "Precios", payload: "prices" } }, scripts.es.options[2].answer],
  ])("answers the simulated message %j", async (content, expected) => {
    await sendChatMessage({ body: "hola" }, { ...chat, from: "whatsapp:+34611000002" });
    const result = await sendChatMessage(content, { ...chat, from: "whatsapp:+34611000002" });
    expect(result.replies.map((r) => r.body)).toEqual([expected]);
  });

  test("answers a redelivered message with empty TwiML", async () => {
    const params = incomingParams({ body: "2" });
    const first = await postSigned(params, chat);
    const again = await postSigned(params, chat);
    expect(first.replies).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.replies).toEqual([]);
  });

  test("records a status callback and answers 204 with no body", async () => {
    const messageSid = "SM" + "7".repeat(32);
    const result = await postSigned(statusParams(messageSid, "delivered"), {
      ...chat,
      path: "/whatsapp/status",
    });
    expect(result.status).toBe(204);
    expect(result.raw).toBe("");
    expect((await local.store.getStatus(messageSid))?.status).toBe("delivered");
  });

  test("refuses a message signed with another token with 403", async () => {
    const result = await sendChatMessage({ body: "hola" }, { ...chat, authToken: "f".repeat(32) });
    expect(result.status).toBe(403);
  });

  test("refuses a message signed for another public URL with 403", async () => {
    const result = await sendChatMessage(
      { body: "hola" },
      { ...chat, publicUrl: "https://elsewhere.example" },
    );
    expect(result.status).toBe(403);
  });

  test.each([
    ["GET", "/whatsapp/incoming", undefined, 405],
    ["POST", "/nope", undefined, 404],
    ["POST", "/whatsapp/incoming", "application/json", 415],
    ["POST", "/whatsapp/incoming", "application/x-www-form-urlencoded", 403],
  ])("answers %s %s (%s) with %d", async (method, path, type, status) => {
    const response = await fetch(`${chat.serverUrl}${path}`, {
      method,
      headers: type ? { "content-type": type } : {},
      body: method === "GET" ? undefined : "Body=hola",
    });
    expect(response.status).toBe(status);
    await response.text();
  });

  test("checks signatures over the query string exactly as sent", async () => {
    const params = incomingParams({ body: "3" });
    const ok = await postSigned(params, {
      ...chat,
      path: "/whatsapp/incoming?tenant=a+b&q=%22x%22",
    });
    expect(ok.status).toBe(200);
    expect(ok.replies[0].body).toBe(scripts.es.options[2].answer);
  });
});

describe("startLocalServer options", () => {
  test("binds loopback only unless a host is given", async () => {
    const loopback = await startLocalServer({ port: 0, logger: silentLogger });
    const everywhere = await startLocalServer({ port: 0, host: "0.0.0.0", logger: silentLogger });
    try {
      expect(loopback.host).toBe("127.0.0.1");
      expect(everywhere.host).toBe("0.0.0.0");
    } finally {
      await Promise.all([loopback.close(), everywhere.close()]);
    }
  });

  test("uses PUBLIC_URL for signatures when given, as behind a tunnel", async () => {
    const tunnel = await startLocalServer({
      port: 0,
      host: "127.0.0.1",
      publicUrl: "https://bot.example.ngrok.app/",
      authToken: "a".repeat(32),
      logger: silentLogger,
    });
    try {
      const options = { serverUrl: `http://127.0.0.1:${tunnel.port}`, authToken: "a".repeat(32) };
      expect((await sendChatMessage({ body: "1" }, options)).status).toBe(403);
      const signed = await sendChatMessage(
        { body: "1" },
        { ...options, publicUrl: "https://bot.example.ngrok.app" },
      );
      expect(signed.status).toBe(200);
    } finally {
      await tunnel.close();
    }
  });

  test("speaks the configured language, its apology included when the bot throws", async () => {
    const start = (bot?: () => Promise<never>) =>
      startLocalServer({ port: 0, host: "127.0.0.1", language: "en", bot, logger: silentLogger });
    const servers = [await start(), await start(() => Promise.reject(new Error("boom")))];
    try {
      const [menu, broken] = await Promise.all(
        servers.map((s) => {
          const serverUrl = `http://127.0.0.1:${s.port}`;
          return sendChatMessage(
            { body: "1" },
            { serverUrl, publicUrl: s.url, authToken: LOCAL_AUTH_TOKEN },
          );
        }),
      );
      expect(menu.replies).toEqual([{ body: scripts.en.options[0].answer }]);
      expect(broken.replies).toEqual([{ body: scripts.en.error }]);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test("refuses a PUBLIC_URL that is not an http(s) base URL before listening", async () => {
    await expect(startLocalServer({ port: 0, publicUrl: "localhost:3000" })).rejects.toThrow(
      /PUBLIC_URL/,
    );
  });
});

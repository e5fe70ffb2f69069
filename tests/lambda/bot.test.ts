import { createMenuBot, menuText, normalizeText, parseLanguage } from "../../lambda/bot";
import { scripts, type BotScript } from "../../lambda/botScript";
import type { ConversationView } from "../../lambda/conversation";
import type { IncomingMessage, MediaKind } from "../../lambda/message";

const NOW = new Date("2026-11-26T10:00:00Z");
const from = { address: "whatsapp:+34600111222", waId: "34600111222", profileName: "Ana" };

function conversation(isNewSession: boolean, profileName = "Ana"): ConversationView {
  return {
    id: "wa:34600111222",
    profileName,
    now: NOW,
    previousInboundAt: isNewSession ? undefined : new Date(NOW.getTime() - 60_000),
    isNewSession,
    windowClosesAt: new Date(NOW.getTime() + 86_400_000),
    inboundCount: isNewSession ? 1 : 2,
  };
}

function text(body: string): IncomingMessage {
  return {
    kind: "text",
    messageSid: "SM" + "0".repeat(32),
    from,
    to: "whatsapp:+14155238886",
    body,
  };
}

function media(kind: MediaKind, count: number): IncomingMessage {
  const items = Array.from({ length: count }, (_, i) => ({
    kind,
    contentType: `${kind === "document" ? "application" : kind}/x`,
    key: `wa:34600111222/MM${"0".repeat(32)}/${i}.bin`,
  }));
  return { kind, messageSid: "MM" + "0".repeat(32), from, to: "", body: "", media: items };
}

async function replyText(
  message: IncomingMessage,
  view = conversation(false),
  language: "es" | "en" = "es",
) {
  const reply = await createMenuBot({ language })(message, view);
  return reply.messages.map((m) => m.body).join("\n---\n");
}

describe("the default menu bot in Spanish", () => {
  const es = scripts.es;

  test("greets a new conversation by name and shows the numbered menu", async () => {
    const reply = await replyText(text("hola"), conversation(true));
    expect(reply).toContain("¡Hola, Ana!");
    expect(reply).toContain("1. Horario de atención");
    expect(reply).toContain("4. Hablar con una persona");
  });

  test("greets without a name when the profile name is unknown", async () => {
    const reply = await replyText(text("hola"), conversation(true, ""));
    expect(reply.startsWith("¡Hola! Soy")).toBe(true);
  });

  test("shows the menu without a greeting mid-conversation", async () => {
    expect(await replyText(text("¡Menú!"))).toBe(menuText(es));
  });

  test.each([
    ["1", es.options[0].answer],
    ["2", es.options[1].answer],
    [" 3. ", es.options[2].answer],
    ["4", es.options[3].answer],
  ])("answers the numbered option %p", async (input, answer) => {
    expect(await replyText(text(input))).toBe(answer);
  });

  test.each(["quiero hablar con una persona", "HUMANO por favor", "¿Hay algún asesor?"])(
    "hands %p off to a person",
    async (input) => {
      expect(await replyText(text(input))).toBe(es.options[3].answer);
    },
  );

  test.each([
    ["¿A qué hora abren?", es.keywords[0].answer],
    ["¿Cuánto cuesta?", es.keywords[1].answer],
    ["muchas gracias", es.keywords[2].answer],
    ["adiós", es.keywords[3].answer],
  ])("answers the keyword question %p", async (input, answer) => {
    expect(await replyText(text(input))).toBe(answer);
  });

  test("says it did not understand and repeats the menu mid-conversation", async () => {
    expect(await replyText(text("xyzzy"))).toBe(`${es.notUnderstood}\n\n${menuText(es)}`);
  });

  test("welcomes unknown text that opens a new conversation instead of saying it did not understand", async () => {
    const reply = await replyText(text("xyzzy"), conversation(true));
    expect(reply).toContain("¡Hola, Ana!");
    expect(reply).not.toContain(es.notUnderstood);
  });

  test("answers an out-of-range number as not understood", async () => {
    expect(await replyText(text("9"))).toContain(es.notUnderstood);
  });

  test.each([
    ["image", 1, "¡Gracias! Recibimos tu imagen."],
    ["image", 3, "¡Gracias! Recibimos tus 3 imágenes."],
    ["audio", 1, "¡Gracias! Recibimos tu audio."],
    ["video", 2, "¡Gracias! Recibimos tus 2 vídeos."],
    ["document", 1, "¡Gracias! Recibimos tu documento."],
  ] as const)("acknowledges %s x%d", async (kind, count, expected) => {
    expect(await replyText(media(kind, count))).toBe(expected);
  });

  test("acknowledges attachments of different kinds as files, not as the first one's kind", async () => {
    const message = media("image", 1);
    if (!("media" in message)) throw new Error("not a media message");
    message.media.push({ kind: "document", contentType: "application/pdf", key: "k/2.pdf" });
    expect(await replyText(message)).toBe("¡Gracias! Recibimos tus 2 archivos.");
    expect(await replyText(message, conversation(false), "en")).toBe(
      "Thanks! We got your 2 files.",
    );
  });

  test.each([
    ["too-large", "tooLarge"],
    ["type-not-allowed", "typeNotAllowed"],
    ["failed", "notStored"],
  ] as const)("answers an item not stored (%s) with its polite line", async (reason, line) => {
    const message = media("image", 1);
    if (!("media" in message)) throw new Error("not a media message");
    message.media[0] = { kind: "image", contentType: "image/png", notStored: reason };
    expect(await replyText(message)).toBe(es.media[line]);
    expect(await replyText(message, conversation(false), "en")).toBe(scripts.en.media[line]);
  });

  test("thanks for what was stored, then says once why the rest was not", async () => {
    const message = media("image", 4);
    if (!("media" in message)) throw new Error("not a media message");
    message.media[1] = { kind: "image", contentType: "image/png", notStored: "too-large" };
    message.media[2] = {
      kind: "document",
      contentType: "text/x-sh",
      notStored: "type-not-allowed",
    };
    message.media[3] = { kind: "image", contentType: "image/png", notStored: "too-large" };
    expect(await replyText(message)).toBe(
      [es.media.image.one, es.media.tooLarge, es.media.typeNotAllowed].join("\n---\n"),
    );
  });

  test("acknowledges a location with its place name", async () => {
    const message: IncomingMessage = {
      kind: "location",
      messageSid: "SM" + "0".repeat(32),
      from,
      to: "",
      body: "",
      latitude: 40.4168,
      longitude: -3.7038,
      label: "Sol",
    };
    expect(await replyText(message)).toBe(
      "¡Gracias por compartir tu ubicación (40.4168, -3.7038): Sol!",
    );
  });

  test.each([
    ["hours", es.options[0].answer],
    ["2", es.options[1].answer],
    ["agent", es.options[3].answer],
    ["menu", menuText(es)],
    ["promo_2026", "Elegiste «Ver oferta». Escribe *menú* para ver todas las opciones."],
  ])("answers a button with payload %p", async (payload, expected) => {
    const message: IncomingMessage = {
      kind: "button",
      messageSid: "SM" + "0".repeat(32),
      from,
      to: "",
      body: "Ver oferta",
      text: "Ver oferta",
      payload,
    };
    expect(await replyText(message)).toBe(expected);
  });

  test("replies politely to an unsupported kind", async () => {
    const message: IncomingMessage = {
      kind: "unsupported",
      messageSid: "SM" + "0".repeat(32),
      from,
      to: "",
      body: "",
      messageType: "sticker",
      media: [],
    };
    expect(await replyText(message)).toBe(es.unsupported);
  });
});

describe("the default menu bot in English", () => {
  test("greets and shows the English menu", async () => {
    const reply = await replyText(text("hello"), conversation(true), "en");
    expect(reply).toContain("Hi, Ana!");
    expect(reply).toContain("4. Talk to a person");
  });

  test.each([
    ["1", scripts.en.options[0].answer],
    ["can I talk to a human?", scripts.en.options[3].answer],
    ["how much is it", scripts.en.keywords[1].answer],
  ])("answers %p", async (input, answer) => {
    expect(await replyText(text(input), conversation(false), "en")).toBe(answer);
  });

  test("acknowledges several images in English", async () => {
    expect(await replyText(media("image", 2), conversation(false), "en")).toBe(
      "Thanks! We got your 2 images.",
    );
  });
});

describe("a custom script", () => {
  test("sends an option's media with its answer", async () => {
    const script: BotScript = {
      ...scripts.en,
      options: [
        {
          id: "map",
          label: "Map",
          answer: "Here is the map",
          mediaUrl: "https://example.com/map.png",
        },
      ],
    };
    const reply = await createMenuBot({ script })(text("1"), conversation(false));
    expect(reply.messages).toEqual([
      { body: "Here is the map", mediaUrls: ["https://example.com/map.png"] },
    ]);
  });
});

describe("normalizeText", () => {
  test.each([
    ["¡Menú!", "menu"],
    ["  Hablar   con  ALGUIEN ", "hablar con alguien"],
    ["¿Cuánto?", "cuanto"],
  ])("normalizes %p to %p", (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe("parseLanguage", () => {
  test.each([
    [undefined, "es"],
    ["", "es"],
    ["es", "es"],
    ["EN", "en"],
    ["en-GB", "en"],
    ["fr", "es"],
  ])("reads BOT_LANGUAGE=%p as %p", (value, expected) => {
    expect(parseLanguage(value)).toBe(expected);
  });
});

describe("the menu bot's hand-off", () => {
  test.each([
    ["es", "4"],
    ["es", "quiero hablar con una persona"],
    ["en", "talk to a human"],
  ] as const)(
    "marks its %s reply to %j as a hand-off, so the turn publishes it and pauses",
    async (language, body) => {
      const bot = createMenuBot({ language });
      const reply = await bot(
        {
          kind: "text",
          messageSid: "SM" + "1".repeat(32),
          from: { address: "whatsapp:+34600111222" },
          to: "whatsapp:+14155238886",
          body,
        },
        {
          id: "wa:34600111222",
          now: new Date(0),
          isNewSession: false,
          windowClosesAt: new Date(0),
          inboundCount: 2,
        },
      );
      expect(reply.handoff).toBe(true);
      expect(reply.messages[0].body).toBe(scripts[language].options[3].answer);
    },
  );

  test("an ordinary answer is not a hand-off", async () => {
    const reply = await createMenuBot()(
      {
        kind: "text",
        messageSid: "SM" + "2".repeat(32),
        from: { address: "whatsapp:+34600111222" },
        to: "whatsapp:+14155238886",
        body: "1",
      },
      {
        id: "wa:34600111222",
        now: new Date(0),
        isNewSession: false,
        windowClosesAt: new Date(0),
        inboundCount: 2,
      },
    );
    expect(reply.handoff).toBeUndefined();
  });
});

import { emptyTwiml, renderTwiml } from "../../lambda/twiml";

describe("renderTwiml", () => {
  test("writes a text reply as an inline <Message>", () => {
    expect(renderTwiml({ messages: [{ body: "Hola" }] })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hola</Message></Response>',
    );
  });

  test("escapes XML characters in the text", () => {
    expect(renderTwiml({ messages: [{ body: `<b> & "q"` }] })).toContain(
      '<Message>&lt;b&gt; &amp; "q"</Message>',
    );
  });

  test("writes a media reply as <Body> and one <Media> per URL", () => {
    const xml = renderTwiml({
      messages: [{ body: "fotos", mediaUrls: ["https://x.test/1.png", "https://x.test/2.png"] }],
    });
    expect(xml).toContain(
      "<Message><Body>fotos</Body><Media>https://x.test/1.png</Media><Media>https://x.test/2.png</Media></Message>",
    );
  });

  test("asks for status callbacks on each message when given a URL", () => {
    const xml = renderTwiml(
      { messages: [{ body: "a" }, { body: "b" }] },
      { statusCallbackUrl: "https://h/whatsapp/status" },
    );
    expect(
      xml.match(/<Message action="https:\/\/h\/whatsapp\/status" method="POST">/g),
    ).toHaveLength(2);
  });

  test("writes no message for an empty reply", () => {
    expect(renderTwiml({ messages: [] })).toBe(emptyTwiml());
    expect(emptyTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});

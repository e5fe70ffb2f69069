import { emptyTwiml, renderTwiml, xmlSafe } from "../../lambda/twiml";

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

describe("xmlSafe", () => {
  test.each([
    [
      "C0 controls but tab, line feed and carriage return",
      "a\u0000b\u0008c\u000Bd\u000Ce\u001Ff",
      "abcdef",
    ],
    ["the two non-characters XML forbids", "x\uFFFEy\uFFFFz", "xyz"],
    ["a lone high surrogate", "a\uD83Db", "ab"],
    ["a lone low surrogate", "a\uDE00b", "ab"],
  ])("drops %s", (_name, input, expected) => {
    expect(xmlSafe(input)).toBe(expected);
  });

  test("keeps tab, line feed, carriage return, accents and emoji (surrogate pairs)", () => {
    const text = "Hola\tAna\r\n¡ñandú! 👋 \uFFFD \u2028";
    expect(xmlSafe(text)).toBe(text);
  });

  test("lets the SDK render a reply whose text held every forbidden character", () => {
    const forbidden = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i))
      .filter((c) => !"\t\n\r".includes(c))
      .join("");
    const xml = renderTwiml({
      messages: [
        {
          body: `Hola ${forbidden}\uFFFE\uFFFF\uD800Ana`,
          mediaUrls: [`https://x.example/a\u0001.png`],
        },
      ],
    });
    expect(xml).toContain("<Body>Hola Ana</Body>");
    expect(xml).toContain("<Media>https://x.example/a.png</Media>");
  });
});

import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { incomingParams, parseChatLine } from "../../../lambda/local/chat";
import { readTwimlReplies } from "../../../lambda/local/twimlText";
import { parseIncomingMessage } from "../../../lambda/message";
import { parseForm } from "../../../lambda/request";
import { renderTwiml } from "../../../lambda/twiml";

describe("parseChatLine", () => {
  test.each([
    ["hola", { body: "hola" }],
    [
      "/image https://x.test/a.jpg mi foto",
      { body: "mi foto", media: [{ url: "https://x.test/a.jpg", contentType: "image/jpeg" }] },
    ],
    [
      "/document https://x.test/a.pdf",
      { body: "", media: [{ url: "https://x.test/a.pdf", contentType: "application/pdf" }] },
    ],
    ["/location 40.41,-3.70 Sol", { location: { latitude: 40.41, longitude: -3.7, label: "Sol" } }],
    ["/button prices", { button: { text: "prices", payload: "prices" } }],
    ["/location nowhere", { body: "/location nowhere" }],
  ])("reads %p", (line, content) => {
    expect(parseChatLine(line)).toEqual(content);
  });
});

describe("incomingParams", () => {
  test.each([
    [{ body: "hola" }, "text"],
    [{ media: [{ url: "https://x.test/v.mp4", contentType: "video/mp4" }] }, "video"],
    [{ media: [{ url: "https://x.test/a.pdf", contentType: "application/pdf" }] }, "document"],
    [{ location: { latitude: 1, longitude: 2 } }, "location"],
    [{ button: { text: "Sí", payload: "yes" } }, "button"],
  ])("builds fields the bot parses back to the same kind (%j)", (content, kind) => {
    const params = incomingParams(content);
    expect(params.MessageType).toBe(kind);
    expect(parseIncomingMessage(parseForm(new URLSearchParams(params).toString())).kind).toBe(kind);
  });

  test("uses Twilio's SID shapes: MM for media, SM otherwise", () => {
    expect(incomingParams({ body: "x" }).MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(
      incomingParams({ media: [{ url: "https://x.test/i", contentType: "image/png" }] }).MessageSid,
    ).toMatch(/^MM[0-9a-f]{32}$/);
  });

  test("derives WaId from the sender's address", () => {
    expect(incomingParams({ body: "x" }, { from: "whatsapp:+5215512345678" }).WaId).toBe(
      "5215512345678",
    );
  });

  test("is signed by the same SDK function Twilio documents", () => {
    const params = incomingParams({ body: "x" });
    expect(
      getExpectedTwilioSignature("a".repeat(32), "http://localhost:3000/whatsapp/incoming", params),
    ).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });
});

describe("readTwimlReplies", () => {
  test.each([
    [[{ body: "uno" }, { body: "dos & <tres>" }]],
    [[{ body: "con foto", mediaUrls: ["https://x.test/a.png?x=1&y=2"] }]],
    [[{ body: "", mediaUrls: ["https://x.test/a.png", "https://x.test/b.png"] }]],
    [[]],
  ])("reads back what renderTwiml wrote: %j", (messages) => {
    expect(
      readTwimlReplies(renderTwiml({ messages }, { statusCallbackUrl: "https://h/s" })),
    ).toEqual(messages);
  });
});

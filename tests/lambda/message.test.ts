import { BadRequestError } from "../../lambda/errors";
import {
  conversationId,
  mediaKindOf,
  parseIncomingMessage,
  parseStatusCallback,
} from "../../lambda/message";
import { parseForm } from "../../lambda/request";
import {
  buttonParams,
  formBody,
  locationParams,
  mediaParams,
  statusParams,
  textParams,
  type TwilioParams,
} from "../helpers/events";

/** Parses fields after a round trip through the form encoding Twilio uses. */
function parse(params: TwilioParams) {
  return parseIncomingMessage(parseForm(formBody(params)));
}

describe("parseIncomingMessage", () => {
  test("reads a text message with the sender's WhatsApp id and profile name", () => {
    const params = textParams("Hola, ¿qué tal? 1+1=2");
    expect(parse(params)).toEqual({
      kind: "text",
      messageSid: params.MessageSid,
      from: { address: "whatsapp:+34600111222", waId: "34600111222", profileName: "Ana" },
      to: "whatsapp:+14155238886",
      body: "Hola, ¿qué tal? 1+1=2",
    });
  });

  test.each([
    ["image", "image/jpeg"],
    ["audio", "audio/ogg"],
    ["video", "video/mp4"],
    ["document", "application/pdf"],
  ] as const)("reads a single %s with its content type and URL", (kind, contentType) => {
    const params = mediaParams([{ contentType }], "mira esto");
    const message = parse(params);
    expect(message).toMatchObject({ kind, body: "mira esto" });
    expect("media" in message && message.media).toEqual([
      { kind, contentType, url: params.MediaUrl0 },
    ]);
  });

  test("reads every attachment of a message with several media, in order", () => {
    const params = mediaParams([
      { contentType: "image/jpeg" },
      { contentType: "image/png" },
      { contentType: "application/pdf" },
    ]);
    const message = parse(params);
    expect(message.kind).toBe("image");
    expect("media" in message && message.media.map((m) => [m.kind, m.contentType, m.url])).toEqual([
      ["image", "image/jpeg", params.MediaUrl0],
      ["image", "image/png", params.MediaUrl1],
      ["document", "application/pdf", params.MediaUrl2],
    ]);
  });

  test("infers the kind from the content type when MessageType is absent", () => {
    const { MessageType: _omit, ...params } = mediaParams([{ contentType: "video/mp4" }]);
    expect(parse(params).kind).toBe("video");
  });

  test("reads a location with address and label", () => {
    const params = locationParams("40.4168", "-3.7038", {
      Address: "Puerta del Sol, Madrid",
      Label: "Sol",
    });
    expect(parse(params)).toMatchObject({
      kind: "location",
      latitude: 40.4168,
      longitude: -3.7038,
      address: "Puerta del Sol, Madrid",
      label: "Sol",
    });
  });

  test("reads a bare location pin without place fields", () => {
    const { MessageType: _omit, ...params } = locationParams("-33.8688", "151.2093");
    const message = parse(params);
    expect(message).toMatchObject({ kind: "location", latitude: -33.8688, longitude: 151.2093 });
    expect(message).not.toHaveProperty("label", expect.anything());
  });

  test("reads a button reply with its text and payload", () => {
    expect(parse(buttonParams("Horario", "hours"))).toMatchObject({
      kind: "button",
      text: "Horario",
      payload: "hours",
    });
  });

  test.each(["sticker", "contacts", "reaction", "interactive", "something_new"])(
    "parses the unknown MessageType %p as unsupported",
    (type) => {
      const message = parse(textParams("", { MessageType: type }));
      expect(message).toMatchObject({ kind: "unsupported", messageType: type });
    },
  );

  test("parses an empty message with no media as unsupported", () => {
    const { MessageType: _omit, ...params } = textParams("");
    expect(parse(params)).toMatchObject({ kind: "unsupported", messageType: "unknown" });
  });

  test("keeps media that came with an unsupported kind", () => {
    const params = mediaParams([{ contentType: "image/webp" }], "", { MessageType: "sticker" });
    const message = parse(params);
    expect(message.kind).toBe("unsupported");
    expect("media" in message && message.media).toHaveLength(1);
  });

  test.each([
    ["MessageSid missing", { MessageSid: "" }],
    ["MessageSid not a SID", { MessageSid: "SM123" }],
    ["From missing", { From: "" }],
    ["NumMedia not a number", { NumMedia: "two" }],
    ["NumMedia over ten", { NumMedia: "11" }],
    ["a MediaUrl missing", { NumMedia: "1", MediaContentType0: "image/png" }],
    [
      "a MediaUrl not a URL",
      { NumMedia: "1", MediaContentType0: "image/png", MediaUrl0: "javascript:x" },
    ],
    ["a MediaContentType missing", { NumMedia: "1", MediaUrl0: "https://api.twilio.com/m" }],
    ["a media MessageType without media", { MessageType: "image" }],
    ["Latitude missing on a location", { MessageType: "location", Longitude: "1" }],
    ["Latitude out of range", { MessageType: "location", Latitude: "91", Longitude: "1" }],
    ["Longitude not a number", { MessageType: "location", Latitude: "1", Longitude: "east" }],
    ["a button without text or payload", { MessageType: "button", Body: "" }],
  ])("refuses a message with %s with 400", (_name, overrides) => {
    expect(() => parse(textParams("hola", overrides as TwilioParams))).toThrow(BadRequestError);
  });

  test("refuses a repeated single-valued field with 400", () => {
    const params = parseForm(formBody(textParams("hola")) + "&From=whatsapp%3A%2B1");
    expect(() => parseIncomingMessage(params)).toThrow(BadRequestError);
  });
});

describe("mediaKindOf", () => {
  test.each([
    ["image/jpeg", "image"],
    ["IMAGE/PNG", "image"],
    ["audio/ogg; codecs=opus", "audio"],
    ["video/3gpp", "video"],
    ["application/pdf", "document"],
    ["text/vcard", "document"],
  ])("maps %p to %p", (type, kind) => {
    expect(mediaKindOf(type)).toBe(kind);
  });
});

describe("parseStatusCallback", () => {
  test("reads a delivery status with its MessageSid", () => {
    expect(
      parseStatusCallback(parseForm(formBody(statusParams("SM" + "1".repeat(32), "delivered")))),
    ).toEqual({
      messageSid: "SM" + "1".repeat(32),
      status: "delivered",
      errorCode: undefined,
      to: "whatsapp:+34600111222",
    });
  });

  test("reads a failure's ErrorCode", () => {
    const params = statusParams("SM" + "1".repeat(32), "failed", { ErrorCode: "63016" });
    expect(parseStatusCallback(params)).toMatchObject({ status: "failed", errorCode: "63016" });
  });

  test("keeps a status it does not know, lower-cased", () => {
    expect(
      parseStatusCallback(statusParams("SM" + "1".repeat(32), "Partially_Delivered")).status,
    ).toBe("partially_delivered");
  });

  test.each([
    ["no MessageStatus", { MessageStatus: "" }],
    ["a MessageStatus that is not a word", { MessageStatus: "<script>" }],
    ["a MessageSid that is not a SID", { MessageSid: "nope" }],
    ["an ErrorCode that is not a number", { ErrorCode: "abc" }],
  ])("refuses a callback with %s with 400", (_name, overrides) => {
    expect(() =>
      parseStatusCallback(statusParams("SM" + "1".repeat(32), "sent", overrides)),
    ).toThrow(BadRequestError);
  });
});

describe("conversationId", () => {
  test("prefers the WhatsApp id over the address", () => {
    expect(conversationId({ address: "whatsapp:+34600111222", waId: "34600111222" })).toBe(
      "wa:34600111222",
    );
  });

  test("falls back to the address without a WhatsApp id", () => {
    expect(conversationId({ address: "whatsapp:+34600111222" })).toBe("whatsapp:+34600111222");
  });
});

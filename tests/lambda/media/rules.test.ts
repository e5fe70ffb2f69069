import { ConfigError } from "../../../lambda/env";
import { inlineMediaDeadlines, signalAt } from "../../../lambda/media/budget";
import { contentTypeFor, extensionFor, mediaKey } from "../../../lambda/media/key";
import { DEFAULT_MEDIA_LIMITS, typeAllowed } from "../../../lambda/media/limits";
import { readMediaSettings } from "../../../lambda/media/settings";
import { isTwilioApiUrl, mediaResourceUrl, parseMediaPath } from "../../../lambda/media/twilioHost";

const AC = `AC${"a".repeat(32)}`;
const MM = `MM${"b".repeat(32)}`;
const ME = `ME${"c".repeat(32)}`;

describe("media keys", () => {
  test.each([
    ["image/jpeg", "jpg"],
    ["audio/ogg; codecs=opus", "ogg"],
    ["Application/PDF", "pdf"],
    ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"],
    ["application/x-unknown", "bin"],
  ])("%s is stored as .%s", (type, ext) => {
    expect(extensionFor(type)).toBe(ext);
  });

  test("the key is <conversation>/<MessageSid>/<n>.<ext>, the same on every try", () => {
    expect(mediaKey("wa:34600111222", MM, 2, "image/png")).toBe(`wa:34600111222/${MM}/2.png`);
    expect(mediaKey("whatsapp:+34600111222", MM, 0, "video/mp4")).toBe(
      `whatsapp:+34600111222/${MM}/0.mp4`,
    );
  });

  test("a conversation id cannot add a level to the layout", () => {
    expect(mediaKey("../x/y", MM, 0, "image/png")).toBe(`.._x_y/${MM}/0.png`);
  });

  test.each([
    ["photo.JPEG", "image/jpeg"],
    ["scan.pdf", "application/pdf"],
    ["notes", undefined],
    ["clip.mov", undefined],
  ])("a file named %s is taken as %s", (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});

describe("allowed types", () => {
  test.each([
    ["image/jpeg", ["image/jpeg"], true],
    ["IMAGE/JPEG", ["image/jpeg"], true],
    ["audio/ogg; codecs=opus", ["audio/ogg"], true],
    ["image/gif", ["image/*"], true],
    ["video/quicktime", DEFAULT_MEDIA_LIMITS.allowedTypes, false],
    ["image/gif", DEFAULT_MEDIA_LIMITS.allowedTypes, false],
    ["application/pdf", DEFAULT_MEDIA_LIMITS.allowedTypes, true],
  ] as const)("%s against %j is %s", (type, allowed, expected) => {
    expect(typeAllowed(type, allowed)).toBe(expected);
  });
});

describe("Twilio hosts and media paths", () => {
  test.each([
    ["https://api.twilio.com/x", true],
    ["https://media.twilio.com/x", true],
    ["http://api.twilio.com/x", false],
    ["https://api.twilio.com.example/x", false],
    ["https://eviltwilio.com/x", false],
    ["https://media.twiliocdn.com/x", false],
  ])("%s may get credentials: %s", (url, expected) => {
    expect(isTwilioApiUrl(new URL(url))).toBe(expected);
  });

  test("the media path gives the account, message and media SIDs, and the DELETE resource", () => {
    const url = new URL(
      `https://api.twilio.com/2010-04-01/Accounts/${AC}/Messages/${MM}/Media/${ME}`,
    );
    const path = parseMediaPath(url);
    expect(path).toEqual({ accountSid: AC, messageSid: MM, mediaSid: ME });
    expect(path && mediaResourceUrl(url, path).href).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${AC}/Messages/${MM}/Media/${ME}.json`,
    );
    expect(parseMediaPath(new URL("https://api.twilio.com/m/1"))).toBeUndefined();
  });
});

describe("the inline media deadlines", () => {
  test.each([
    ["Lambda's default 10 s timeout", 9_500, { copyEndsAt: 7_500, cleanupEndsAt: 9_500 }],
    [
      "a 30 s timeout: Twilio's 15 s comes first",
      29_500,
      { copyEndsAt: 13_000, cleanupEndsAt: 15_000 },
    ],
    ["no limit (local)", Infinity, { copyEndsAt: 13_000, cleanupEndsAt: 15_000 }],
    ["2 s left", 2_000, { copyEndsAt: 0, cleanupEndsAt: 2_000 }],
  ])("%s", (_, budget, expected) => {
    expect(inlineMediaDeadlines(budget, 1_000)).toEqual(expected);
  });

  test("a deadline already passed aborts at once", async () => {
    const signal = signalAt(500, () => 1_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(signal.aborted).toBe(true);
  });
});

describe("the Lambda's media settings", () => {
  test("none without MEDIA_BUCKET", () => {
    expect(readMediaSettings({ MEDIA_MAX_BYTES: "5" })).toBeUndefined();
  });

  test("WhatsApp's limits by default", () => {
    expect(readMediaSettings({ MEDIA_BUCKET: "b" })).toEqual({
      bucket: "b",
      limits: DEFAULT_MEDIA_LIMITS,
      deleteFromTwilio: false,
    });
  });

  test("the stack's values as it writes them", () => {
    expect(
      readMediaSettings({
        MEDIA_BUCKET: "b",
        MEDIA_MAX_BYTES: "5242880",
        MEDIA_ALLOWED_TYPES: "image/*,application/pdf",
        DELETE_TWILIO_MEDIA: "true",
      }),
    ).toEqual({
      bucket: "b",
      limits: { maxBytes: 5242880, allowedTypes: ["image/*", "application/pdf"] },
      deleteFromTwilio: true,
    });
  });

  test.each([
    [{ MEDIA_MAX_BYTES: "0" }, "MEDIA_MAX_BYTES"],
    [{ MEDIA_MAX_BYTES: "lots" }, "MEDIA_MAX_BYTES"],
    [{ MEDIA_ALLOWED_TYPES: "image/jpeg,jpeg" }, 'MEDIA_ALLOWED_TYPES has "jpeg"'],
  ])("%j is refused naming the variable", (env, message) => {
    expect(() => readMediaSettings({ MEDIA_BUCKET: "b", ...env })).toThrow(ConfigError);
    expect(() => readMediaSettings({ MEDIA_BUCKET: "b", ...env })).toThrow(message);
  });
});

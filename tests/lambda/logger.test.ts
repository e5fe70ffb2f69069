import { createJsonLogger, errorSummary, logFailure, parseLogLevel } from "../../lambda/logger";

function capture(level?: "debug" | "info" | "warn" | "error", redact?: string[]) {
  const lines: string[] = [];
  const logger = createJsonLogger({
    level,
    write: (line) => lines.push(line),
    now: () => new Date("2026-11-26T10:00:00Z"),
    redact: redact && (() => redact),
  });
  return { logger, lines };
}

describe("createJsonLogger", () => {
  test("writes one JSON object per line with level, time, msg and fields", () => {
    const { logger, lines } = capture();
    logger.info("message answered", { messageSid: "SM1", skipped: undefined });
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        level: "info",
        time: "2026-11-26T10:00:00.000Z",
        msg: "message answered",
        messageSid: "SM1",
      },
    ]);
  });

  test.each([
    ["debug", ["debug", "info", "warn", "error"]],
    ["info", ["info", "warn", "error"]],
    ["warn", ["warn", "error"]],
    ["error", ["error"]],
  ] as const)("at %s writes only %j", (level, expected) => {
    const { logger, lines } = capture(level);
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(expected);
  });

  test("reduces errors to name and message", () => {
    const { logger, lines } = capture();
    logger.error("failed", { error: new TypeError("bad") });
    expect((JSON.parse(lines[0]) as { error: unknown }).error).toEqual({
      name: "TypeError",
      message: "bad",
    });
  });

  test("redacts a secret wherever it appears", () => {
    const { logger, lines } = capture("info", ["s3cr3t-token-value"]);
    logger.error("failed", { error: new Error("signature with s3cr3t-token-value failed") });
    expect(lines[0]).not.toContain("s3cr3t-token-value");
    expect(lines[0]).toContain("[redacted]");
  });
});

describe("parseLogLevel", () => {
  test.each([
    [undefined, "info"],
    ["DEBUG", "debug"],
    ["warn", "warn"],
    ["error", "error"],
    ["verbose", "info"],
  ])("reads LOG_LEVEL=%p as %p", (value, expected) => {
    expect(parseLogLevel(value)).toBe(expected);
  });
});

describe("errorSummary and logFailure", () => {
  test("keep an error's message, which may quote the user, out of every level but debug", () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createJsonLogger({
      level: "debug",
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    logFailure(logger, "bot failed", { messageSid: "SM1" }, new TypeError('bad "hola Ana"'));
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", msg: "bot failed", error: { name: "TypeError" } }),
      expect.objectContaining({
        level: "debug",
        msg: "bot failed: detail",
        error: { name: "TypeError", message: 'bad "hola Ana"' },
      }),
    ]);
  });

  test.each<[string, unknown, Record<string, unknown>]>([
    [
      "an AWS SDK error with its HTTP status",
      Object.assign(new Error("Requested resource not found"), {
        name: "ResourceNotFoundException",
        $metadata: { httpStatusCode: 400 },
      }),
      { name: "ResourceNotFoundException", httpStatus: 400 },
    ],
    ["a thrown string", "boom", { name: "string" }],
  ])("summarise %s", (_name, error, expected) => {
    expect(errorSummary(error)).toEqual(expected);
  });
});

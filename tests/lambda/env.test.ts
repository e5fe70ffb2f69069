import {
  ConfigError,
  normalizeBaseUrl,
  readLambdaConfig,
  readWorkerConfig,
} from "../../lambda/env";

const base = {
  AUTH_TOKEN_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tok",
  PUBLIC_BASE_URL: "https://abc123.execute-api.eu-west-1.amazonaws.com",
};

describe("readLambdaConfig", () => {
  test("reads the variables the stack sets, with defaults", () => {
    expect(readLambdaConfig({ ...base })).toEqual({
      tableName: undefined,
      authTokenSecretArn: base.AUTH_TOKEN_SECRET_ARN,
      authTokenSecretVersionId: undefined,
      publicBaseUrl: base.PUBLIC_BASE_URL,
      language: "es",
      logLevel: "info",
      templateSids: {},
      replyQueueUrl: undefined,
    });
  });

  test("reads REPLY_QUEUE_URL, which turns on queued mode", () => {
    const url = "https://sqs.eu-west-1.amazonaws.com/123456789012/whatsapp-bot-dev-replies.fifo";
    expect(readLambdaConfig({ ...base, REPLY_QUEUE_URL: ` ${url} ` }).replyQueueUrl).toBe(url);
    expect(readLambdaConfig({ ...base, REPLY_QUEUE_URL: "" }).replyQueueUrl).toBeUndefined();
  });

  test("reads TEMPLATE_SIDS, the declared templates' content SIDs", () => {
    const sid = `HX${"a".repeat(32)}`;
    expect(
      readLambdaConfig({ ...base, TEMPLATE_SIDS: JSON.stringify({ appointment_reminder: sid }) })
        .templateSids,
    ).toEqual({ appointment_reminder: sid });
  });

  test("reads TABLE_NAME, BOT_LANGUAGE and LOG_LEVEL", () => {
    expect(
      readLambdaConfig({ ...base, TABLE_NAME: "t-dev", BOT_LANGUAGE: "en", LOG_LEVEL: "debug" }),
    ).toMatchObject({ tableName: "t-dev", language: "en", logLevel: "debug" });
  });

  test("reads AUTH_TOKEN_SECRET_VERSION_ID, the token version the stack wrote", () => {
    expect(
      readLambdaConfig({ ...base, AUTH_TOKEN_SECRET_VERSION_ID: " v-123 " })
        .authTokenSecretVersionId,
    ).toBe("v-123");
  });

  test("drops a trailing slash from PUBLIC_BASE_URL", () => {
    expect(
      readLambdaConfig({ ...base, PUBLIC_BASE_URL: base.PUBLIC_BASE_URL + "/" }).publicBaseUrl,
    ).toBe(base.PUBLIC_BASE_URL);
  });

  test.each([
    ["AUTH_TOKEN_SECRET_ARN", { PUBLIC_BASE_URL: base.PUBLIC_BASE_URL }],
    ["PUBLIC_BASE_URL", { AUTH_TOKEN_SECRET_ARN: base.AUTH_TOKEN_SECRET_ARN }],
  ])("names the missing %s", (name, env) => {
    expect(() => readLambdaConfig(env)).toThrow(
      new ConfigError(`missing environment variables: ${name}`),
    );
  });

  test("never takes the auth token from a plaintext TWILIO_AUTH_TOKEN", () => {
    expect(() =>
      readLambdaConfig({ PUBLIC_BASE_URL: base.PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN: "x" }),
    ).toThrow(ConfigError);
  });
});

describe("normalizeBaseUrl", () => {
  test.each(["abc123.execute-api.amazonaws.com", "ftp://x", "https://h/a?q=1", "https://h/#x", ""])(
    "refuses %p",
    (value) => {
      expect(() => normalizeBaseUrl(value, "PUBLIC_BASE_URL")).toThrow(/PUBLIC_BASE_URL/);
    },
  );

  test.each([
    ["https://h.example", "https://h.example"],
    ["http://localhost:3000/", "http://localhost:3000"],
    ["https://h.example/prod", "https://h.example/prod"],
  ])("accepts %p as %p", (value, expected) => {
    expect(normalizeBaseUrl(value, "X")).toBe(expected);
  });
});

describe("readWorkerConfig", () => {
  test("reads TABLE_NAME, PUBLIC_BASE_URL, BOT_LANGUAGE and LOG_LEVEL, and needs no auth token", () => {
    expect(
      readWorkerConfig({
        TABLE_NAME: " t-dev ",
        PUBLIC_BASE_URL: base.PUBLIC_BASE_URL + "/",
        BOT_LANGUAGE: "en",
        LOG_LEVEL: "debug",
      }),
    ).toEqual({
      tableName: "t-dev",
      publicBaseUrl: base.PUBLIC_BASE_URL,
      language: "en",
      logLevel: "debug",
    });
    expect(readWorkerConfig({ PUBLIC_BASE_URL: base.PUBLIC_BASE_URL })).toEqual({
      tableName: undefined,
      publicBaseUrl: base.PUBLIC_BASE_URL,
      language: "es",
      logLevel: "info",
    });
  });

  test("names PUBLIC_BASE_URL when it is missing", () => {
    expect(() => readWorkerConfig({})).toThrow(
      new ConfigError("missing environment variables: PUBLIC_BASE_URL"),
    );
  });
});

import {
  callTwilio,
  clearConfiguredCredentials,
  configureTwilio,
  describeTwilioError,
  hintFor,
  isNotFound,
  isRetryable,
  isTwilioApiError,
  MISSING_CREDENTIALS_ERROR,
  resolveCredentials,
  setRetryPolicy,
} from "../../../infra/twilio/client";
import { configRequest } from "../../helpers/twilio/wire";

const sid = "AC" + "1".repeat(32);

afterEach(() => {
  clearConfiguredCredentials();
  setRetryPolicy(undefined);
});

describe("credentials", () => {
  test("stack config wins over the environment, and an API key wins over the auth token", async () => {
    await configureTwilio(
      configRequest({
        "twilio:accountSid": sid,
        "twilio:apiKey": "SK" + "2".repeat(32),
        "twilio:apiSecret": "s3cret",
        "twilio:authToken": "tok",
      }),
    );
    expect(
      resolveCredentials({ TWILIO_ACCOUNT_SID: "AC" + "9".repeat(32), TWILIO_AUTH_TOKEN: "env" }),
    ).toEqual({
      accountSid: sid,
      apiKey: "SK" + "2".repeat(32),
      apiSecret: "s3cret",
    });
  });

  test("without stack config the environment is read at call time", () => {
    expect(resolveCredentials({ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: "tok" })).toEqual({
      accountSid: sid,
      authToken: "tok",
    });
  });

  test.each([
    [{}, /No Twilio account SID: set twilio:accountSid .*`pulumi config set/],
    [
      { TWILIO_ACCOUNT_SID: "SK" + "1".repeat(32), TWILIO_AUTH_TOKEN: "t" },
      /must look like AC followed by 32 hex digits/,
    ],
    [
      { TWILIO_ACCOUNT_SID: sid, TWILIO_API_KEY: "SK" + "1".repeat(32) },
      /no API key and secret, nor auth token.*TWILIO_API_SECRET/,
    ],
  ])("missing or malformed credentials (%j) fail with the keys to set", (env, message) => {
    let thrown: unknown;
    try {
      resolveCredentials(env);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).name).toBe(MISSING_CREDENTIALS_ERROR);
    expect((thrown as Error).message).toMatch(message);
  });
});

describe("Twilio errors", () => {
  test.each([
    [20003, 401, /authentication failed: check twilio:accountSid/],
    [21712, 400, /one Messaging Service at a time/],
    [63016, 400, /within 24 hours.*approved template/],
    [63007, 400, /registered and ONLINE/],
    [63112, 400, /WhatsApp sender's registration/],
    [20429, 429, /rate-limited/],
    [20404, 404, /pulumi refresh/],
  ])("error %i gets a hint", (code, status, hint) => {
    expect(hintFor(code, status)).toMatch(hint);
    const err = describeTwilioError("update thing", { status, code, message: "Twilio says no" });
    expect(isTwilioApiError(err)).toBe(true);
    expect(err.message).toMatch(
      new RegExp(
        `^Twilio update thing failed \\(HTTP ${status}, error ${code}\\): Twilio says no\\. Hint: `,
      ),
    );
    expect(err.message).toContain(`https://www.twilio.com/docs/errors/${code}`);
    expect(err.code).toBe(code);
  });

  test("credentials never survive into an error message", async () => {
    await configureTwilio(
      configRequest({ "twilio:accountSid": sid, "twilio:authToken": "super-secret-token" }),
    );
    const err = describeTwilioError("fetch", {
      status: 500,
      message: "echo super-secret-token Authorization: Basic QUM6dG9rZW4=",
    });
    expect(err.message).not.toContain("super-secret-token");
    expect(err.message).not.toContain("QUM6dG9rZW4=");
    expect(err.message).toContain("[redacted]");
  });

  test("not found is HTTP 404 or error 20404", () => {
    expect(isNotFound({ status: 404 })).toBe(true);
    expect(isNotFound({ code: 20404 })).toBe(true);
    expect(isNotFound({ status: 400, code: 21712 })).toBe(false);
    expect(isNotFound(undefined)).toBe(false);
  });

  test.each([
    [{ status: 429 }, false, true],
    [{ status: 503 }, false, true],
    [{ status: 500 }, true, true],
    [{ status: 500 }, false, false],
    [{ code: "ECONNABORTED" }, true, true],
    [{ code: "ECONNABORTED" }, false, false],
    [{ code: "ECONNREFUSED" }, false, true],
    [{ status: 400, code: 21712 }, true, false],
    [{ status: 401, code: 20003 }, true, false],
  ])("%j (idempotent %s) is retried: %s", (err, idempotent, expected) => {
    expect(isRetryable(err, idempotent)).toBe(expected);
  });

  test("callTwilio backs off and gives up after the configured attempts with the last error", async () => {
    setRetryPolicy({ attempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
    let calls = 0;
    const failing = async (): Promise<never> => {
      calls++;
      throw Object.assign(new Error("Too Many Requests"), { status: 429, code: 20429 });
    };
    await expect(callTwilio("list", failing, { idempotent: true })).rejects.toThrow(
      /HTTP 429, error 20429.*rate-limited/,
    );
    expect(calls).toBe(3);
  });

  test("callTwilio does not retry a 4xx", async () => {
    setRetryPolicy({ attempts: 3, baseDelayMs: 1, maxDelayMs: 2 });
    let calls = 0;
    await expect(
      callTwilio(
        "create",
        async () => {
          calls++;
          throw Object.assign(new Error("taken"), { status: 400, code: 21712 });
        },
        { idempotent: true },
      ),
    ).rejects.toThrow(/error 21712/);
    expect(calls).toBe(1);
  });
});

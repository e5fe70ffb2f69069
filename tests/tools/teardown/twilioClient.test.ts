import { twilioFromEnv, TwilioEnvError } from "../../../tools/teardown/twilioClient";

const SID = "AC0123456789abcdef0123456789abcdef";

describe("twilioFromEnv", () => {
  test("prefers the API key pair", () => {
    const client = twilioFromEnv({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_API_KEY: "SK0123456789abcdef0123456789abcdef",
      TWILIO_API_SECRET: "s3cr3t",
      TWILIO_AUTH_TOKEN: "0123456789abcdef0123456789abcdef",
    });
    expect(client.accountSid).toBe(SID);
    expect(client.username).toBe("SK0123456789abcdef0123456789abcdef");
  });

  test("falls back to the auth token", () => {
    const client = twilioFromEnv({
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: "0123456789abcdef0123456789abcdef",
    });
    expect(client.username).toBe(SID);
  });

  test.each([
    [{}, "TWILIO_ACCOUNT_SID is not set"],
    [
      { TWILIO_ACCOUNT_SID: SID, TWILIO_API_KEY: "SK0123456789abcdef0123456789abcdef" },
      "TWILIO_API_SECRET",
    ],
  ])("explains what is missing (%j)", (env, message) => {
    expect(() => twilioFromEnv(env)).toThrow(TwilioEnvError);
    expect(() => twilioFromEnv(env)).toThrow(message);
  });
});

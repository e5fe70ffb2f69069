import { lambdaEnvSecrets, secretLookingName } from "../../policy/lambdaEnvSecrets";
import { AWS_TYPES } from "../../policy/resourceTypes";
import { resourceArgs, violationsOf } from "./harness";

const lambda = (variables: Record<string, string>, config: object = {}) =>
  resourceArgs({ type: AWS_TYPES.lambdaFunction, props: { environment: { variables } } }, config);

/** The variables the stack sets, per the contract between the bot and the stack. */
const CONTRACT_ENV = {
  TABLE_NAME: "whatsapp-bot-dev-messages",
  AUTH_TOKEN_SECRET_ARN:
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-dev-auth-token-AbCdEf",
  PUBLIC_BASE_URL: "https://abc123.execute-api.eu-west-1.amazonaws.com",
  BOT_LANGUAGE: "es",
  LOG_LEVEL: "info",
  ALERT_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:whatsapp-bot-dev-alerts",
};

describe("lambda-env-no-plaintext-secrets", () => {
  test("passes the environment the bot's contract defines (the token is referenced by ARN)", async () => {
    expect(await violationsOf(lambdaEnvSecrets, lambda(CONTRACT_ENV))).toEqual([]);
  });

  test.each(["TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET", "DB_PASSWORD", "API_KEY", "TWILIO_API_KEY"])(
    "reports a variable named %s",
    async (name) => {
      const found = await violationsOf(
        lambdaEnvSecrets,
        lambda({ ...CONTRACT_ENV, [name]: "anything" }),
      );
      expect(found).toHaveLength(1);
      expect(found[0].message).toContain(name);
    },
  );

  test.each([
    ["a Twilio auth token", "0123456789abcdef0123456789abcdef"],
    ["a Twilio API key SID", "SK0123456789abcdef0123456789abcdef"],
  ])(
    "reports a harmless-looking name holding %s, without echoing the value",
    async (what, value) => {
      const found = await violationsOf(
        lambdaEnvSecrets,
        lambda({ ...CONTRACT_ENV, TWILIO_CONFIG: value }),
      );
      expect(found).toHaveLength(1);
      expect(found[0].message).toContain("TWILIO_CONFIG");
      expect(found[0].message).toContain(what);
      expect(found[0].message).not.toContain(value);
    },
  );

  test("lets a name through when the policy config allows it", async () => {
    const found = await violationsOf(
      lambdaEnvSecrets,
      lambda({ ...CONTRACT_ENV, CACHE_KEY: "v1" }, { allowedNames: ["CACHE_KEY"] }),
    );
    expect(found).toEqual([]);
  });

  test("passes a function with no environment at all", async () => {
    const args = resourceArgs({ type: AWS_TYPES.lambdaFunction, props: { runtime: "nodejs24.x" } });
    expect(await violationsOf(lambdaEnvSecrets, args)).toEqual([]);
  });

  test.each([
    ["AUTH_TOKEN_SECRET_ARN", undefined],
    ["SIGNING_KEY_ID", undefined],
    ["MONKEY_COUNT", undefined],
    ["TWILIO_AUTH_TOKEN", "its name contains TOKEN"],
    ["apiSecret", "its name contains SECRET"],
    ["twilioAuthTokenArn", undefined],
    ["api_secret", "its name contains SECRET"],
  ])("secretLookingName(%s)", (name, expected) => {
    expect(secretLookingName(name)).toBe(expected);
  });
});

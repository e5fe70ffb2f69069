import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import {
  AuthTokenError,
  readFromSecretsManager,
  secretAuthToken,
  staticAuthToken,
} from "../../lambda/authToken";

const ARN =
  "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-dev-auth-token-AbCdEf";

describe("secretAuthToken", () => {
  test("reads the secret once and serves every later request from the cache", async () => {
    const read = jest.fn(async () => "token-value-0123456789");
    const token = secretAuthToken(ARN, read);
    const values = await Promise.all([token(), token(), token()]);
    expect(await token()).toBe("token-value-0123456789");
    expect(values).toEqual(Array(3).fill("token-value-0123456789"));
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith(ARN, undefined);
  });

  test("reads the version the stack wrote, so a rotated token arrives with new containers", async () => {
    const read = jest.fn(async () => "token-of-version-2");
    await expect(secretAuthToken(ARN, read, "version-2")()).resolves.toBe("token-of-version-2");
    expect(read).toHaveBeenCalledWith(ARN, "version-2");
  });

  test("tries again on the next request after a failed read", async () => {
    const read = jest
      .fn()
      .mockRejectedValueOnce(new Error("throttled"))
      .mockResolvedValue("tok-1234567890");
    const token = secretAuthToken(ARN, read);
    await expect(token()).rejects.toThrow("throttled");
    await expect(token()).resolves.toBe("tok-1234567890");
    expect(read).toHaveBeenCalledTimes(2);
  });

  test("trims whitespace a console paste may leave", async () => {
    await expect(secretAuthToken(ARN, async () => "  abc123abc123\n")()).resolves.toBe(
      "abc123abc123",
    );
  });

  test.each([undefined, "", "   "])("refuses a secret whose value is %p", async (value) => {
    await expect(secretAuthToken(ARN, async () => value)()).rejects.toThrow(AuthTokenError);
  });
});

describe("readFromSecretsManager", () => {
  const sm = mockClient(SecretsManagerClient);
  afterEach(() => sm.reset());

  test("asks Secrets Manager for the secret's SecretString", async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({
      SecretString: "from-secrets-manager",
    });
    await expect(readFromSecretsManager(ARN)).resolves.toBe("from-secrets-manager");
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  test("asks for the given version when there is one", async () => {
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: "current" });
    sm.on(GetSecretValueCommand, { SecretId: ARN, VersionId: "v-2" }).resolves({
      SecretString: "version-two",
    });
    await expect(readFromSecretsManager(ARN, "v-2")).resolves.toBe("version-two");
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({
      SecretId: ARN,
      VersionId: "v-2",
    });
  });
});

describe("staticAuthToken", () => {
  test("returns the token it was given", async () => {
    await expect(staticAuthToken("local-token")()).resolves.toBe("local-token");
  });
});

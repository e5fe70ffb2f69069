import {
  CREDENTIALS_MAX_AGE_MS,
  parseOutboundCredentials,
  secretOutboundCredentials,
} from "../../../lambda/outbound/credentials";
import { OutboundCredentialsError } from "../../../lambda/outbound/errors";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:whatsapp-bot-dev-outbound-AbCdEf";
const VALID = {
  accountSid: `AC${"1".repeat(32)}`,
  apiKeySid: `SK${"2".repeat(32)}`,
  apiKeySecret: "s3cr3t-value-of-the-key-0123456",
  messagingServiceSid: `MG${"3".repeat(32)}`,
};

describe("parseOutboundCredentials", () => {
  test("reads the four fields of the secret's JSON", () => {
    expect(parseOutboundCredentials(JSON.stringify({ ...VALID, extra: 1 }), "x")).toEqual(VALID);
  });

  test.each([
    ["accountSid", { ...VALID, accountSid: "AC123" }],
    ["apiKeySid", { ...VALID, apiKeySid: `AC${"2".repeat(32)}` }],
    ["apiKeySecret", { ...VALID, apiKeySecret: "" }],
    ["messagingServiceSid", { ...VALID, messagingServiceSid: undefined }],
  ])("names %s when it is missing or malformed, never a value", (field, value) => {
    const attempt = () => parseOutboundCredentials(JSON.stringify(value), `secret ${ARN}`);
    expect(attempt).toThrow(OutboundCredentialsError);
    expect(attempt).toThrow(new RegExp(`^secret ${ARN}: ${field} must be `));
    try {
      attempt();
    } catch (err) {
      expect((err as Error).message).not.toContain(VALID.apiKeySecret);
    }
  });

  test("text that is not JSON (the placeholder of an old secret, say) says to run pulumi up", () => {
    expect(() => parseOutboundCredentials("preview-placeholder", "secret x")).toThrow(
      /secret x does not hold JSON .*pulumi up/,
    );
    expect(() => parseOutboundCredentials(undefined, "secret x")).toThrow(OutboundCredentialsError);
  });
});

describe("secretOutboundCredentials", () => {
  test("reads the secret's current version once and serves later sends from the cache", async () => {
    const read = jest.fn(async () => JSON.stringify(VALID));
    const source = secretOutboundCredentials(ARN, { read });
    await Promise.all([source.get(), source.get()]);
    await expect(source.get()).resolves.toEqual(VALID);
    expect(read).toHaveBeenCalledTimes(1);
    expect(read).toHaveBeenCalledWith(ARN);
  });

  test("reads again once the copy is older than the maximum age", async () => {
    let now = 1_000;
    const read = jest.fn(async () => JSON.stringify(VALID));
    const source = secretOutboundCredentials(ARN, { read, now: () => now });
    await source.get();
    now += CREDENTIALS_MAX_AGE_MS - 1;
    await source.get();
    expect(read).toHaveBeenCalledTimes(1);
    now += 1;
    await source.get();
    expect(read).toHaveBeenCalledTimes(2);
  });

  test("refresh drops the copy, so a rotated key is read at the next send", async () => {
    const rotated = { ...VALID, apiKeySid: `SK${"4".repeat(32)}` };
    const values = [VALID, rotated];
    const source = secretOutboundCredentials(ARN, {
      read: async () => JSON.stringify(values.shift()),
    });
    await expect(source.get()).resolves.toEqual(VALID);
    source.refresh();
    await expect(source.get()).resolves.toEqual(rotated);
  });

  test("a failed read is not cached: the next send reads again", async () => {
    const read = jest
      .fn<Promise<string | undefined>, [string]>()
      .mockRejectedValueOnce(new Error("throttled"))
      .mockResolvedValueOnce("{}")
      .mockResolvedValue(JSON.stringify(VALID));
    const source = secretOutboundCredentials(ARN, { read });
    await expect(source.get()).rejects.toThrow("throttled");
    await expect(source.get()).rejects.toThrow(OutboundCredentialsError);
    await expect(source.get()).resolves.toEqual(VALID);
    expect(read).toHaveBeenCalledTimes(3);
  });
});

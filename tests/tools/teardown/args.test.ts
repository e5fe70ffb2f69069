import { parseTeardownArgs, TeardownArgsError } from "../../../tools/teardown/args";

describe("parseTeardownArgs", () => {
  test("reads the stack, repeated regions, the project and the wait", () => {
    expect(
      parseTeardownArgs([
        "--stack",
        "pr-12",
        "--region",
        "eu-west-1",
        "--region=us-east-1",
        "--wait-seconds",
        "300",
      ]),
    ).toEqual({
      stack: "pr-12",
      regions: ["eu-west-1", "us-east-1"],
      project: "whatsapp-bot",
      waitSeconds: 300,
    });
  });

  test("keeps only the stack's short name from a fully qualified org/project/stack", () => {
    expect(parseTeardownArgs(["--stack", "acme/whatsapp-bot/staging"]).stack).toBe("staging");
  });

  test("reads --account-id, and leaves it out when not given", () => {
    expect(parseTeardownArgs(["--stack", "dev", "--account-id=123456789012"]).accountId).toBe(
      "123456789012",
    );
    expect(parseTeardownArgs(["--stack", "dev"])).not.toHaveProperty("accountId");
  });

  test.each([
    [[], "--stack is required"],
    [["--stack", "dev", "--account-id", "12345"], "is not a 12-digit AWS account id"],
    [["--stack"], "--stack needs a value"],
    [["--stack", "dev", "--region", "Ireland"], "is not an AWS region"],
    [["--stack", "dev", "--wait-seconds", "soon"], "is not a whole number"],
    [["--stack", "dev", "--force"], 'unknown argument "--force"'],
    [["--stack", "dev; rm -rf"], "is not a stack name"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseTeardownArgs(argv)).toThrow(TeardownArgsError);
    expect(() => parseTeardownArgs(argv)).toThrow(message);
  });
});

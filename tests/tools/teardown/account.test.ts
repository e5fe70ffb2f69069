import {
  AwsAccountError,
  partitionOfRegion,
  resolveAccount,
} from "../../../tools/teardown/account";

const ROLE = "arn:aws:iam::123456789012:role/admin";

describe("resolveAccount", () => {
  test.each([
    [{ roleArn: ROLE }, "123456789012", "IAM role ARNs"],
    [{ flag: "123456789012", roleArn: ROLE }, "123456789012", "--account-id"],
    [{ env: "123456789012", roleArn: ROLE }, "123456789012", "AWS_ACCOUNT_ID"],
    [{ flag: "123456789012", env: "999999999999" }, "123456789012", "--account-id"],
    [{ env: "999999999999" }, "999999999999", "AWS_ACCOUNT_ID"],
    [{ env: "", roleArn: ROLE }, "123456789012", "IAM role ARNs"],
  ])("%j -> %s from %s", (sources, id, source) => {
    expect(resolveAccount({ region: "eu-west-1", ...sources })).toEqual({
      id,
      partition: "aws",
      source,
    });
  });

  test("takes the partition from the role ARN, else from the region", () => {
    const cnRole = "arn:aws-cn:iam::123456789012:role/admin";
    expect(resolveAccount({ region: "cn-north-1", roleArn: cnRole }).partition).toBe("aws-cn");
    expect(resolveAccount({ region: "us-gov-west-1", flag: "123456789012" }).partition).toBe(
      "aws-us-gov",
    );
  });

  test.each([
    [{}, "pass --account-id"],
    [{ flag: "1234" }, '--account-id "1234" is not a 12-digit AWS account id'],
    [{ env: "abc", roleArn: ROLE }, 'AWS_ACCOUNT_ID "abc" is not a 12-digit'],
    [{ flag: "999999999999", roleArn: ROLE }, "the AWS credentials are for account 123456789012"],
  ])("refuses %j", (sources, message) => {
    expect(() => resolveAccount({ region: "eu-west-1", ...sources })).toThrow(AwsAccountError);
    expect(() => resolveAccount({ region: "eu-west-1", ...sources })).toThrow(message);
  });
});

describe("partitionOfRegion", () => {
  test.each([
    ["eu-west-1", "aws"],
    ["cn-northwest-1", "aws-cn"],
    ["us-gov-east-1", "aws-us-gov"],
  ])("%s -> %s", (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
  });
});

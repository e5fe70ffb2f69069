import { logRetention } from "../../policy/logRetention";
import { AWS_TYPES } from "../../policy/resourceTypes";
import { resourceArgs, violationsOf } from "./harness";

describe("log-group-retention", () => {
  test("passes a log group with a retention", async () => {
    const args = resourceArgs({
      type: AWS_TYPES.logGroup,
      props: { name: "/aws/lambda/x", retentionInDays: 14 },
    });
    expect(await violationsOf(logRetention, args)).toEqual([]);
  });

  test.each([
    ["unset", {}],
    ["zero (never expire)", { retentionInDays: 0 }],
  ])("reports a log group whose retention is %s", async (_what, extra) => {
    const args = resourceArgs({
      type: AWS_TYPES.logGroup,
      props: { name: "/aws/lambda/x", ...extra },
    });
    const found = await violationsOf(logRetention, args);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain("retentionInDays");
  });

  test("leaves other resource types alone", async () => {
    const args = resourceArgs({ type: AWS_TYPES.lambdaFunction, props: {} });
    expect(await violationsOf(logRetention, args)).toEqual([]);
  });
});

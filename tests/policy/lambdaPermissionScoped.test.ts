import { lambdaPermissionScoped } from "../../policy/lambdaPermissionScoped";
import { AWS_TYPES } from "../../policy/resourceTypes";
import { previewProps, resourceArgs, UNKNOWN_STRING, violationsOf } from "./harness";

const permission = (props: Record<string, unknown>) =>
  resourceArgs({
    type: AWS_TYPES.lambdaPermission,
    props: { action: "lambda:InvokeFunction", function: "whatsapp-bot-dev", ...props },
  });

describe("lambda-permission-scoped-to-api", () => {
  test("passes a permission scoped to the API's execution ARN", async () => {
    const args = permission({
      principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/*",
    });
    expect(await violationsOf(lambdaPermissionScoped, args)).toEqual([]);
  });

  test("reports an API Gateway permission without a sourceArn", async () => {
    const found = await violationsOf(
      lambdaPermissionScoped,
      permission({ principal: "apigateway.amazonaws.com" }),
    );
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain("sourceArn");
  });

  test("does not judge permissions for other principals", async () => {
    expect(
      await violationsOf(lambdaPermissionScoped, permission({ principal: "sns.amazonaws.com" })),
    ).toEqual([]);
  });

  test("accepts a sourceArn that is unknown during a preview", async () => {
    const args = resourceArgs({
      type: AWS_TYPES.lambdaPermission,
      props: previewProps({ principal: "apigateway.amazonaws.com", sourceArn: UNKNOWN_STRING }),
    });
    expect(await violationsOf(lambdaPermissionScoped, args)).toEqual([]);
  });
});

import { apiAccessLogs } from "../../policy/apiAccessLogs";
import { AWS_TYPES } from "../../policy/resourceTypes";
import { previewProps, resourceArgs, UNKNOWN_STRING, violationsOf } from "./harness";

const stage = (props: Record<string, unknown>) =>
  resourceArgs({
    type: AWS_TYPES.apiStage,
    props: { name: "$default", autoDeploy: true, ...props },
  });

const LOG_GROUP = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/x/access";

describe("api-stage-access-logs", () => {
  test("passes a stage that logs to a log group in a format", async () => {
    const args = stage({
      accessLogSettings: { destinationArn: LOG_GROUP, format: '{"status":"$context.status"}' },
    });
    expect(await violationsOf(apiAccessLogs, args)).toEqual([]);
  });

  test("reports a stage without an access log, naming both fields", async () => {
    const found = await violationsOf(apiAccessLogs, stage({}));
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^accessLogSettings\.destinationArn must be set/),
      expect.stringMatching(/^accessLogSettings\.format must be set/),
    ]);
  });

  test("reports an empty format", async () => {
    const found = await violationsOf(
      apiAccessLogs,
      stage({ accessLogSettings: { destinationArn: LOG_GROUP, format: " " } }),
    );
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain("accessLogSettings.format");
  });

  test("in a preview, skips a destination that is not known yet and still checks the format", async () => {
    const args = (format: string) =>
      resourceArgs({
        type: AWS_TYPES.apiStage,
        props: previewProps({
          name: "$default",
          accessLogSettings: { destinationArn: UNKNOWN_STRING, format },
        }),
      });
    expect(await violationsOf(apiAccessLogs, args('{"status":"$context.status"}'))).toEqual([]);
    const found = await violationsOf(apiAccessLogs, args(""));
    expect(found.map((v) => v.message)).toEqual([
      expect.stringMatching(/^accessLogSettings\.format must be set/),
    ]);
  });

  test("leaves other resource types alone", async () => {
    const args = resourceArgs({ type: AWS_TYPES.lambdaFunction, props: {} });
    expect(await violationsOf(apiAccessLogs, args)).toEqual([]);
  });
});

import { apiThrottling } from "../../policy/apiThrottling";
import { AWS_TYPES } from "../../policy/resourceTypes";
import { resourceArgs, violationsOf } from "./harness";

const stage = (props: Record<string, unknown>) =>
  resourceArgs({
    type: AWS_TYPES.apiStage,
    props: { name: "$default", autoDeploy: true, ...props },
  });

describe("api-stage-throttling", () => {
  test("passes a stage with a rate and a burst limit", async () => {
    const args = stage({
      defaultRouteSettings: { throttlingRateLimit: 25, throttlingBurstLimit: 50 },
    });
    expect(await violationsOf(apiThrottling, args)).toEqual([]);
  });

  test("reports a stage without route settings, once per missing limit", async () => {
    const found = await violationsOf(apiThrottling, stage({}));
    expect(found.map((v) => v.message)).toEqual([
      "defaultRouteSettings.throttlingRateLimit must be a positive number.",
      "defaultRouteSettings.throttlingBurstLimit must be a positive number.",
    ]);
  });

  test("reports a stage with a burst limit but no rate limit", async () => {
    const found = await violationsOf(
      apiThrottling,
      stage({ defaultRouteSettings: { throttlingBurstLimit: 50 } }),
    );
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain("throttlingRateLimit");
  });
});

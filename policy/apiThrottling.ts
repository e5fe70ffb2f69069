import { type ResourceValidationPolicy } from "@pulumi/policy";
import { known } from "./known";
import { AWS_TYPES } from "./resourceTypes";

/**
 * The HTTP API stage throttles requests: the webhook URL is public, and without a limit a flood
 * of requests turns into Lambda, DynamoDB and Secrets Manager charges.
 */
export const apiThrottling: ResourceValidationPolicy = {
  name: "api-stage-throttling",
  description:
    "API Gateway v2 stages set defaultRouteSettings throttlingRateLimit and throttlingBurstLimit.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_TYPES.apiStage) return;
    const settings = known((): unknown => args.props.defaultRouteSettings);
    for (const field of ["throttlingRateLimit", "throttlingBurstLimit"]) {
      const value = known(() => (settings as Record<string, unknown> | undefined)?.[field]);
      if (typeof value !== "number" || value <= 0) {
        reportViolation(`defaultRouteSettings.${field} must be a positive number.`);
      }
    }
  },
};

import { type ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, known } from "./known";
import { AWS_TYPES } from "./resourceTypes";

/**
 * The HTTP API stage writes an access log: requests refused before or by the bot (403 after a
 * missed auth-token rotation, 429 from throttling) leave no trace in the function's own log, and
 * the 4xx alarm only counts them.
 */
export const apiAccessLogs: ResourceValidationPolicy = {
  name: "api-stage-access-logs",
  description: "API Gateway v2 stages set accessLogSettings with a destinationArn and a format.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_TYPES.apiStage) return;
    if (isUnknown(() => args.props.accessLogSettings)) return;
    const settings = known((): unknown => args.props.accessLogSettings) as
      Record<string, unknown> | undefined;
    for (const field of ["destinationArn", "format"]) {
      // A log group created in the same preview has no ARN yet; `pulumi up` checks it again.
      if (isUnknown(() => settings?.[field])) continue;
      const value = known(() => settings?.[field]);
      if (typeof value !== "string" || value.trim() === "") {
        reportViolation(
          `accessLogSettings.${field} must be set: turn on the stage's access log (a log group ` +
            "with retention as destinationArn, and a format).",
        );
      }
    }
  },
};

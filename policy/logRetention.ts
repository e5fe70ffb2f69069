import { type ResourceValidationPolicy } from "@pulumi/policy";
import { known } from "./known";
import { AWS_TYPES } from "./resourceTypes";

/**
 * Every CloudWatch log group has a retention: without one, logs (which carry phone numbers) are
 * kept, and billed, forever.
 */
export const logRetention: ResourceValidationPolicy = {
  name: "log-group-retention",
  description: "Every CloudWatch log group sets retentionInDays.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_TYPES.logGroup) return;
    const days = known((): unknown => args.props.retentionInDays);
    if (typeof days !== "number" || days <= 0) {
      reportViolation(
        "retentionInDays must be set to a positive number of days (unset keeps logs forever).",
      );
    }
  },
};

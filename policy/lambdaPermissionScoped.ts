import { type ResourceValidationPolicy } from "@pulumi/policy";
import { isUnknown, known } from "./known";
import { AWS_TYPES } from "./resourceTypes";

/**
 * A Lambda permission for API Gateway names the API it trusts (sourceArn): without it any API
 * Gateway API, in any account, could invoke the bot.
 */
export const lambdaPermissionScoped: ResourceValidationPolicy = {
  name: "lambda-permission-scoped-to-api",
  description: "Lambda permissions granted to apigateway.amazonaws.com carry a sourceArn.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== AWS_TYPES.lambdaPermission) return;
    if (known((): unknown => args.props.principal) !== "apigateway.amazonaws.com") return;
    // During a preview the API's ARN is often not known yet; `pulumi up` checks it again.
    if (isUnknown(() => args.props.sourceArn)) return;
    const sourceArn: unknown = args.props.sourceArn;
    if (typeof sourceArn !== "string" || sourceArn === "") {
      reportViolation("sourceArn must scope the permission to this API's execution ARN.");
    }
  },
};

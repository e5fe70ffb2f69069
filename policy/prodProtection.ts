import {
  type PolicyResource,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { known } from "./known";
import { TWILIO_TYPES } from "./resourceTypes";

/** Policy config: which stacks count as production. */
export interface ProdProtectionConfig {
  /** Stack names that are production (default `["prod"]`). */
  prodStacks?: string[];
}

/** The stack name inside a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string | undefined {
  const match = /^urn:pulumi:([^:]+)::/.exec(urn);
  return match === null ? undefined : match[1];
}

/**
 * Why this stack is production, or undefined. The analyzer runs outside the program, so
 * `pulumi.getStack()` and the stack config are not available here; the stack name comes from
 * the resources' URNs, and `whatsapp-bot:environment` from the `environment` tag the program
 * puts on every AWS resource.
 */
export function prodReason(args: StackValidationArgs): string | undefined {
  const prodStacks = args.getConfig<ProdProtectionConfig>().prodStacks ?? ["prod"];
  if (args.stackTags.get("environment") === "prod") return "its stack tag environment is prod";
  for (const resource of args.resources) {
    const stack = stackOfUrn(resource.urn);
    if (stack !== undefined && prodStacks.includes(stack))
      return `stack "${stack}" is a prod stack`;
    const tags = known(() => resource.props.tags as Record<string, unknown> | undefined);
    if (known(() => tags?.environment) === "prod")
      return "its resources are tagged environment=prod";
  }
  return undefined;
}

/** The resources whose loss would take production WhatsApp traffic down. */
function mustSurvive(resource: PolicyResource): boolean {
  return (
    resource.type === TWILIO_TYPES.messagingService ||
    resource.type === TWILIO_TYPES.senderPoolMember
  );
}

/**
 * On prod, the Messaging Service and the sender's binding to its pool are protected: deleting
 * either (a rename, an accidental `pulumi destroy`) stops every WhatsApp message until someone
 * re-binds the sender by hand.
 */
export const prodProtection: StackValidationPolicy = {
  name: "prod-protects-twilio-binding",
  description: "Prod stacks protect the Twilio Messaging Service and the sender pool binding.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      prodStacks: { type: "array", items: { type: "string" }, default: ["prod"] },
    },
  },
  validateStack: (args, reportViolation) => {
    const reason = prodReason(args);
    if (reason === undefined) return;
    for (const resource of args.resources) {
      if (mustSurvive(resource) && !resource.opts.protect) {
        reportViolation(
          `${resource.type} "${resource.name}" must be created with { protect: true } because ${reason}.`,
          resource.urn,
        );
      }
    }
  },
};

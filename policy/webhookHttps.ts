import { type ResourceValidationPolicy } from "@pulumi/policy";
import { known, knownEntries } from "./known";
import { ALL_TWILIO_TYPES, AWS_TYPES } from "./resourceTypes";

/** Keys of Twilio resource inputs that hold a URL Twilio will call or fetch. */
const URL_KEY = /(url|callback)$/i;

/** Every URL-valued string under a Twilio resource's inputs, with its dotted path. */
function urlFields(value: unknown, path: string): { path: string; url: string }[] {
  const found: { path: string; url: string }[] = [];
  for (const [key, v] of knownEntries(value)) {
    const at = path === "" ? key : `${path}.${key}`;
    if (typeof v === "string" && URL_KEY.test(key) && v !== "") found.push({ path: at, url: v });
    else if (typeof v === "object" && !Array.isArray(v)) found.push(...urlFields(v, at));
  }
  return found;
}

/**
 * Every webhook Twilio calls is https: Twilio signs the exact URL it calls, and a plain-http
 * webhook would carry every message (and its signature) in clear text. The Lambda's
 * PUBLIC_BASE_URL, from which it rebuilds the signed URL, must be https for the same reason.
 */
export const webhookHttps: ResourceValidationPolicy = {
  name: "webhook-urls-https",
  description:
    "Webhook and callback URLs on Twilio resources (and the bot's PUBLIC_BASE_URL) use https.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (ALL_TWILIO_TYPES.includes(args.type)) {
      for (const { path, url } of urlFields(args.props, "")) {
        if (!url.startsWith("https://")) {
          reportViolation(`${path} must be an https URL (got "${url}").`);
        }
      }
      return;
    }
    if (args.type === AWS_TYPES.lambdaFunction) {
      const base = known(
        (): unknown =>
          (args.props as { environment?: { variables?: Record<string, unknown> } }).environment
            ?.variables?.PUBLIC_BASE_URL,
      );
      if (typeof base === "string" && !base.startsWith("https://")) {
        reportViolation(`environment.variables.PUBLIC_BASE_URL must be https (got "${base}").`);
      }
    }
  },
};

import { type PolicyResource, type StackValidationPolicy } from "@pulumi/policy";
import { known } from "./known";
import { AWS_TYPES } from "./resourceTypes";

const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

/** The bucket a bucket-level resource applies to, when known. */
function bucketOf(resource: PolicyResource): string | undefined {
  const value = known((): unknown => resource.props.bucket);
  return typeof value === "string" ? value : undefined;
}

/** Whether a bucket policy document denies every request made without TLS. */
export function deniesInsecureTransport(policy: unknown): boolean {
  let doc: unknown = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch {
      return false;
    }
  }
  const statements = (doc as { Statement?: unknown } | undefined)?.Statement;
  if (!Array.isArray(statements)) return false;
  return statements.some((s: Record<string, unknown>) => {
    const condition = s.Condition as Record<string, Record<string, unknown>> | undefined;
    const actions = ([] as unknown[]).concat(s.Action);
    return (
      s.Effect === "Deny" &&
      s.Principal === "*" &&
      actions.includes("s3:*") &&
      String(condition?.Bool?.["aws:SecureTransport"]) === "false"
    );
  });
}

/**
 * Every S3 bucket of the stack (the media bucket holds what users sent) has all four public
 * access blocks on and a bucket policy denying requests without TLS. Checked on the stack, where
 * the settings are separate resources matched to their bucket by name; a bucket whose name is not
 * known yet (a preview) is checked again by `pulumi up`.
 */
export const bucketsPrivate: StackValidationPolicy = {
  name: "s3-buckets-private-tls-only",
  description:
    "S3 buckets block all public access and deny requests without TLS (aws:SecureTransport).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const of = (type: string) => args.resources.filter((r) => r.type === type);
    const blocked = new Set(
      of(AWS_TYPES.bucketPublicAccessBlock)
        .filter((r) =>
          PUBLIC_ACCESS_FLAGS.every((flag) => known((): unknown => r.props[flag]) === true),
        )
        .map(bucketOf),
    );
    const tlsOnly = new Set(
      of(AWS_TYPES.bucketPolicy)
        .filter((r) => deniesInsecureTransport(known((): unknown => r.props.policy)))
        .map(bucketOf),
    );
    for (const bucket of of(AWS_TYPES.bucket)) {
      const name = known((): unknown => bucket.props.bucket);
      if (typeof name !== "string") continue;
      if (!blocked.has(name)) {
        reportViolation(
          `S3 bucket "${bucket.name}" needs an aws.s3.BucketPublicAccessBlock with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true.`,
          bucket.urn,
        );
      }
      if (!tlsOnly.has(name)) {
        reportViolation(
          `S3 bucket "${bucket.name}" needs a bucket policy denying s3:* to "*" when aws:SecureTransport is false.`,
          bucket.urn,
        );
      }
    }
  },
};

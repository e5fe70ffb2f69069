import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The media bucket's settings. */
export interface MediaBucketArgs {
  /** Days an object is kept before S3 expires it (`whatsapp-bot:mediaRetentionDays`). */
  readonly retentionDays: pulumi.Input<number>;
  /**
   * Protect the bucket (prod). An unprotected bucket is created with `forceDestroy`, so
   * `pulumi destroy` empties it and deletes it instead of failing on a non-empty bucket.
   */
  readonly protect: boolean;
  /** Tags for the bucket. */
  readonly tags: Record<string, string>;
}

/** A bucket policy statement as this component writes it. */
export interface BucketPolicyStatement {
  /** Statement id. */
  readonly Sid: string;
  /** Deny only. */
  readonly Effect: "Deny";
  /** Everyone, so no principal is exempt. */
  readonly Principal: "*";
  /** Every S3 action. */
  readonly Action: "s3:*";
  /** The bucket and its objects. */
  readonly Resource: string[];
  /** When the statement applies. */
  readonly Condition: Record<string, Record<string, string>>;
}

/** A bucket policy document. */
export interface BucketPolicyDocument {
  /** The policy language version. */
  readonly Version: "2012-10-17";
  /** The statements. */
  readonly Statement: BucketPolicyStatement[];
}

/**
 * The bucket policy: any request not made over TLS is denied, whoever makes it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html, "Enforce
 * encryption of data in transit"). Grants come from IAM (the Lambda's role), not from here.
 */
export function tlsOnlyPolicy(bucketArn: string): BucketPolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** The component's type token. */
export const MEDIA_BUCKET_TYPE = "whatsapp-bot:index:MediaBucket";

/**
 * The S3 bucket incoming WhatsApp media is copied to (lambda/media): private (every public access
 * block on, ACLs disabled by BucketOwnerEnforced), encrypted at rest with S3-managed keys, TLS-only
 * by its policy, and emptied by a lifecycle rule after the retention period.
 *
 * SSE-S3 rather than SSE-KMS: the objects are short-lived copies of what Twilio already holds, and
 * a customer-managed KMS key would add a monthly key charge, a request charge per object, a key
 * policy to keep and `kms:GenerateDataKey` on the Lambda's role, for an audit trail (KMS decrypt
 * events in CloudTrail) and key-level separation this bucket does not need. Only the Lambda's role
 * writes to it, and nothing reads from it but people with S3 access to the account.
 */
export class MediaBucket extends pulumi.ComponentResource {
  /** The bucket's name (`MEDIA_BUCKET`). */
  declare readonly bucketName: pulumi.Output<string>;
  /** The bucket's ARN. */
  declare readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: MediaBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MEDIA_BUCKET_TYPE, name, {}, opts);
    const parent = { parent: this };

    const bucket = new aws.s3.Bucket(
      name,
      { forceDestroy: !args.protect, tags: args.tags },
      { parent: this, protect: args.protect },
    );

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );

    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      parent,
    );

    new aws.s3.BucketLifecycleConfiguration(
      `${name}-expiry`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-media",
            status: "Enabled",
            // An empty filter: the rule applies to every object.
            filter: {},
            expiration: { days: args.retentionDays },
          },
        ],
      },
      parent,
    );

    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyPolicy(arn))),
      },
      // S3 answers OperationAborted to concurrent configuration writes on one bucket, and a
      // policy written before the public access block exists would be checked without it.
      { parent: this, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

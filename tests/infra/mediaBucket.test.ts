import { expect } from "@jest/globals";
import { PulumiRecorder, loadProgram, valueOf } from "../helpers/pulumiMocks";
import { MEDIA_BUCKET_TYPE, tlsOnlyPolicy, type MediaBucketArgs } from "../../infra/mediaBucket";

const NAME = "whatsapp-bot-unit-media";
const TAGS = { project: "whatsapp-bot", stack: "unit", environment: "dev" };
const CHILD_TYPES = [
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
];

async function build(recorder: PulumiRecorder, args: MediaBucketArgs) {
  const media = await loadProgram(
    recorder,
    async () => {
      const { MediaBucket } = await import("../../infra/mediaBucket");
      return new MediaBucket(NAME, args);
    },
    { stack: "unit", config: {}, secretKeys: [] },
  );
  await Promise.all([valueOf(media.bucketName), valueOf(media.bucketArn)]);
  return media;
}

describe.each([
  { protect: false, title: "unprotected (dev, staging, review)" },
  { protect: true, title: "protected (prod)" },
])("MediaBucket $title", ({ protect }) => {
  const recorder = new PulumiRecorder();
  let bucketName: string | undefined;

  beforeAll(async () => {
    const media = await build(recorder, { retentionDays: 7, protect, tags: TAGS });
    bucketName = await valueOf(media.bucketName);
  });

  test(
    protect
      ? "the bucket is protected and not force-destroyed"
      : "destroy empties and deletes the bucket",
    () => {
      const bucket = recorder.one("aws:s3/bucket:Bucket");
      expect(bucket.inputs).toEqual({ forceDestroy: !protect, tags: TAGS });
      expect(bucket.protect).toBe(protect);
    },
  );

  test("every setting is a child of the component, named from it, on this bucket", () => {
    const component = recorder.one(MEDIA_BUCKET_TYPE);
    expect(component.name).toBe(NAME);
    expect(recorder.one("aws:s3/bucket:Bucket").name).toBe(NAME);
    for (const type of CHILD_TYPES) {
      const child = recorder.one(type);
      expect(child.name.startsWith(`${NAME}-`)).toBe(true);
      expect(child.parent).toContain(`${MEDIA_BUCKET_TYPE}::${NAME}`);
      expect(child.inputs.bucket).toBe(bucketName);
    }
  });

  test("objects expire after the given days", () => {
    expect(recorder.one(CHILD_TYPES[3]).inputs.rules).toEqual([
      { id: "expire-media", status: "Enabled", filter: {}, expiration: { days: 7 } },
    ]);
  });

  test("the policy waits for the public access block", () => {
    const policy = recorder.one(CHILD_TYPES[4]);
    const block = recorder.one(CHILD_TYPES[0]);
    expect(policy.dependencies.some((urn) => urn.endsWith(`::${block.name}`))).toBe(true);
  });
});

describe("tlsOnlyPolicy", () => {
  test("denies every action on the bucket and its objects to anyone not using TLS", () => {
    expect(tlsOnlyPolicy("arn:aws:s3:::b")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });
});

import { bucketsPrivate, deniesInsecureTransport } from "../../policy/bucketsPrivate";
import { AWS_TYPES } from "../../policy/resourceTypes";
import { tlsOnlyPolicy } from "../../infra/mediaBucket";
import { UNKNOWN_STRING, policyResource, previewProps, stackViolationsOf } from "./harness";

const NAME = "whatsapp-bot-dev-media-0a1b2c3";
const ARN = `arn:aws:s3:::${NAME}`;
const BLOCK = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

/** A bucket with its public access block and policy, as the stack's state holds them. */
function stack(
  overrides: { block?: Record<string, unknown>; policy?: unknown; bucket?: unknown } = {},
) {
  return [
    policyResource({
      type: AWS_TYPES.bucket,
      name: "media",
      props: { bucket: overrides.bucket ?? NAME, arn: ARN },
    }),
    policyResource({
      type: AWS_TYPES.bucketPublicAccessBlock,
      name: "media-public-access",
      props: { bucket: NAME, ...BLOCK, ...overrides.block },
    }),
    policyResource({
      type: AWS_TYPES.bucketPolicy,
      name: "media-policy",
      props: { bucket: NAME, policy: overrides.policy ?? JSON.stringify(tlsOnlyPolicy(ARN)) },
    }),
  ];
}

describe("s3-buckets-private-tls-only", () => {
  test("passes the media bucket as MediaBucket declares it", async () => {
    expect(await stackViolationsOf(bucketsPrivate, stack())).toEqual([]);
  });

  test("reports a bucket with one public access block off, naming the bucket's URN", async () => {
    const resources = stack({ block: { restrictPublicBuckets: false } });
    const found = await stackViolationsOf(bucketsPrivate, resources);
    expect(found).toEqual([
      {
        message: expect.stringContaining("BucketPublicAccessBlock") as unknown,
        urn: resources[0].urn,
      },
    ]);
  });

  test("reports a bucket whose policy does not deny plain http", async () => {
    const allowOnly = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${ARN}/*` },
      ],
    });
    const found = await stackViolationsOf(bucketsPrivate, stack({ policy: allowOnly }));
    expect(found.map((v) => v.message)).toEqual([expect.stringContaining("aws:SecureTransport")]);
  });

  test("reports a bucket with neither setting", async () => {
    const [bucket] = stack();
    expect((await stackViolationsOf(bucketsPrivate, [bucket])).length).toBe(2);
  });

  test("a setting on another bucket does not count", async () => {
    const resources = stack({ bucket: "some-other-bucket" });
    expect((await stackViolationsOf(bucketsPrivate, resources)).length).toBe(2);
  });

  test("skips a bucket whose name a preview does not know yet", async () => {
    const [bucket] = stack();
    const unknown = {
      ...bucket,
      props: previewProps({ bucket: UNKNOWN_STRING, arn: UNKNOWN_STRING }),
    };
    expect(await stackViolationsOf(bucketsPrivate, [unknown])).toEqual([]);
  });

  test.each([
    ["the MediaBucket policy", tlsOnlyPolicy(ARN), true],
    ["the same policy as JSON text", JSON.stringify(tlsOnlyPolicy(ARN)), true],
    [
      "an Allow instead of a Deny",
      { Statement: [{ ...tlsOnlyPolicy(ARN).Statement[0], Effect: "Allow" }] },
      false,
    ],
    [
      "a deny for one principal only",
      {
        Statement: [
          { ...tlsOnlyPolicy(ARN).Statement[0], Principal: { AWS: "arn:aws:iam::1:root" } },
        ],
      },
      false,
    ],
    ["text that is not JSON", "{", false],
    ["nothing", undefined, false],
  ])("deniesInsecureTransport(%s) is %s", (_, policy, expected) => {
    expect(deniesInsecureTransport(policy)).toBe(expected);
  });
});

import type { MediaBucket } from "./bucket";

/**
 * The S3 bucket, with the S3 client loaded on the first attachment, so text-only containers never
 * load it (the webhook's and the worker's bundles alike).
 */
export function lazyS3Bucket(bucketName: string): MediaBucket {
  return {
    put: async (object, signal) => {
      const { s3MediaBucket } = await import("./s3Bucket");
      return s3MediaBucket(bucketName).put(object, signal);
    },
  };
}

import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { MediaBucket } from "./bucket";

let client: S3Client | undefined;

/**
 * The stack's media bucket. One PutObject per item, its body streamed from the download with the
 * length the media host declared: no multipart upload (and no extra library) is needed below S3's
 * 5 GB single-PUT limit, far above WhatsApp's 100 MB. The bucket's default encryption applies.
 */
export function s3MediaBucket(bucketName: string, s3?: S3Client): MediaBucket {
  return {
    async put(object, signal) {
      const s3Client = s3 ?? (client ??= new S3Client({}));
      await s3Client.send(
        new PutObjectCommand({
          Bucket: bucketName,
          Key: object.key,
          Body: object.body,
          ContentLength: object.length,
          ContentType: object.contentType,
        }),
        { abortSignal: signal },
      );
    },
  };
}

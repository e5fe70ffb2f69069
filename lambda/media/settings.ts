import { ConfigError } from "../env";
import {
  DEFAULT_MEDIA_LIMITS,
  MEDIA_MAX_BYTES_CEILING,
  MEDIA_TYPE_PATTERN,
  type MediaLimits,
} from "./limits";

/** The media settings the stack passes to the Lambda. */
export interface MediaSettings {
  /** `MEDIA_BUCKET`: the bucket's name. */
  bucket: string;
  /** `MEDIA_MAX_BYTES` and `MEDIA_ALLOWED_TYPES` (comma-separated). */
  limits: MediaLimits;
  /** `DELETE_TWILIO_MEDIA=true`: delete each item from Twilio after the copy. */
  deleteFromTwilio: boolean;
}

/**
 * Reads the media settings; undefined without `MEDIA_BUCKET` (no media is fetched then). The
 * stack validates these in config already, so a bad value here is a hand-edited function.
 */
export function readMediaSettings(env: NodeJS.ProcessEnv): MediaSettings | undefined {
  const bucket = env.MEDIA_BUCKET?.trim();
  if (!bucket) return undefined;
  const rawMax = env.MEDIA_MAX_BYTES?.trim();
  const maxBytes = rawMax ? Number(rawMax) : DEFAULT_MEDIA_LIMITS.maxBytes;
  if (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > MEDIA_MAX_BYTES_CEILING) {
    throw new ConfigError(
      `MEDIA_MAX_BYTES must be an integer from 1 to ${MEDIA_MAX_BYTES_CEILING}, got "${rawMax}"`,
    );
  }
  const rawTypes = env.MEDIA_ALLOWED_TYPES?.trim();
  const allowedTypes = rawTypes
    ? rawTypes.split(",").map((t) => t.trim().toLowerCase())
    : DEFAULT_MEDIA_LIMITS.allowedTypes;
  const bad = allowedTypes.find((t) => !MEDIA_TYPE_PATTERN.test(t));
  if (bad !== undefined) {
    throw new ConfigError(`MEDIA_ALLOWED_TYPES has "${bad}", not a MIME type or type/*`);
  }
  return {
    bucket,
    limits: { maxBytes, allowedTypes },
    deleteFromTwilio: env.DELETE_TWILIO_MEDIA?.trim().toLowerCase() === "true",
  };
}

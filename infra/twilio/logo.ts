import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { imageSize } from "image-size";
import { checkHttpsUrl, UNKNOWN, type ValidationFailure } from "./validation";

/** WhatsApp's minimum profile picture size (Meta: "at least 640x640 pixels"). */
export const MIN_LOGO_PIXELS = 640;

/** What the logo check learned about a local logo file. */
export interface LogoFileInfo {
  width: number;
  height: number;
  type: string;
  sha256: string;
}

/**
 * Reads a local logo file and checks it is a JPG or PNG of at least 640x640 pixels. A relative
 * path is taken from the directory Pulumi runs the program in (the project root).
 */
export async function inspectLogoFile(
  property: string,
  path: string,
): Promise<{ failures: ValidationFailure[]; info?: LogoFileInfo }> {
  const full = isAbsolute(path) ? path : resolve(process.cwd(), path);
  let bytes: Buffer;
  try {
    bytes = await readFile(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "unreadable";
    return {
      failures: [
        {
          property,
          reason: `${property}: cannot read ${JSON.stringify(path)} (${code}); give a JPG or PNG file path relative to the project root`,
        },
      ],
    };
  }
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    return {
      failures: [
        {
          property,
          reason: `${property}: ${JSON.stringify(path)} is not an image; WhatsApp takes a JPG or PNG logo`,
        },
      ],
    };
  }
  const type = size.type === "jpeg" ? "jpg" : (size.type ?? "unknown");
  if (type !== "jpg" && type !== "png") {
    return {
      failures: [
        {
          property,
          reason: `${property}: ${JSON.stringify(path)} is ${type.toUpperCase()}; WhatsApp takes a JPG or PNG logo`,
        },
      ],
    };
  }
  const width = size.width ?? 0;
  const height = size.height ?? 0;
  if (width < MIN_LOGO_PIXELS || height < MIN_LOGO_PIXELS) {
    return {
      failures: [
        {
          property,
          reason: `${property}: ${JSON.stringify(path)} is ${width}x${height} pixels; WhatsApp needs at least ${MIN_LOGO_PIXELS}x${MIN_LOGO_PIXELS}`,
        },
      ],
    };
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { failures: [], info: { width, height, type, sha256 } };
}

/**
 * Checks the profile logo. Twilio's Senders API takes the logo as a public URL (`logo_url`), so a
 * local `logoFile` is checked here and must come with the https `logoUrl` it is published at; the
 * file's digest then joins the inputs so replacing the file re-sends the URL.
 */
export async function checkLogo(
  logoUrl: unknown,
  logoFile: unknown,
): Promise<{ failures: ValidationFailure[]; sha256?: string }> {
  const failures = checkHttpsUrl("profile.logoUrl", logoUrl);
  if (logoFile === undefined || logoFile === null || logoFile === UNKNOWN) return { failures };
  if (typeof logoFile !== "string" || logoFile === "") {
    return {
      failures: [
        ...failures,
        { property: "profile.logoFile", reason: "profile.logoFile must be a file path" },
      ],
    };
  }
  if (logoUrl === undefined || logoUrl === null || logoUrl === "") {
    failures.push({
      property: "profile.logoUrl",
      reason:
        "profile.logoFile needs profile.logoUrl: Twilio fetches the logo from a public https URL, so publish the file and set logoUrl to its address",
    });
  }
  const { failures: fileFailures, info } = await inspectLogoFile("profile.logoFile", logoFile);
  return { failures: [...failures, ...fileFailures], sha256: info?.sha256 };
}

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The first bytes of a PNG (signature and IHDR chunk): enough for image-size to read its size. */
export function pngBytes(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write("IHDR", 4, "ascii");
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(6, 17);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
}

/** The header of a GIF of the given size (a format WhatsApp does not take for logos). */
export function gifBytes(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write("GIF89a", 0, "ascii");
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

/** Writes image files into a fresh temporary directory; returns their paths by name. */
export function writeImages(files: Record<string, Buffer>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "twilio-logo-"));
  const out: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(files)) {
    out[name] = join(dir, name);
    writeFileSync(out[name], bytes);
  }
  return out;
}

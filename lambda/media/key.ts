import { baseType } from "./limits";

/** File extensions for the types WhatsApp carries; anything else is stored as `.bin`. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  "image/jpeg": "jpg",
  "image/jpg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "audio/aac": "aac",
  "audio/amr": "amr",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/ogg": "ogg",
  "video/mp4": "mp4",
  "video/3gpp": "3gp",
  "application/pdf": "pdf",
  "text/plain": "txt",
  "text/vcard": "vcf",
  "text/x-vcard": "vcf",
  "application/msword": "doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.ms-excel": "xls",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.ms-powerpoint": "ppt",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
};

/** The file extension for a content type (parameters ignored), `bin` when unknown. */
export function extensionFor(contentType: string): string {
  return EXTENSIONS[baseType(contentType)] ?? "bin";
}

/**
 * The object key of attachment `n` of a message: `<conversation>/<MessageSid>/<n>.<ext>`. It is a
 * function of the message alone, so a retried message overwrites its own objects instead of
 * leaving copies under new keys. A `/` in the conversation id (there is none in `wa:<digits>` or
 * `whatsapp:+<digits>`) would add a level to the layout, so characters outside a safe set become
 * `_`.
 */
export function mediaKey(
  conversationId: string,
  messageSid: string,
  n: number,
  contentType: string,
): string {
  const conversation = conversationId.replace(/[^A-Za-z0-9:+._@-]/g, "_");
  return `${conversation}/${messageSid}/${n}.${extensionFor(contentType)}`;
}

/** The content type a file name's extension stands for, or undefined when unknown. */
export function contentTypeFor(fileName: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === undefined) return undefined;
  if (ext === "jpeg") return "image/jpeg";
  return Object.entries(EXTENSIONS).find(([, e]) => e === ext)?.[0];
}

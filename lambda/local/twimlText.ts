import type { ReplyMessage } from "../bot";

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-fA-F]+));/g,
    (whole: string, name: string, dec: string | undefined, hex: string | undefined) => {
      if (dec) return String.fromCodePoint(Number(dec));
      if (hex) return String.fromCodePoint(parseInt(hex, 16));
      return { lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" }[name] ?? whole;
    },
  );
}

/**
 * Reads the messages out of a MessagingResponse TwiML document, the way Twilio would send them:
 * inline text or `<Body>`, plus any `<Media>`. Only for the simulator; the bot never parses TwiML.
 */
export function readTwimlReplies(xml: string): ReplyMessage[] {
  const replies: ReplyMessage[] = [];
  const verb = /<Message\b[^>]*?(?:\/>|>([\s\S]*?)<\/Message>)/g;
  for (let match = verb.exec(xml); match; match = verb.exec(xml)) {
    const inner = match[1] ?? "";
    const media = [...inner.matchAll(/<Media\b[^>]*>([\s\S]*?)<\/Media>/g)].map((m) =>
      unescapeXml(m[1]),
    );
    const body = /<Body\b[^>]*>([\s\S]*?)<\/Body>/.exec(inner);
    const text = body ? body[1] : /<(Body|Media)\b/.test(inner) ? "" : inner;
    replies.push(
      media.length > 0
        ? { body: unescapeXml(text), mediaUrls: media }
        : { body: unescapeXml(text) },
    );
  }
  return replies;
}

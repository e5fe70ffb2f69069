import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** The stack's config file is missing or unreadable (a usage error). */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** What preflight needs from a stack's config. */
export interface PreflightStack {
  /** The stack name. */
  readonly stack: string;
  /** The name the stack gives its Messaging Service (`whatsapp-bot-<stack>`). */
  readonly serviceName: string;
  /** The Messaging Service the stack adopts (`whatsapp-bot:messagingService.sid`), if any. */
  readonly serviceSid?: string;
  /** `whatsapp-bot:sender.mode`: none, adopt or register. */
  readonly mode: "none" | "adopt" | "register";
  /** The sender's SID, when adopted by SID. */
  readonly sid?: string;
  /** The sender's number (E.164, with or without `whatsapp:`). */
  readonly number?: string;
  /** The verification code, when set. */
  readonly verificationCode?: string;
}

const REVIEW_STACK = /^pr-[0-9]+$/;

/**
 * Reads `Pulumi.<stack>.yaml` in `dir`. A review stack without its own file is staging's config
 * with no sender, as the review-stack workflow makes it.
 */
export function readStackFile(stack: string, dir: string): PreflightStack {
  let file = join(dir, `Pulumi.${stack}.yaml`);
  const review = !existsSync(file) && REVIEW_STACK.test(stack);
  if (review) file = join(dir, "Pulumi.staging.yaml");
  if (!existsSync(file))
    throw new StackFileError(`${file} does not exist: run \`pulumi stack init ${stack}\` first`);
  const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const raw = review ? undefined : doc?.config?.["whatsapp-bot:sender"];
  const sender = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof sender[key] === "string" || typeof sender[key] === "number"
      ? String(sender[key])
      : undefined;
  const mode = text("mode") ?? "none";
  if (mode !== "none" && mode !== "adopt" && mode !== "register")
    throw new StackFileError(
      `${file}: whatsapp-bot:sender.mode must be none, adopt or register (got ${JSON.stringify(mode)})`,
    );
  const service = review ? undefined : doc?.config?.["whatsapp-bot:messagingService"];
  const serviceSid = (service as { sid?: unknown } | undefined)?.sid;
  return {
    stack,
    serviceName: `whatsapp-bot-${stack}`,
    serviceSid: typeof serviceSid === "string" ? serviceSid : undefined,
    mode,
    sid: text("sid"),
    number: text("number"),
    verificationCode: text("verificationCode"),
  };
}

/**
 * The WhatsApp templates the stack declares (templates/*.yaml), as the Lambda sees them: the
 * `TEMPLATE_SIDS` environment variable maps each template's name to its content SID (HX...), the
 * `ContentSid` a send outside the 24-hour window passes.
 */

/** A content SID: HX and 32 hex digits. */
const CONTENT_SID = /^HX[0-9a-f]{32}$/;

/** Template name -> content SID. */
export type TemplateSids = Readonly<Record<string, string>>;

/** Raised when `TEMPLATE_SIDS` is not a JSON map of names to HX SIDs. */
export class TemplateSidsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateSidsError";
  }
}

/** Raised when the bot asks for a template the stack does not declare. */
export class UnknownTemplateError extends Error {
  constructor(
    readonly template: string,
    known: readonly string[],
  ) {
    super(
      `no template named ${JSON.stringify(template)}: add templates/${template}.yaml and run pulumi up` +
        (known.length > 0 ? ` (declared: ${known.join(", ")})` : " (none declared)"),
    );
    this.name = "UnknownTemplateError";
  }
}

/** Reads `TEMPLATE_SIDS`; unset or empty means no templates. */
export function parseTemplateSids(env: NodeJS.ProcessEnv): TemplateSids {
  const raw = env.TEMPLATE_SIDS?.trim();
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new TemplateSidsError("TEMPLATE_SIDS must be JSON, as the stack sets it");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new TemplateSidsError("TEMPLATE_SIDS must be a JSON object of template name to HX SID");
  const sids: Record<string, string> = {};
  for (const [name, sid] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof sid !== "string" || !CONTENT_SID.test(sid))
      throw new TemplateSidsError(
        `TEMPLATE_SIDS.${name} must be a content SID (HX and 32 hex digits), got ${JSON.stringify(sid)}`,
      );
    sids[name] = sid;
  }
  return Object.freeze(sids);
}

/** The content SID of a declared template; an unknown name is an UnknownTemplateError. */
export function templateSid(sids: TemplateSids, name: string): string {
  const sid = Object.hasOwn(sids, name) ? sids[name] : undefined;
  if (sid === undefined) throw new UnknownTemplateError(name, Object.keys(sids));
  return sid;
}

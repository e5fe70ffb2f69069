import type { OutboundMessage } from "../../lambda/outbound/outbound";
import { CONTENT_SID } from "../../lambda/outbound/policy";
import { parseTemplateSids, templateSid } from "../../lambda/templates";

/** The `npm run send` command line. */
export interface SendArgs {
  /** The message, with a template still named as given (see `template`). */
  readonly message: OutboundMessage;
  /** `--template`: a Content SID (HX…) or a template's name, resolved through TEMPLATE_SIDS. */
  readonly template?: string;
}

/** A command line that cannot be run; the message says how to fix it. */
export class SendArgsError extends Error {
  constructor(message: string) {
    super(
      `${message}\nUsage: npm run send -- --to whatsapp:+<number> (--body <text> [--media <url>]... | --template <name or HX…> [--var 1=<value>]...)`,
    );
    this.name = "SendArgsError";
  }
}

/** Parses `--to`, `--body`, `--media` (repeatable), `--template`, `--var n=value` (repeatable). */
export function parseSendArgs(argv: readonly string[]): SendArgs {
  let to: string | undefined;
  let body: string | undefined;
  let template: string | undefined;
  const media: string[] = [];
  const variables: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new SendArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--to":
        to = value().trim();
        break;
      case "--body":
        body = value();
        break;
      case "--media":
        media.push(value().trim());
        break;
      case "--template":
        template = value().trim();
        break;
      case "--var": {
        const pair = /^([^=]+)=(.*)$/s.exec(value());
        if (!pair) throw new SendArgsError("--var takes name=value, e.g. --var 1=Ana");
        variables[pair[1].trim()] = pair[2];
        break;
      }
      default:
        throw new SendArgsError(`unknown option ${argv[i]}`);
    }
  }
  if (to === undefined) throw new SendArgsError("--to is required");
  if (template === undefined && Object.keys(variables).length > 0) {
    throw new SendArgsError("--var goes with --template");
  }
  if (template !== undefined) {
    if (template === "") throw new SendArgsError("--template needs a name or an HX… SID");
    return {
      message: { to, template: { contentSid: template, variables } },
      template,
    };
  }
  return { message: { to, body, mediaUrls: media.length > 0 ? media : undefined } };
}

/**
 * The Content SID of `--template`: itself when it is one, else its entry in TEMPLATE_SIDS (the
 * name → HX map the stack gives the Lambda and exports as `templateSids`), read as the bot reads it.
 */
export function resolveTemplate(template: string, env: NodeJS.ProcessEnv): string {
  if (CONTENT_SID.test(template)) return template;
  return templateSid(parseTemplateSids(env), template);
}

/** The `npm run handoff` command line. */
export interface HandoffArgs {
  /** The only command so far: give a conversation back to the bot. */
  readonly command: "release";
  /** `--to`: the user's WhatsApp address, `whatsapp:+E164`. */
  readonly to: string;
  /** `--url`: the stack's API endpoint (the `apiEndpoint` output), without a trailing slash. */
  readonly url: string;
  /** `--stack`: the stack whose auth token `pulumi config get` reads when the env has none. */
  readonly stack?: string;
}

/** A command line that cannot be run; the message says how to fix it. */
export class HandoffArgsError extends Error {
  constructor(message: string) {
    super(
      `${message}\nUsage: npm run handoff -- release --to whatsapp:+<number> --url <apiEndpoint> [--stack <name>]`,
    );
    this.name = "HandoffArgsError";
  }
}

const ADDRESS = /^whatsapp:\+[1-9][0-9]{6,14}$/;
const URL_BASE = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/i;

/** Parses `release --to <address> --url <endpoint> [--stack <name>]`; `--x=y` works too. */
export function parseHandoffArgs(argv: readonly string[]): HandoffArgs {
  const [command, ...rest] = argv;
  if (command !== "release") {
    throw new HandoffArgsError(`unknown command "${command ?? ""}" (the command is release)`);
  }
  let to: string | undefined;
  let url: string | undefined;
  let stack: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined || v === "") throw new HandoffArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--to":
        to = value().trim();
        break;
      case "--url":
        url = value().trim().replace(/\/+$/, "");
        break;
      case "--stack":
        stack = value();
        break;
      default:
        throw new HandoffArgsError(`unknown option ${flag}`);
    }
  }
  if (to === undefined) throw new HandoffArgsError("--to is required");
  if (!ADDRESS.test(to)) {
    throw new HandoffArgsError(
      `--to must be a WhatsApp address like whatsapp:+34600111222, got "${to}"`,
    );
  }
  if (url === undefined)
    throw new HandoffArgsError("--url is required (pulumi stack output apiEndpoint)");
  if (!URL_BASE.test(url)) {
    throw new HandoffArgsError(
      `--url must be the API endpoint, an http(s) URL without query, got "${url}"`,
    );
  }
  return { command, to, url, stack };
}

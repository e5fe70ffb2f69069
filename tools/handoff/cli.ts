import { parseHandoffArgs } from "./args";
import { signRelease } from "./release";
import { readAuthToken, type Exec } from "./token";

/** Exit codes: 0 released, 1 there was no hand-off to release, 2 the command failed. */
export const EXIT = { released: 0, nothingToRelease: 1, error: 2 } as const;

/** What the command talks to; tests replace them. */
export interface HandoffCliDeps {
  /** Environment (TWILIO_AUTH_TOKEN). */
  readonly env: NodeJS.ProcessEnv;
  /** HTTP client. */
  readonly fetch?: typeof fetch;
  /** Runs `pulumi config get`. */
  readonly exec?: Exec;
  /** Clock for the signed timestamp. */
  readonly clock?: () => Date;
  /** Standard output. */
  readonly out: (line: string) => void;
  /** Standard error. */
  readonly err: (line: string) => void;
}

/** Runs `npm run handoff -- release …` and returns its exit code. */
export async function runHandoffCli(
  argv: readonly string[],
  deps: HandoffCliDeps,
): Promise<number> {
  try {
    const args = parseHandoffArgs(argv);
    const token = await readAuthToken(deps.env, args.stack, deps.exec, args.url);
    const request = signRelease(args.url, args.to, token, (deps.clock ?? (() => new Date()))());
    const response = await (deps.fetch ?? fetch)(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
    });
    const text = await response.text();
    if (response.status !== 200) {
      deps.err(`release refused: HTTP ${response.status} ${text.slice(0, 200)}`);
      if (response.status === 403) {
        deps.err("403: the token is not the stack's auth token, or this machine's clock is off");
      }
      return EXIT.error;
    }
    const result = JSON.parse(text) as { released?: unknown };
    if (result.released === true) {
      deps.out(`released ${args.to}: the bot answers their next message`);
      return EXIT.released;
    }
    deps.out(`no hand-off recorded for ${args.to} (already released or never asked for)`);
    return EXIT.nothingToRelease;
  } catch (err) {
    deps.err(err instanceof Error ? err.message : String(err));
    return EXIT.error;
  }
}

if (require.main === module) {
  void runHandoffCli(process.argv.slice(2), {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then((code) => {
    process.exitCode = code;
  });
}

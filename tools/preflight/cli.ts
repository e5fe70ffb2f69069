import type twilio from "twilio";
import { twilioFromEnv } from "../teardown/twilioClient";
import { preflight } from "./checks";
import { readStackFile } from "./stackFile";

/** Exit codes: 0 ready, 1 something needs doing, 2 a usage or credential error. */
export const EXIT = { ready: 0, todo: 1, error: 2 } as const;

const USAGE = "usage: npm run preflight -- --stack <name>";

/** The stack name from `--stack <name>` or `--stack=<name>`; anything else is a usage error. */
export function parsePreflightArgs(argv: readonly string[]): { stack: string } {
  let stack: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--stack") stack = argv[++i];
    else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  if (!stack || stack.startsWith("-")) throw new Error(`--stack is required; ${USAGE}`);
  return { stack };
}

/** What the command talks to. */
export interface PreflightDeps {
  /** Environment: TWILIO_ACCOUNT_SID with TWILIO_API_KEY/TWILIO_API_SECRET or TWILIO_AUTH_TOKEN. */
  readonly env: NodeJS.ProcessEnv;
  /** Where `Pulumi.<stack>.yaml` lives. */
  readonly projectDir: string;
  /** Standard output and error. */
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs preflight and returns its exit code; it reads from Twilio and never writes. */
export async function runPreflight(argv: readonly string[], deps: PreflightDeps): Promise<number> {
  let client: twilio.Twilio;
  let stack;
  try {
    stack = readStackFile(parsePreflightArgs(argv).stack, deps.projectDir);
    client = twilioFromEnv(deps.env);
  } catch (err) {
    deps.err(`preflight: ${(err as Error).message}`);
    return EXIT.error;
  }
  try {
    const findings = await preflight(client, stack);
    for (const f of findings) deps.out(`${f.ready ? "ok  " : "TODO"} ${f.message}`);
    const todo = findings.filter((f) => !f.ready).length;
    deps.out(
      todo === 0
        ? `Stack ${stack.stack} is ready for \`pulumi up\`.`
        : `Stack ${stack.stack}: ${todo} thing(s) to do before \`pulumi up\`.`,
    );
    return todo === 0 ? EXIT.ready : EXIT.todo;
  } catch (err) {
    const e = err as { status?: number; message?: string };
    const hint =
      e.status === 401
        ? " (check TWILIO_ACCOUNT_SID with TWILIO_API_KEY/TWILIO_API_SECRET or TWILIO_AUTH_TOKEN)"
        : "";
    // SDK errors carry status, code and message, never the credentials.
    deps.err(`preflight could not read from Twilio: ${e.message ?? String(err)}${hint}`);
    return EXIT.error;
  }
}

if (require.main === module) {
  void runPreflight(process.argv.slice(2), {
    env: process.env,
    projectDir: process.cwd(),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}

import { execFile } from "node:child_process";
import { LOCAL_AUTH_TOKEN } from "../../lambda/local/defaults";

/** Runs a command and resolves with its stdout; rejects with its stderr. */
export type Exec = (file: string, args: readonly string[]) => Promise<string>;

const execText: Exec = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { encoding: "utf8" }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr.trim() || err.message)) : resolve(stdout),
    );
  });

/** Raised when no auth token can be found; the message says where it was looked for. */
export class AuthTokenNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthTokenNotFoundError";
  }
}

/** True for `npm start`'s own address: a loopback host. */
function isLocal(url: string | undefined): boolean {
  if (url === undefined) return false;
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\./.test(host);
}

/**
 * The stack's Twilio auth token: TWILIO_AUTH_TOKEN when set, else the local server's documented
 * default for a loopback `url` without `--stack` (so the command `npm start` prints works as
 * printed), else `pulumi config get twilio:authToken` (the secret the stack deploys with). It is
 * only used to sign, never printed.
 */
export async function readAuthToken(
  env: NodeJS.ProcessEnv,
  stack: string | undefined,
  exec: Exec = execText,
  url?: string,
): Promise<string> {
  const fromEnv = env.TWILIO_AUTH_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  if (stack === undefined && isLocal(url)) return LOCAL_AUTH_TOKEN;
  const args = ["config", "get", "twilio:authToken", ...(stack ? ["--stack", stack] : [])];
  try {
    const token = (await exec("pulumi", args)).trim();
    if (token) return token;
  } catch (err) {
    throw new AuthTokenNotFoundError(
      `no auth token: TWILIO_AUTH_TOKEN is unset and \`pulumi ${args.join(" ")}\` failed ` +
        `(${err instanceof Error ? err.message : String(err)}); set TWILIO_AUTH_TOKEN or pass --stack`,
    );
  }
  throw new AuthTokenNotFoundError(
    "no auth token: TWILIO_AUTH_TOKEN is unset and the stack has no twilio:authToken",
  );
}

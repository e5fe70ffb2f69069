import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { delimiter, join } from "path";
import { EXIT } from "../../../tools/teardown/cli";

const ROOT = join(__dirname, "../../..");

/** Runs `npm run verify-teardown -- <args>` the way npm would: the script's command, bin on PATH. */
function verifyTeardown(args: string[]) {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [command, ...scriptArgs] = pkg.scripts["verify-teardown"].split(" ");
  return spawnSync(command, [...scriptArgs, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    // No Twilio or AWS credentials: the check cannot run, and nothing can reach the network.
    env: {
      PATH: `${join(ROOT, "node_modules/.bin")}${delimiter}${process.env.PATH ?? ""}`,
      HOME: process.env.HOME,
    },
    timeout: 30_000,
  });
}

describe("npm run verify-teardown, as a process", () => {
  test("exits non-zero, with the reason on stderr, when the check cannot run", () => {
    const result = verifyTeardown(["--stack", "pr-1", "--region", "eu-west-1"]);
    expect(result.status).toBe(EXIT.error);
    expect(result.stderr).toContain("TWILIO_ACCOUNT_SID is not set");
    expect(result.stdout).not.toContain("Nothing of stack");
  });

  test("exits non-zero on a bad command line", () => {
    const result = verifyTeardown(["--region", "eu-west-1"]);
    expect(result.status).toBe(EXIT.error);
    expect(result.stderr).toContain("--stack is required");
  });
});

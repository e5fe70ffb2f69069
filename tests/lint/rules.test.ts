import { execFile } from "child_process";
import { join } from "path";
import { promisify } from "util";

const ROOT = join(__dirname, "..", "..");
const FIXTURE = "tests/fixtures/lint/outputInTemplate.ts";

interface LintMessage {
  ruleId: string | null;
  line: number;
}

/** Runs the project's ESLint config on the fixture (ignored by `npm run lint`), as the CLI would. */
async function lintFixture(): Promise<LintMessage[]> {
  const eslint = join(ROOT, "node_modules", "eslint", "bin", "eslint.js");
  const run = await promisify(execFile)(
    process.execPath,
    [eslint, "--no-ignore", "--format", "json", FIXTURE],
    { cwd: ROOT },
  ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
  const [result] = JSON.parse(run.stdout) as [{ messages: LintMessage[] }];
  return result.messages;
}

describe("the lint config", () => {
  test("reports an Output in a template literal, and not pulumi.interpolate, and a floating promise", async () => {
    const messages = await lintFixture();
    const at = (rule: string) => messages.filter((m) => m.ruleId === rule).map((m) => m.line);
    // Line 6 holds the plain template literal; line 11 the interpolate form, which must pass.
    expect(at("pulumi/no-output-in-template-literal")).toEqual([6]);
    expect(at("@typescript-eslint/no-floating-promises")).toEqual([16]);
  }, 60_000);
});

import { execFile, execFileSync } from "child_process";
import { readFileSync } from "fs";
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

describe("eslint-disable comments", () => {
  test("each disables one named rule for one line and says why", () => {
    const files = execFileSync("git", ["ls-files", "*.ts", "*.mjs", "*.js"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((f) => f && !f.startsWith("tests/fixtures/lint/"));
    const offenders: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (!/^\s*\/\/ eslint-disable/.test(line)) return;
          // `eslint-disable-next-line <rule> -- <reason>`: no blanket or file-wide disables.
          if (!/\/\/ eslint-disable-next-line [@\w/-]+ -- \S/.test(line))
            offenders.push(`${file}:${i + 1}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});

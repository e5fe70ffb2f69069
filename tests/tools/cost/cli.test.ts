import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../../..");

function run(args: string[]) {
  const r = spawnSync("npx", ["tsx", "tools/cost/cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run cost (child process)", () => {
  test("prints the table for the README example with USD 50.00 of Twilio fees", () => {
    const r = run(["--conversations", "1000", "--messages", "10", "--country", "CL"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1,000 conversations x 10 messages = 10,000 messages to Chile \(CL\)/);
    expect(r.stdout).toMatch(/WhatsApp messages, in and out\s+10,000 msg\s+0\.005 \/msg\s+50\.00/);
    expect(r.stdout).toMatch(/Subtotal Twilio\s+50\.00/);
  });

  test("--json prints the same estimate as JSON", () => {
    const r = run(["--conversations", "1000", "--messages", "10", "--country", "CL", "--json"]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout) as { subtotals: { twilio: number }; inputs: unknown };
    expect(e.subtotals.twilio).toBe(50);
    expect(e.inputs).toMatchObject({ country: "CL", region: "us-east-1", conversations: 1000 });
  });

  test("bad input exits 2 with the flag named and no stack trace", () => {
    const r = run(["--conversations", "-5", "--messages", "10", "--country", "CL"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^cost: --conversations must be a whole number >= 0/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  test.each([
    ["--region", "constructor"],
    ["--region", "__proto__"],
    ["--country", "__proto__"],
  ])("%s %s exits 2 with a clear message, not a crash", (flag, value) => {
    const argv = ["--conversations", "1000", "--messages", "10", "--country", "CL"];
    const r = run([...argv.filter((_, i) => flag !== "--country" || i < 4), flag, value]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(
      `cost: ${flag} ${value} is not in tools/cost/prices.json; use one of`,
    );
    expect(r.stderr).not.toMatch(/TypeError|\bat .*\.ts:\d+/);
  });
});

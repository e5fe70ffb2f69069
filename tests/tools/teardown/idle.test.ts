import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { selectIdleStacks, type StackListEntry } from "../../../tools/teardown/idle";
import { idleCli, IdleArgsError } from "../../../tools/teardown/idleCli";

const NOW = new Date("2026-11-26T06:00:00.000Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const rules = { now: NOW, maxIdleHours: 72, pattern: /^(staging|pr-[0-9]+)$/ };

describe("selectIdleStacks", () => {
  test("picks staging and review stacks whose last update is older than the limit", () => {
    const stacks: StackListEntry[] = [
      { name: "staging", lastUpdate: hoursAgo(100), resourceCount: 30 },
      { name: "pr-4", lastUpdate: hoursAgo(73), resourceCount: 30 },
      { name: "pr-5", lastUpdate: hoursAgo(71), resourceCount: 30 },
    ];
    expect(selectIdleStacks(stacks, rules)).toEqual(["staging", "pr-4"]);
  });

  test("never picks dev or prod, even with a pattern that matches everything", () => {
    const stacks: StackListEntry[] = [
      { name: "prod", lastUpdate: hoursAgo(1000), resourceCount: 30 },
      { name: "dev", lastUpdate: hoursAgo(1000), resourceCount: 30 },
      { name: "acme/whatsapp-bot/pr-9", lastUpdate: hoursAgo(1000), resourceCount: 3 },
    ];
    expect(selectIdleStacks(stacks, { ...rules, pattern: /.*/ })).toEqual(["pr-9"]);
  });

  test("skips a stack being updated, an empty one, and one whose age cannot be told", () => {
    const stacks: StackListEntry[] = [
      { name: "pr-1", updateInProgress: true, resourceCount: 30 },
      { name: "pr-2", lastUpdate: hoursAgo(500), resourceCount: 0 },
      { name: "pr-3", resourceCount: 30 },
      { name: "pr-4", lastUpdate: "yesterday", resourceCount: 30 },
    ];
    expect(selectIdleStacks(stacks, rules)).toEqual([]);
  });

  test("reads the CLI's timestamp with a numeric offset too", () => {
    const stacks = [
      { name: "staging", lastUpdate: "2026-11-22T06:00:00.000+0000", resourceCount: 5 },
    ];
    expect(selectIdleStacks(stacks, rules)).toEqual(["staging"]);
    expect(selectIdleStacks(stacks, { ...rules, maxIdleHours: 97 })).toEqual([]);
  });
});

describe("idleCli", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "idle-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test("prints the idle stacks of a `pulumi stack ls --json` dump as a JSON array", () => {
    const file = join(dir, "stacks.json");
    writeFileSync(
      file,
      JSON.stringify([
        { name: "dev", current: false, lastUpdate: hoursAgo(900), resourceCount: 30 },
        { name: "pr-8", current: false, lastUpdate: hoursAgo(30), resourceCount: 30 },
        { name: "staging", current: false, lastUpdate: hoursAgo(30), resourceCount: 30 },
      ]),
    );
    expect(idleCli(["--stacks-file", file, "--max-idle-hours", "24"], NOW)).toBe(
      '["pr-8","staging"]',
    );
    expect(
      idleCli(["--stacks-file", file, "--max-idle-hours", "24", "--pattern", "^pr-"], NOW),
    ).toBe('["pr-8"]');
    expect(idleCli(["--stacks-file", file, "--max-idle-hours", "48"], NOW)).toBe("[]");
  });

  test.each([
    [["--max-idle-hours", "24"], "--stacks-file is required"],
    [["--stacks-file", "x.json", "--max-idle-hours", "0"], "positive number of hours"],
    [["--stacks-file", "x.json"], "positive number of hours"],
  ])("refuses %j", (argv, message) => {
    expect(() => idleCli(argv, NOW)).toThrow(IdleArgsError);
    expect(() => idleCli(argv, NOW)).toThrow(message);
  });
});

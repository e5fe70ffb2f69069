import { loadWorkflows } from "./workflows";

/** A `uses:` line: the action, the ref, and the comment after it. */
interface UsesLine {
  file: string;
  action: string;
  ref: string;
  comment: string;
}

const USES = /^\s*(?:-\s+)?uses:\s*([^@\s]+)@(\S+)[ \t]*(#.*)?$/gm;

/** Every third-party action a workflow text uses (local `./` workflows and actions excluded). */
function usesLines(file: string, text: string): UsesLine[] {
  return [...text.matchAll(USES)]
    .filter((m) => !m[1].startsWith("./"))
    .map((m) => ({ file, action: m[1], ref: m[2], comment: (m[3] ?? "").trim() }));
}

/** What is wrong with a `uses:` line: a ref that is not a full commit SHA, or no tag comment. */
function pinProblems(line: UsesLine): string[] {
  const problems: string[] = [];
  if (!/^[0-9a-f]{40}$/.test(line.ref)) problems.push(`${line.action}@${line.ref} is not a commit`);
  if (!/^# v[0-9]+(\.[0-9]+){0,2}$/.test(line.comment)) {
    problems.push(`${line.action}@${line.ref} has no "# vX.Y.Z" tag comment`);
  }
  return problems;
}

const lines = loadWorkflows().flatMap((wf) => usesLines(wf.file, wf.text));

describe("third-party actions are pinned by commit", () => {
  test("the workflows use third-party actions, so the checks below are not vacuous", () => {
    expect(new Set(lines.map((l) => l.action))).toEqual(
      new Set([
        "actions/checkout",
        "actions/setup-node",
        "aws-actions/configure-aws-credentials",
        "pulumi/actions",
        "pulumi/auth-actions",
      ]),
    );
  });

  test.each(lines.map((l) => [`${l.file}: ${l.action}`, l] as const))(
    "%s is a full commit SHA with its release tag in a comment",
    (_where, line) => {
      expect(pinProblems(line)).toEqual([]);
    },
  );

  test("each action is pinned to one commit and one tag everywhere", () => {
    const pins = new Map<string, Set<string>>();
    for (const l of lines) {
      pins.set(l.action, (pins.get(l.action) ?? new Set()).add(`${l.ref} ${l.comment}`));
    }
    const split = [...pins].filter(([, refs]) => refs.size > 1).map(([action]) => action);
    expect(split).toEqual([]);
  });

  test.each([
    ["a tag", "      - uses: actions/checkout@v4", 2],
    ["a branch", "        uses: pulumi/actions@main # v6.6.1", 1],
    ["a short SHA", "      - uses: actions/setup-node@49933ea # v4.4.0", 1],
    ["a SHA without its tag", `      - uses: pulumi/actions@${"a".repeat(40)}`, 1],
  ])("refuses %s", (_what, text, count) => {
    const found = usesLines("x.yml", text);
    expect(found).toHaveLength(1);
    expect(pinProblems(found[0])).toHaveLength(count);
  });

  test("skips local reusable workflows", () => {
    expect(usesLines("x.yml", "    uses: ./.github/workflows/pulumi-up.yml")).toEqual([]);
  });
});

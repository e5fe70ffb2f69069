import { readFileSync } from "fs";
import { join } from "path";
import { ESBUILD_TARGET, LAMBDA_RUNTIME, NODE_MAJOR } from "../../infra/nodeRuntime";
import { lambdaBuildOptions } from "../../scripts/build";
import { loadWorkflows } from "../workflows/workflows";

const ROOT = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

// One Node.js major everywhere: a runtime-dependent bug cannot hide between development and Lambda.
describe(`Node.js ${NODE_MAJOR} everywhere`, () => {
  test("the Lambda runtime and the esbuild target are derived from it", () => {
    expect(LAMBDA_RUNTIME).toBe(`nodejs${NODE_MAJOR}.x`);
    expect(ESBUILD_TARGET).toBe(`node${NODE_MAJOR}`);
    expect(lambdaBuildOptions().target).toBe(ESBUILD_TARGET);
    expect(read("infra/botBackend.ts")).toContain("runtime: LAMBDA_RUNTIME");
  });

  test("package.json engines and @types/node name the same major", () => {
    const pkg = JSON.parse(read("package.json")) as {
      engines: { node: string };
      devDependencies: Record<string, string>;
    };
    expect(pkg.engines.node).toBe(`>=${NODE_MAJOR}`);
    expect(major(pkg.devDependencies["@types/node"])).toBe(NODE_MAJOR);
  });

  test("tsconfig targets what that Node.js runs natively (ES2024 for Node.js 24)", () => {
    const { compilerOptions } = JSON.parse(read("tsconfig.json")) as {
      compilerOptions: { target: string; lib: string[] };
    };
    expect(compilerOptions.target).toBe("ES2024");
    expect(compilerOptions.lib).toEqual(["ES2024"]);
  });

  test("every workflow's setup-node step installs it", () => {
    const steps = loadWorkflows().flatMap((wf) =>
      Object.values(wf.jobs).flatMap((job) =>
        (job.steps ?? [])
          .filter((s) => s.uses?.startsWith("actions/setup-node"))
          .map((s) => ({ wf: wf.file, s })),
      ),
    );
    expect(steps.length).toBeGreaterThan(0);
    for (const { wf, s } of steps)
      expect({ wf, version: s.with?.["node-version"] }).toEqual({ wf, version: NODE_MAJOR });
  });

  test(".ci/run provisions it when the machine's Node.js is older", () => {
    expect(read(".ci/run")).toMatch(new RegExp(`^ensure_node ${NODE_MAJOR}$`, "m"));
  });

  test("the tests themselves run on it", () => {
    expect(major(process.versions.node)).toBeGreaterThanOrEqual(NODE_MAJOR);
  });
});

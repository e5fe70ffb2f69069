import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { num, renderTable, type BenchRecord, type Machine } from "./report";

/** Key figures of one full run, kept so a later run (another Node.js, say) can be compared with it. */
export interface Baseline {
  /** `process.version` of the run. */
  node: string;
  /** ISO date of the run. */
  date: string;
  /** Commit the run measured. */
  commit: string;
  /** CPU model, to show both runs were on the same kind of machine. */
  cpu: string;
  /** Figures by name, from each benchmark's `metrics`. */
  metrics: Record<string, number>;
}

/** Collects every benchmark's metrics into one baseline. */
export function baselineOf(
  records: BenchRecord[],
  machine: Machine,
  date: Date,
  root: string,
): Baseline {
  const metrics: Record<string, number> = {};
  for (const r of records) Object.assign(metrics, r.outcome?.metrics ?? {});
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      encoding: "utf8",
    }).trim();
  } catch {
    // Not a git checkout: the baseline is still useful without it.
  }
  return { node: machine.node, date: date.toISOString(), commit, cpu: machine.cpu, metrics };
}

/** Writes a baseline as JSON. */
export function saveBaseline(path: string, baseline: Baseline): void {
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

/** Reads a baseline, or undefined when the file is absent. */
export function loadBaseline(path: string): Baseline | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as Baseline;
}

/**
 * The report section comparing this run with a baseline: each shared figure, both values and
 * this/baseline. A ratio under 1 is smaller (faster, for times); for req/s, over 1 is better.
 */
export function renderComparison(
  baseline: Baseline,
  records: BenchRecord[],
  machine: Machine,
): string {
  const now: Record<string, number> = {};
  for (const r of records) Object.assign(now, r.outcome?.metrics ?? {});
  const names = Object.keys(baseline.metrics).filter((name) => name in now);
  const decimals = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 ? 2 : 3);
  const rows = names.map((name) => {
    const before = baseline.metrics[name];
    const after = now[name];
    return [
      name,
      num(before, decimals(before)),
      num(after, decimals(after)),
      `${num(after / before, 2)}`,
    ];
  });
  return [
    `Baseline: a full run on Node.js ${baseline.node} at commit ${baseline.commit} ` +
      `(${baseline.date.slice(0, 10)}, ${baseline.cpu}); this run: Node.js ${machine.node}. ` +
      "Both runs are on the same machine; the ratio is this run's median over the baseline's " +
      "(under 1 is smaller or faster; for req/s, over 1 is faster). When both runs measured the " +
      "same commit, the ratio is the runtime's doing alone. To refresh the baseline, run " +
      "`npm run bench -- --out /tmp/node20.md --save-baseline bench/baselines/node20.json` " +
      "with Node.js 20 first on PATH.",
    "",
    renderTable({
      headers: ["Figure", `Node.js ${baseline.node}`, `Node.js ${machine.node}`, "Ratio"],
      rows,
    }),
  ].join("\n");
}

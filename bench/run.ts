import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { baselineOf, loadBaseline, renderComparison, saveBaseline } from "./baseline";
import { bundleSize } from "./bundleSize";
import { coldStart } from "./coldStart";
import { dynamoCalls } from "./dynamoCalls";
import { handlerLatency } from "./handlerLatency";
import { localServerLoad } from "./localServer";
import { programGraph } from "./programGraph";
import { queuedLatency } from "./queuedLatency";
import { describeMachine, renderReport, type Benchmark, type BenchRecord } from "./report";
import { msSince } from "./stats";
import { twilioCalls } from "./twilioCalls";

/** Every benchmark, in report order. */
export const BENCHMARKS: readonly Benchmark[] = [
  bundleSize,
  coldStart,
  handlerLatency,
  dynamoCalls,
  localServerLoad,
  queuedLatency,
  twilioCalls,
  programGraph,
];

/** Repository root. */
const ROOT = resolve(__dirname, "..");

/** Raised for a command line the runner does not understand. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Parsed command line. */
export interface RunOptions {
  /** Fewer repetitions. */
  quick: boolean;
  /** Benchmark ids to run (all when empty). */
  only: string[];
  /** Where to write the report; BENCHMARKS.md for a complete full run, stdout otherwise. */
  out?: string;
  /** Where to write this run's key figures as a baseline for later runs to compare with. */
  saveBaseline?: string;
}

/** The baseline every full run is compared with: the last full run on Node.js 20. */
export const NODE20_BASELINE = "bench/baselines/node20.json";

const USAGE =
  "usage: npm run bench -- [--quick] [--only id,id] [--out FILE] [--save-baseline FILE]";

/** Parses `--quick`, `--only a,b` and `--out FILE` (also in `--name=value` form). */
export function parseArgs(argv: readonly string[]): RunOptions {
  const options: RunOptions = { quick: false, only: [] };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value. ${USAGE}`);
      return v;
    };
    if (flag === "--quick") options.quick = true;
    else if (flag === "--only") options.only.push(...value().split(",").filter(Boolean));
    else if (flag === "--out") options.out = value();
    else if (flag === "--save-baseline") options.saveBaseline = value();
    else throw new UsageError(`unknown argument ${argv[i]}. ${USAGE}`);
  }
  const ids = BENCHMARKS.map((b) => b.id);
  const unknown = options.only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new UsageError(`unknown benchmark ${unknown.join(", ")} (ids: ${ids.join(", ")})`);
  }
  return options;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const selected = BENCHMARKS.filter(
    (b) => options.only.length === 0 || options.only.includes(b.id),
  );
  const machine = describeMachine();
  const date = new Date();
  const started = process.hrtime.bigint();
  const tmpDir = mkdtempSync(join(tmpdir(), "whatsapp-bot-bench-"));
  const records: BenchRecord[] = [];
  try {
    for (const bench of selected) {
      log(`[bench] ${bench.id}: ${bench.title}`);
      const start = process.hrtime.bigint();
      try {
        const outcome = await bench.run({ quick: options.quick, root: ROOT, tmpDir, log });
        records.push({ bench, outcome, seconds: msSince(start) / 1000 });
        log(`[bench] ${bench.id}: ${outcome.headline}`);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        records.push({ bench, error, seconds: msSince(start) / 1000 });
        log(`[bench] ${bench.id} could not run: ${error.stack ?? error.message}`);
      }
    }
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  const baseline = loadBaseline(join(ROOT, NODE20_BASELINE));
  const report = renderReport({
    records,
    machine,
    date,
    quick: options.quick,
    totalSeconds: msSince(started) / 1000,
    ids: BENCHMARKS.map((b) => b.id),
    comparison:
      baseline && baseline.node !== machine.node
        ? {
            title: `Against Node.js ${baseline.node}`,
            text: renderComparison(baseline, records, machine),
          }
        : undefined,
  });
  if (options.saveBaseline) {
    saveBaseline(options.saveBaseline, baselineOf(records, machine, date, ROOT));
    log(`[bench] wrote the baseline ${options.saveBaseline}`);
  }
  // Only a complete full run may replace BENCHMARKS.md; quick or partial runs print unless --out.
  const complete = selected.length === BENCHMARKS.length && !options.quick;
  const out = options.out ?? (complete ? join(ROOT, "BENCHMARKS.md") : undefined);
  if (out) {
    writeFileSync(out, report);
    log(`[bench] wrote ${out}`);
  } else {
    process.stdout.write(report);
  }
  const failed = records.filter((r) => r.error).length;
  if (failed > 0) log(`[bench] ${failed} benchmark(s) could not run`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main()
    .then((code) => {
      // Exit explicitly: a benchmark's leftover handle (a keep-alive socket, a timer in a library)
      // must not keep the run alive once the report is written.
      process.exit(code);
    })
    .catch((err: unknown) => {
      log(
        err instanceof UsageError
          ? err.message
          : err instanceof Error
            ? (err.stack ?? err.message)
            : String(err),
      );
      process.exit(err instanceof UsageError ? 2 : 1);
    });
}

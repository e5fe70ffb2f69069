import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { num, type BenchRecord, type Machine } from "./report";

const START = "<!-- section:benchmarks -->";
const END = "<!-- /section:benchmarks -->";

/** The README's benchmarks section: what `npm run bench` does and the last full run's headlines. */
export function readmeSection(records: BenchRecord[], machine: Machine, date: Date): string {
  const day = date.toISOString().slice(0, 10);
  const lines = [
    "`npm run bench` measures the Lambda bundle, the handler's cold start and latency, the local",
    "server under load, the Twilio API calls of each `pulumi up` and `destroy`, and the program",
    "under Pulumi's mocks, then writes [BENCHMARKS.md](BENCHMARKS.md): every figure, the targets and",
    "whether they are met, the machine, the date and how to reproduce. Benchmarks measure; they never",
    "fail on a time. `npm run bench -- --quick` runs fewer repetitions and prints the report instead.",
    "",
    `Headlines of the last full run (${day}, ${machine.cpu}, ${machine.cores} cores, ` +
      `${num(machine.memoryGiB, 1)} GiB, Node.js ${machine.node}):`,
    "",
  ];
  for (const r of records) {
    if (!r.outcome) {
      lines.push(`- **${r.bench.title}**: could not run (see BENCHMARKS.md).`);
      continue;
    }
    const many = r.outcome.targets.length > 1;
    const targets = r.outcome.targets.map(
      (t) =>
        ` ${many ? `${t.what}: target` : "Target"} ${t.target}, ${t.met ? "met" : "**not met**"}.`,
    );
    lines.push(`- **${r.bench.title}**: ${r.outcome.headline}.${targets.join("")}`);
  }
  return lines.join("\n");
}

/**
 * Rewrites only the text between the README's benchmarks markers (after a full run, so the
 * headlines there never disagree with BENCHMARKS.md). Returns false when the markers are missing.
 */
export function updateReadme(root: string, section: string): boolean {
  const path = join(root, "README.md");
  const text = readFileSync(path, "utf8");
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return false;
  // Blank lines around the section, as Prettier formats Markdown, so `npm run format:check` holds.
  const next = `${text.slice(0, start + START.length)}\n\n${section}\n\n${text.slice(end)}`;
  if (next !== text) writeFileSync(path, next);
  return true;
}

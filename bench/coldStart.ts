import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildBundles } from "./bundles";
import { num, ratio, type Benchmark } from "./report";
import { summarize } from "./stats";

/** The target for module initialisation. */
const TARGET_MS = 10;

/** Raised when a child process did not report a timing. */
export class ChildProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChildProcessError";
  }
}

/**
 * Time to `require` a module in a fresh `node` (no tsx, no flags), measured inside the child with
 * process.hrtime so process start-up is left out: what a Lambda cold start pays for our code.
 */
function requireTimeMs(modulePath: string, cwd: string): number {
  // The clock must stop before `process.stdout` is touched: evaluating `process.stdout.write(...)`
  // creates the stdout stream (about 3 ms) before its argument is computed.
  const code =
    "const t=process.hrtime.bigint();require(process.argv[1]);" +
    "const d=process.hrtime.bigint()-t;process.stdout.write(String(d));";
  const child = spawnSync(process.execPath, ["-e", code, modulePath], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
    timeout: 60_000,
  });
  const ns = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ns) || child.stdout === "") {
    throw new ChildProcessError(
      `requiring ${modulePath} in a fresh node failed (exit ${child.status}): ${child.stderr.trim().slice(0, 500)}`,
    );
  }
  return ns / 1e6;
}

/** Handler module initialisation in fresh processes, against requiring the whole `twilio` package. */
export const coldStart: Benchmark = {
  id: "cold-start",
  title: "Handler module initialisation (cold start we control)",
  async run(ctx) {
    const bundles = await buildBundles(ctx.root, ctx.tmpDir);
    const subjects: { label: string; path: string }[] = [
      { label: "handler bundle (dist/lambda/index.js)", path: bundles.handler },
      {
        label: '`require("twilio")` (the package from node_modules)',
        path: require.resolve("twilio"),
      },
      { label: "handler + whole `twilio`, bundled", path: bundles.wholeTwilio },
      // A reference, not ours to cut: the webhook signature check needs node's HMAC.
      {
        label: '`require("crypto")` alone (reference: node\'s own module the handler loads)',
        path: "crypto",
      },
    ];
    // The floor every subject pays: node's first `require` of any file in a fresh process.
    const empty = join(ctx.tmpDir, "empty-module.js");
    writeFileSync(empty, "");
    subjects.push({
      label: "an empty .js file (reference: the floor any first `require` pays)",
      path: empty,
    });
    if (bundles.twimlBuilder) {
      subjects.push({
        label: "TwiML builder alone (`twilio/lib/twiml/MessagingResponse` + `xmlbuilder`), bundled",
        path: bundles.twimlBuilder,
      });
    }
    const runs = ctx.quick ? 15 : 31;
    const samples = subjects.map(() => [] as number[]);
    // One warm-up round fills the OS file cache; then the subjects alternate, so drift in machine
    // load spreads over all of them instead of favouring whichever ran first.
    for (const s of subjects) requireTimeMs(s.path, ctx.tmpDir);
    for (let i = 0; i < runs; i++) {
      subjects.forEach((s, j) => samples[j].push(requireTimeMs(s.path, ctx.tmpDir)));
    }
    const stats = samples.map(summarize);
    const [mine, pkg, bundled, crypto, floor, twiml] = stats;
    return {
      method:
        `Each figure is the median of ${runs} fresh \`node\` processes (after one discarded warm-up ` +
        "round), each timing `require(<module>)` with `process.hrtime` inside the child, so node's own " +
        "start-up is excluded. The subjects alternate run by run. lambda/index.ts creates nothing at " +
        "module scope (the SDK clients, the secret and the store come with the first request), so " +
        "this is the cost of loading and evaluating the bundle's code.",
      tables: [
        {
          headers: ["Module", "Median ms", "p90 ms", "Min ms", "Max ms", "Runs"],
          rows: subjects.map((s, j) => [
            s.label,
            num(stats[j].p50, 2),
            num(stats[j].p90, 2),
            num(stats[j].min, 2),
            num(stats[j].max, 2),
            String(stats[j].n),
          ]),
        },
        {
          headers: ["Ratio of medians", "Value"],
          rows: [
            ['`require("twilio")` / handler bundle', ratio(pkg.p50 / mine.p50)],
            ["handler + whole `twilio` bundle / handler bundle", ratio(bundled.p50 / mine.p50)],
          ],
        },
      ],
      notes: [
        `An empty file costs ${num(floor.p50, 2)} ms in a fresh process: a fixed cost of the first ` +
          "`require`, not of any code. " +
          "Every row includes it; the Lambda runtime loads its own modules before the handler's, so " +
          "there it is probably paid already.",
        `Above that floor (differences of medians): the handler bundle ${num(mine.p50 - floor.p50, 2)} ms, ` +
          `node's crypto module ${num(crypto.p50 - floor.p50, 2)} ms` +
          (twiml
            ? `, the SDK's TwiML builder ${num(twiml.p50 - floor.p50, 2)} ms (xmlbuilder is most ` +
              "of the bundle's bytes: see the composition table above). lambda/twiml.ts loads the " +
              "builder on the first reply, so it is in the bundle but not in this initialisation."
            : "."),
      ],
      metrics: {
        "module initialisation ms": mine.p50,
        "empty file require ms": floor.p50,
        'require("twilio") ms': pkg.p50,
      },
      targets: [
        {
          what: "Handler module initialisation",
          target: "< 10 ms",
          measured: `${num(mine.p50, 2)} ms`,
          met: mine.p50 < TARGET_MS,
        },
      ],
      headline:
        `${num(mine.p50, 2)} ms to load the handler (${num(mine.p50 - floor.p50, 2)} ms above the ` +
        `${num(floor.p50, 2)} ms an empty file costs), against ${num(pkg.p50, 1)} ms for ` +
        `\`require("twilio")\` (${ratio(pkg.p50 / mine.p50)})`,
    };
  },
};

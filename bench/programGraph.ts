import { loadProgramInChild, STACK, type ProgramLoad } from "./program";
import { num, ratio, type Benchmark } from "./report";
import { median, summarize } from "./stats";

/** Raised when loads of the same program registered different numbers of resources. */
export class UnstableGraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnstableGraphError";
  }
}

/** Time to build the program's resource graph under Pulumi's mocks. */
export const programGraph: Benchmark = {
  id: "program-graph",
  title: "Resource graph under Pulumi mocks",
  async run(ctx) {
    const coldRuns = ctx.quick ? 2 : 5;
    const warmRuns = ctx.quick ? 3 : 11;
    const cold: ProgramLoad[] = [];
    for (let i = 0; i < coldRuns; i++) {
      ctx.log(`  cold ${i + 1}/${coldRuns}`);
      cold.push(...loadProgramInChild(ctx.root).loads);
    }
    ctx.log(`  warm x${warmRuns}`);
    const warm = loadProgramInChild(ctx.root, warmRuns).loads;
    const counts = new Set([...cold, ...warm].map((l) => l.resources));
    if (counts.size !== 1) {
      throw new UnstableGraphError(
        `the program registered a varying number of resources: ${[...counts].join(", ")}`,
      );
    }
    const [resources] = counts;
    const c = summarize(cold.map((l) => l.ms));
    const w = summarize(warm.map((l) => l.ms));
    const part = (loads: ProgramLoad[], pick: (l: ProgramLoad) => number) =>
      median(loads.map(pick));
    const serialized = Math.max(...warm.map((l) => l.serialized));
    return {
      method:
        "infra/index.ts is loaded under the `PulumiRecorder` mocks (tests/helpers/pulumiMocks.ts, " +
        `\`pulumi.runtime.setMocks\`) with the config of Pulumi.${STACK}.yaml plus a dummy secret auth ` +
        "token, and timed from `require` until every registration has been answered (`settle`). " +
        "TypeScript is compiled with tsc's `transpileModule`, as ts-node does under `pulumi up`. Cold: " +
        "each run is a fresh node process, so loading @pulumi/aws, transpiling the program and " +
        "serializing the dynamic providers all count. Warm: one process loads the program once untimed, " +
        "then again and again with only infra/ evicted from the module cache (a fresh registry for the " +
        "program, dependencies kept).",
      tables: [
        {
          headers: ["Load", "Median ms", "p90 ms", "Min ms", "Max ms", "Runs", "Resources"],
          rows: [
            [
              "cold (fresh process)",
              num(c.p50, 0),
              num(c.p90, 0),
              num(c.min, 0),
              num(c.max, 0),
              String(c.n),
              String(resources),
            ],
            [
              "warm (program modules re-run)",
              num(w.p50, 1),
              num(w.p90, 1),
              num(w.min, 1),
              num(w.max, 1),
              String(w.n),
              String(resources),
            ],
            ["ratio cold / warm", ratio(c.p50 / w.p50), "", "", "", "", ""],
          ],
        },
        {
          caption: "Where the time goes (medians):",
          headers: ["Load", "Until `require` returns ms", "Provider serialization ms", "Total ms"],
          rows: [
            [
              "cold",
              num(
                part(cold, (l) => l.declareMs),
                0,
              ),
              num(
                part(cold, (l) => l.serializeMs),
                0,
              ),
              num(c.p50, 0),
            ],
            [
              "warm",
              num(
                part(warm, (l) => l.declareMs),
                1,
              ),
              num(
                part(warm, (l) => l.serializeMs),
                1,
              ),
              num(w.p50, 1),
            ],
          ],
        },
      ],
      metrics: { "program graph ms, warm": w.p50, "program graph ms, fresh process": c.p50 },
      targets: [],
      headline: `${num(w.p50, 1)} ms to declare ${resources} resources warm, ${num(c.p50, 0)} ms in a fresh process`,
      notes: [
        "Until `require` returns, the program has declared every resource; the registrations then " +
          "wait for their inputs. Provider serialization is the window from the first to the last of " +
          `the ${serialized} dynamic providers being serialized by Pulumi's closure serializer, which ` +
          "inspects every function a provider reaches through the V8 inspector; it overlaps the rest. " +
          "Pulumi caches it per provider object, and each load (like each `pulumi up`) makes new ones.",
        "The issue sets no target for this benchmark.",
      ],
    };
  },
};

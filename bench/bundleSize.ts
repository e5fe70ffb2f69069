import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildLambda } from "../scripts/build";
import { buildBundles } from "./bundles";
import { num, ratio, type Benchmark } from "./report";
import { median, msSince } from "./stats";

/** The target for the Lambda bundle. */
const TARGET_BYTES = 100 * 1024;

function kb(bytes: number): string {
  return num(bytes / 1024, 1);
}

/** Lambda bundle size against the same handler bundled with the whole `twilio` package. */
export const bundleSize: Benchmark = {
  id: "bundle-size",
  title: "Lambda bundle size",
  async run(ctx) {
    const bundles = await buildBundles(ctx.root, ctx.tmpDir);
    const handler = readFileSync(bundles.handler);
    const whole = readFileSync(bundles.wholeTwilio);
    const workerBytes = readFileSync(bundles.worker);
    const sizes = [handler, whole, workerBytes].map((bytes) => ({
      bytes: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
    }));
    const [mine, theirs, worker] = sizes;

    // Build time is a side figure; sizes are deterministic, times are medians.
    const runs = ctx.quick ? 3 : 7;
    const buildMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      await buildLambda({ outfile: join(ctx.tmpDir, "build-time", "index.js") });
      buildMs.push(msSince(start));
    }

    const met = mine.bytes < TARGET_BYTES;
    return {
      method:
        "`buildLambda()` from scripts/build.ts (what `npm run build` runs) bundles lambda/index.ts, the " +
        "webhook API Gateway invokes, and, as its own archive, lambda/workerIndex.ts, the queued mode's " +
        "worker with the REST send path (the < 100 KB target is the webhook's); the " +
        'comparison bundles the same handler plus `import twilio from "twilio"` with the same esbuild ' +
        "options (checked: they rebuild the handler byte-for-byte). gzip is level 9, a proxy for the " +
        "deflated zip Pulumi uploads. Sizes are deterministic; the build time is a median of " +
        `${runs} builds.`,
      tables: [
        {
          headers: ["Bundle", "Bytes", "KB", "gzip bytes", "gzip KB"],
          rows: [
            [
              "webhook handler (dist/lambda/index.js)",
              num(mine.bytes),
              kb(mine.bytes),
              num(mine.gzip),
              kb(mine.gzip),
            ],
            [
              "queued-mode worker (dist/worker/index.js)",
              num(worker.bytes),
              kb(worker.bytes),
              num(worker.gzip),
              kb(worker.gzip),
            ],
            [
              "handler + whole `twilio`",
              num(theirs.bytes),
              kb(theirs.bytes),
              num(theirs.gzip),
              kb(theirs.gzip),
            ],
            [
              "ratio (whole / handler)",
              ratio(theirs.bytes / mine.bytes),
              "",
              ratio(theirs.gzip / mine.gzip),
              "",
            ],
          ],
        },
        {
          caption:
            "What the handler bundle is made of (esbuild metafile, bytes in the minified output):",
          headers: ["Source", "Bytes", "Share"],
          rows: bundles.composition.map((part) => [
            part.source === "(own code)" ? "own code (lambda/)" : `\`${part.source}\``,
            num(part.bytes),
            `${num((part.bytes / mine.bytes) * 100, 1)} %`,
          ]),
        },
        {
          headers: ["Figure", "Median"],
          rows: [
            [
              `esbuild time of the handler bundle (${runs} builds)`,
              `${num(median(buildMs), 0)} ms`,
            ],
          ],
        },
      ],
      metrics: {
        "bundle bytes": mine.bytes,
        "bundle gzip bytes": mine.gzip,
        "worker bundle bytes": worker.bytes,
      },
      targets: [
        {
          what: "Lambda bundle size (webhook)",
          target: "< 100 KB",
          measured: `${kb(mine.bytes)} KB`,
          met,
        },
      ],
      headline:
        `webhook ${kb(mine.bytes)} KB (${kb(mine.gzip)} KB gzipped), ${ratio(theirs.bytes / mine.bytes)} ` +
        `smaller than with the whole twilio package (${num(theirs.bytes / 1024 ** 2, 2)} MB); ` +
        `queued-mode worker ${kb(worker.bytes)} KB`,
    };
  },
};

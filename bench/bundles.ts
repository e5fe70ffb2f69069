import { build, type BuildOptions, type Metafile } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { WEBHOOK_BUNDLE, WORKER_BUNDLE } from "../infra/bundle";
import { buildLambda, lambdaBuildOptions } from "../scripts/build";

/** Bytes a package (or the project's own code) contributes to a bundle. */
export interface BundlePart {
  /** npm package name, or `(own code)` for files outside node_modules. */
  source: string;
  /** Bytes in the minified output. */
  bytes: number;
}

/** The bundles the size and cold-start benchmarks compare. */
export interface Bundles {
  /** `npm run build`'s bundle of lambda/index.ts (the webhook), built by scripts/build.ts itself. */
  handler: string;
  /** `npm run build`'s bundle of the queued mode's worker (lambda/workerIndex.ts). */
  worker: string;
  /** The same handler plus `import twilio from "twilio"`, built with the same esbuild options. */
  wholeTwilio: string;
  /** What the handler bundle is made of, largest first (from esbuild's metafile). */
  composition: BundlePart[];
  /**
   * The SDK's TwiML builder alone, bundled the same way, when the handler bundle contains it
   * (lambda/twiml.ts renders replies with it): a reference for how much of the cold start it is.
   */
  twimlBuilder?: string;
}

/** The module the TwiML builder reference bundles, as lambda/twiml.ts imports it. */
const TWIML_BUILDER = "twilio/lib/twiml/MessagingResponse";

/** Sums a metafile output's inputs by npm package. */
function compositionOf(metafile: Metafile): BundlePart[] {
  const [output] = Object.values(metafile.outputs);
  const bytes = new Map<string, number>();
  for (const [file, input] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? "(own code)";
    bytes.set(pkg, (bytes.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return [...bytes].map(([source, n]) => ({ source, bytes: n })).sort((a, b) => b.bytes - a.bytes);
}

async function buildWith(options: BuildOptions): Promise<{ bytes: Buffer; metafile?: Metafile }> {
  const result = await build(options);
  return { bytes: Buffer.from(result.outputFiles![0].contents), metafile: result.metafile };
}

const cache = new Map<string, Promise<Bundles>>();

async function buildBoth(root: string, dir: string): Promise<Bundles> {
  const handler = join(dir, "handler", "index.js");
  const worker = join(dir, "worker", "index.js");
  const wholeTwilio = join(dir, "whole-twilio", "index.js");
  await buildLambda({ outfile: handler });
  await buildLambda({ bundle: WORKER_BUNDLE, outfile: worker });
  const options = lambdaBuildOptions();
  // The same build again, with a metafile for the composition table.
  const replica = await buildWith({
    ...options,
    entryPoints: [WEBHOOK_BUNDLE.entry],
    outfile: handler,
    metafile: true,
  });
  const { bytes } = await buildWith({
    ...options,
    outfile: wholeTwilio,
    // The handler as shipped, plus a module-scope reference to the package root, so esbuild
    // must include the whole REST client exactly as a handler written with `twilio(...)` would.
    stdin: {
      contents:
        'import twilio from "twilio";\nexport { handler } from "./lambda/index";\nexport const sdk = twilio;\n',
      resolveDir: root,
      sourcefile: "bench-whole-twilio-entry.ts",
      loader: "ts",
    },
  });
  mkdirSync(join(dir, "whole-twilio"), { recursive: true });
  writeFileSync(wholeTwilio, bytes);
  const composition = compositionOf(replica.metafile!);
  const inputs = Object.keys(Object.values(replica.metafile!.outputs)[0].inputs);
  let twimlBuilder: string | undefined;
  if (inputs.some((file) => file.endsWith(`node_modules/${TWIML_BUILDER}.js`))) {
    twimlBuilder = join(dir, "twiml-builder", "index.js");
    const builder = await buildWith({
      ...options,
      outfile: twimlBuilder,
      stdin: {
        contents: `export { default } from "${TWIML_BUILDER}";\n`,
        resolveDir: root,
        sourcefile: "bench-twiml-builder-entry.ts",
        loader: "ts",
      },
    });
    mkdirSync(join(dir, "twiml-builder"), { recursive: true });
    writeFileSync(twimlBuilder, builder.bytes);
  }
  return { handler, worker, wholeTwilio, composition, twimlBuilder };
}

/** Builds the bundles once per scratch directory (the size and cold-start benchmarks share them). */
export function buildBundles(root: string, tmpDir: string): Promise<Bundles> {
  let pending = cache.get(tmpDir);
  if (!pending) {
    pending = buildBoth(root, join(tmpDir, "bundles"));
    cache.set(tmpDir, pending);
    pending.catch(() => cache.delete(tmpDir));
  }
  return pending;
}

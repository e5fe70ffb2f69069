import { build, type BuildOptions } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildLambda } from "../scripts/build";

/** The two bundles the size and cold-start benchmarks compare. */
export interface Bundles {
  /** `npm run build`'s bundle of lambda/index.ts, built by scripts/build.ts itself. */
  handler: string;
  /** The same handler plus `import twilio from "twilio"`, built with the same esbuild options. */
  wholeTwilio: string;
}

/** Raised when the comparison build's options no longer match scripts/build.ts's. */
export class BuildOptionsDriftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildOptionsDriftError";
  }
}

/**
 * scripts/build.ts does not export its esbuild options, so the comparison bundle repeats them
 * here; {@link buildBundles} proves they are still the same by rebuilding the handler with them
 * and requiring byte-identical output.
 */
function sameOptionsAsBuildScript(root: string): BuildOptions {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    external: ["@aws-sdk/*"],
    write: false,
    logLevel: "silent",
  };
}

async function buildWith(options: BuildOptions): Promise<Buffer> {
  const result = await build(options);
  return Buffer.from(result.outputFiles![0].contents);
}

const cache = new Map<string, Promise<Bundles>>();

async function buildBoth(root: string, dir: string): Promise<Bundles> {
  const handler = join(dir, "handler", "index.js");
  const wholeTwilio = join(dir, "whole-twilio", "index.js");
  await buildLambda({ outfile: handler });
  const options = sameOptionsAsBuildScript(root);
  const replica = await buildWith({
    ...options,
    entryPoints: ["lambda/index.ts"],
    outfile: handler,
  });
  if (!replica.equals(readFileSync(handler))) {
    throw new BuildOptionsDriftError(
      "bench/bundles.ts no longer builds lambda/index.ts byte-for-byte like scripts/build.ts: " +
        "copy its esbuild options again (or export them from scripts/build.ts)",
    );
  }
  const bytes = await buildWith({
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
  return { handler, wholeTwilio };
}

/** Builds both bundles once per scratch directory (the size and cold-start benchmarks share them). */
export function buildBundles(root: string, tmpDir: string): Promise<Bundles> {
  let pending = cache.get(tmpDir);
  if (!pending) {
    pending = buildBoth(root, join(tmpDir, "bundles"));
    cache.set(tmpDir, pending);
    pending.catch(() => cache.delete(tmpDir));
  }
  return pending;
}

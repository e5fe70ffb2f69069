import { build, type BuildOptions as EsbuildOptions } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { LAMBDA_BUNDLES, WEBHOOK_BUNDLE, type LambdaBundle } from "../infra/bundle";
import { ESBUILD_TARGET } from "../infra/nodeRuntime";

/** Repository root, so the build gives the same bytes from any working directory. */
const ROOT = resolve(__dirname, "..");

/** Options for {@link buildLambda}. */
export interface BuildOptions {
  /** Which bundle (entry and folder, from infra/bundle.ts); the webhook's by default. */
  bundle?: LambdaBundle;
  /** Output file; `<bundle's folder>/index.js` by default (the folder Pulumi uploads). */
  outfile?: string;
}

/** What a build produced. */
export interface BuildResult {
  /** Absolute path of the bundle. */
  outfile: string;
  /** Size in bytes. */
  bytes: number;
  /** False when the file already held these exact bytes and was left untouched. */
  changed: boolean;
}

/**
 * The esbuild options of the Lambda bundle (entry and output aside), shared with the benchmarks so
 * their comparison bundles are built exactly like the shipped one.
 */
export function lambdaBuildOptions(): EsbuildOptions {
  return {
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    target: ESBUILD_TARGET,
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    charset: "utf8",
    // The Lambda runtime ships AWS SDK v3; bundling it would only grow the archive.
    external: ["@aws-sdk/*"],
    write: false,
    logLevel: "silent",
  };
}

/**
 * Bundles one entry (lambda/index.ts, the webhook, by default) into one CommonJS file for nodejs24.x. Deterministic: no source map, no
 * legal comments, paths relative to the repository, and the file is rewritten only when its bytes
 * change, so an unchanged handler never shows as a code change in `pulumi preview`.
 */
export async function buildLambda(options: BuildOptions = {}): Promise<BuildResult> {
  const bundle = options.bundle ?? WEBHOOK_BUNDLE;
  const outfile = resolve(options.outfile ?? join(bundle.dir, "index.js"));
  const result = await build({
    ...lambdaBuildOptions(),
    entryPoints: [bundle.entry],
    outfile,
  });
  const [file] = result.outputFiles!;
  const bytes = Buffer.from(file.contents);
  let previous: Buffer | undefined;
  try {
    previous = readFileSync(outfile);
  } catch {
    previous = undefined;
  }
  const changed = !previous || !previous.equals(bytes);
  if (changed) {
    mkdirSync(dirname(outfile), { recursive: true });
    writeFileSync(outfile, bytes);
  }
  return { outfile, bytes: bytes.length, changed };
}

if (require.main === module) {
  // Each function's own archive: the webhook's and the queued mode's worker's.
  Promise.all(LAMBDA_BUNDLES.map((bundle) => buildLambda({ bundle })))
    .then((results) => {
      for (const { outfile, bytes, changed } of results) {
        const where = outfile.startsWith(ROOT) ? outfile.slice(ROOT.length + 1) : outfile;
        console.log(`${where}: ${bytes} bytes${changed ? "" : " (unchanged)"}`);
      }
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}

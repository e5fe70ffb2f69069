import { build, type BuildOptions as EsbuildOptions } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ESBUILD_TARGET } from "../infra/nodeRuntime";

/** Repository root, so the build gives the same bytes from any working directory. */
const ROOT = resolve(__dirname, "..");

/** Options for {@link buildLambda}. */
export interface BuildOptions {
  /** Output file; `dist/lambda/index.js` by default (the folder Pulumi uploads). */
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
 * Bundles lambda/index.ts into one CommonJS file for nodejs24.x. Deterministic: no source map, no
 * legal comments, paths relative to the repository, and the file is rewritten only when its bytes
 * change, so an unchanged handler never shows as a code change in `pulumi preview`.
 */
export async function buildLambda(options: BuildOptions = {}): Promise<BuildResult> {
  const outfile = resolve(options.outfile ?? join(ROOT, "dist", "lambda", "index.js"));
  const result = await build({
    ...lambdaBuildOptions(),
    entryPoints: ["lambda/index.ts"],
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
  buildLambda()
    .then(({ outfile, bytes, changed }) => {
      const where = outfile.startsWith(ROOT) ? outfile.slice(ROOT.length + 1) : outfile;
      console.log(`${where}: ${bytes} bytes${changed ? "" : " (unchanged)"}`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}

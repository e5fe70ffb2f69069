import * as fs from "fs";
import * as path from "path";

/** Where `npm run build` writes the bundles, one folder (one uploaded archive) per Lambda function. */
const DIST = path.join(__dirname, "..", "dist");

/**
 * One Lambda bundle: the entry it is built from, the folder Pulumi uploads as its code, and the
 * handler string the function names. The single source of those three facts for the build script,
 * the infra and the benchmarks.
 */
export interface LambdaBundle {
  /** Entry module, relative to the repository root. */
  readonly entry: string;
  /** Folder holding the built `index.js`; uploaded as the function's code archive. */
  readonly dir: string;
  /** The function's `handler` setting: `index.<export of entry>`. */
  readonly handler: string;
}

/** The webhook API Gateway invokes (`lambda/index.ts` exports `handler`); never sends on its own. */
export const WEBHOOK_BUNDLE: LambdaBundle = {
  entry: "lambda/index.ts",
  dir: path.join(DIST, "lambda"),
  handler: "index.handler",
};

/**
 * The queued mode's worker (`lambda/workerIndex.ts` exports `worker`), with the REST send path; a
 * separate archive, so a change to one function's code does not redeploy the other.
 */
export const WORKER_BUNDLE: LambdaBundle = {
  entry: "lambda/workerIndex.ts",
  dir: path.join(DIST, "worker"),
  handler: "index.worker",
};

/** Every bundle `npm run build` writes. */
export const LAMBDA_BUNDLES: readonly LambdaBundle[] = [WEBHOOK_BUNDLE, WORKER_BUNDLE];

/** The webhook's folder, where `npm run build` writes its handler; Pulumi uploads it as the code. */
export const LAMBDA_BUNDLE_DIR = WEBHOOK_BUNDLE.dir;

/** Thrown when a Lambda bundle has not been built, so the fix is named before Pulumi fails later. */
export class LambdaBundleMissingError extends Error {
  constructor(dir: string) {
    super(
      `${path.join(dir, "index.js")} does not exist. Fix: run \`npm run build\`, then \`pulumi up\` again`,
    );
    this.name = "LambdaBundleMissingError";
  }
}

/** Returns `dir` when it holds a built bundle (`index.js`), or throws {@link LambdaBundleMissingError}. */
export function requireLambdaBundle(dir: string = LAMBDA_BUNDLE_DIR): string {
  if (!fs.existsSync(path.join(dir, "index.js"))) throw new LambdaBundleMissingError(dir);
  return dir;
}

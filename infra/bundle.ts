import * as fs from "fs";
import * as path from "path";

/** Where `npm run build` writes the Lambda bundle; Pulumi uploads this folder as the code. */
export const LAMBDA_BUNDLE_DIR = path.join(__dirname, "..", "dist", "lambda");

/** Thrown when the Lambda bundle has not been built, so the fix is named before Pulumi fails later. */
export class LambdaBundleMissingError extends Error {
  constructor(dir: string) {
    super(
      `${path.join(dir, "index.js")} does not exist. Fix: run \`npm run build\`, then \`pulumi up\` again`,
    );
    this.name = "LambdaBundleMissingError";
  }
}

/** Returns `dir` when it holds the built handler (`index.js`), or throws {@link LambdaBundleMissingError}. */
export function requireLambdaBundle(dir: string = LAMBDA_BUNDLE_DIR): string {
  if (!fs.existsSync(path.join(dir, "index.js"))) throw new LambdaBundleMissingError(dir);
  return dir;
}

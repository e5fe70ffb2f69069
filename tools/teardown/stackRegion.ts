import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

/** The stack's config file does not say which AWS region it uses. */
export class StackRegionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackRegionError";
  }
}

const REVIEW_STACK = /^pr-[0-9]+$/;

/**
 * The `aws:region` of a stack, read from its `Pulumi.<stack>.yaml`. A review stack (pr-<n>)
 * whose file does not exist in this checkout lives where staging does: its config is derived
 * from staging's by the review-stack workflow.
 */
export function stackRegion(stack: string, dir: string = process.cwd()): string {
  let file = join(dir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file) && REVIEW_STACK.test(stack)) file = join(dir, "Pulumi.staging.yaml");
  if (!existsSync(file)) {
    throw new StackRegionError(`${file} does not exist; create the stack's config file first`);
  }
  const doc = parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  const region = doc?.config?.["aws:region"];
  if (typeof region !== "string" || region === "") {
    throw new StackRegionError(
      `${file} has no aws:region; run: pulumi config set aws:region <region> --stack ${stack}`,
    );
  }
  return region;
}

if (require.main === module) {
  const at = process.argv.indexOf("--stack");
  const stack = at >= 0 ? process.argv[at + 1] : undefined;
  try {
    if (stack === undefined)
      throw new StackRegionError("usage: tsx tools/teardown/stackRegion.ts --stack <name>");
    process.stdout.write(`${stackRegion(stack)}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}

/**
 * The one Node.js major the project runs on: the Lambda runtime, the bundle's target, `engines`,
 * the workflows and `.ci/run` all follow it (tests/infra/nodeRuntime.test.ts checks the files that
 * cannot import it). Node.js 24 is the active LTS and Lambda's `nodejs24.x`.
 */
export const NODE_MAJOR = 24;

/** The Lambda runtime identifier for {@link NODE_MAJOR}. */
export const LAMBDA_RUNTIME = `nodejs${NODE_MAJOR}.x` as const;

/** The esbuild target for {@link NODE_MAJOR}. */
export const ESBUILD_TARGET = `node${NODE_MAJOR}`;

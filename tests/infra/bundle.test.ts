import { expect } from "@jest/globals";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  LAMBDA_BUNDLE_DIR,
  LAMBDA_BUNDLES,
  WEBHOOK_BUNDLE,
  WORKER_BUNDLE,
  requireLambdaBundle,
} from "../../infra/bundle";

describe("requireLambdaBundle", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("points at dist/lambda, where npm run build writes the handler", () => {
    expect(LAMBDA_BUNDLE_DIR).toBe(path.join(__dirname, "..", "..", "dist", "lambda"));
  });

  test("builds the webhook and the worker into their own folders, each running its entry's export", async () => {
    const dist = path.join(__dirname, "..", "..", "dist");
    expect(LAMBDA_BUNDLES).toEqual([WEBHOOK_BUNDLE, WORKER_BUNDLE]);
    expect(WEBHOOK_BUNDLE.dir).toBe(LAMBDA_BUNDLE_DIR);
    expect(WORKER_BUNDLE.dir).toBe(path.join(dist, "worker"));
    // The handler string names an export the entry really has.
    const webhook = (await import("../../lambda/index")) as Record<string, unknown>;
    const worker = (await import("../../lambda/workerIndex")) as Record<string, unknown>;
    expect([WEBHOOK_BUNDLE.entry, typeof webhook[WEBHOOK_BUNDLE.handler.split(".")[1]]]).toEqual([
      "lambda/index.ts",
      "function",
    ]);
    expect([WORKER_BUNDLE.entry, typeof worker[WORKER_BUNDLE.handler.split(".")[1]]]).toEqual([
      "lambda/workerIndex.ts",
      "function",
    ]);
  });

  test("refuses a folder without index.js, naming the command that builds it", () => {
    expect(() => requireLambdaBundle(dir)).toThrow(
      expect.objectContaining({
        name: "LambdaBundleMissingError",
        message: expect.stringContaining("run `npm run build`"),
      }),
    );
  });

  test("accepts a folder holding the built handler", () => {
    fs.writeFileSync(path.join(dir, "index.js"), "exports.handler = async () => ({});\n");
    expect(requireLambdaBundle(dir)).toBe(dir);
  });
});

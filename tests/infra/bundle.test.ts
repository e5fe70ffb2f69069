import { expect } from "@jest/globals";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LAMBDA_BUNDLE_DIR, requireLambdaBundle } from "../../infra/bundle";

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

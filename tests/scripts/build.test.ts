import { expect } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WORKER_BUNDLE } from "../../infra/bundle";
import { buildLambda } from "../../scripts/build";

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lambda-build-"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("buildLambda", () => {
  test("gives byte-identical bundles from two builds into different places", async () => {
    const a = await buildLambda({ outfile: join(dir, "a", "index.js") });
    const b = await buildLambda({ outfile: join(dir, "b", "index.js") });
    expect(a.changed && b.changed).toBe(true);
    expect(readFileSync(a.outfile).equals(readFileSync(b.outfile))).toBe(true);
    expect(a.bytes).toBe(b.bytes);
  });

  test("leaves an unchanged bundle untouched", async () => {
    const outfile = join(dir, "same", "index.js");
    await buildLambda({ outfile });
    const before = statSync(outfile).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await buildLambda({ outfile });
    expect(again.changed).toBe(false);
    expect(statSync(outfile).mtimeMs).toBe(before);
  });

  // Its size is measured in bench/ (BENCHMARKS.md), not asserted here; what keeps it small is
  // what this checks: no REST client inside, and the AWS SDK left to the runtime.
  test("holds no absolute paths, no twilio REST client, and leaves only the runtime's AWS SDK external", async () => {
    const { outfile } = await buildLambda({ outfile: join(dir, "c", "index.js") });
    const code = readFileSync(outfile, "utf8");
    expect(code).not.toContain(process.cwd());
    expect(code).not.toContain(tmpdir());
    // Which modules stay external; each may be required from several bundled files.
    const required = [
      ...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])),
    ].sort();
    expect(required).toEqual([
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/client-s3",
      "@aws-sdk/client-secrets-manager",
      "@aws-sdk/client-sns",
      "@aws-sdk/client-sqs",
      "crypto",
      "node:stream",
      "querystring",
      "url",
    ]);
    // Only the webhook validator and the TwiML builder of the twilio package are inside.
    expect(code).not.toMatch(/axios|api\.twilio\.com\/2010-04-01\/Accounts/);
  });

  test("exports a handler and loads no AWS SDK module at import (the cold start stays cheap)", async () => {
    const { outfile } = await buildLambda({ outfile: join(dir, "d", "index.js") });
    const script = `
      const m = require(${JSON.stringify(outfile)});
      const sdk = Object.keys(require.cache).filter((p) => p.includes("@aws-sdk"));
      process.stdout.write(JSON.stringify({ handler: typeof m.handler, sdk: sdk.length }));
    `;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: process.cwd() }).toString(),
    ) as unknown;
    expect(out).toEqual({ handler: "function", sdk: 0 });
  });

  // The webhook never sends on its own (docs/reply-modes.md): the REST send path and the queued
  // mode's worker ship only in the worker's bundle, which the worker function uploads separately.
  test("keeps the worker and the REST send path out of the webhook bundle, and in the worker's", async () => {
    const webhook = await buildLambda({ outfile: join(dir, "e", "index.js") });
    const worker = await buildLambda({
      bundle: WORKER_BUNDLE,
      outfile: join(dir, "f", "index.js"),
    });
    const exports = (outfile: string) =>
      JSON.parse(
        execFileSync(process.execPath, [
          "-e",
          `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(outfile)})).sort()))`,
        ]).toString(),
      ) as string[];
    expect(exports(webhook.outfile)).toEqual(["handler"]);
    expect(exports(worker.outfile)).toEqual(["worker"]);
    const sendPath = /Messages\.json/;
    expect(readFileSync(webhook.outfile, "utf8")).not.toMatch(sendPath);
    expect(readFileSync(worker.outfile, "utf8")).toMatch(sendPath);
  });
});

import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { type AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import { type ChildProcess, execFileSync, spawn } from "child_process";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { readFileSync } from "fs";
import { join } from "path";
import { policies } from "../../policy/policies";

const POLICY_DIR = join(__dirname, "../../policy");

/**
 * Starts the pack the way `pulumi preview --policy-pack policy` does (pulumi-language-nodejs
 * RunPlugin for kind "analyzer"): resolve `@pulumi/pulumi/cmd/run-policy-pack` from the pack's
 * directory, run it with the pack directory as its working directory and last argument, and read
 * the analyzer's gRPC port from its first line of output.
 */
function startPack(): Promise<{ child: ChildProcess; port: number }> {
  const runPath = execFileSync(
    process.execPath,
    ["-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run-policy-pack'))"],
    { cwd: POLICY_DIR, encoding: "utf8" },
  ).trim();
  const child = spawn(process.execPath, [runPath, "127.0.0.1:1", POLICY_DIR], {
    cwd: POLICY_DIR,
    env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) {
        if (/^\d+$/.test(line)) resolve({ child, port: Number(line) });
        else reject(new Error(`the pack printed "${line}" instead of a port\n${err}`));
      }
    });
    child.on("exit", (code) => reject(new Error(`the pack exited with ${code}:\n${out}${err}`)));
  });
}

function analyzerInfo(port: number): Promise<AnalyzerInfo> {
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.getAnalyzerInfo(new Empty(), (error, info) => {
      client.close();
      if (error !== null) reject(error);
      else resolve(info);
    }),
  );
}

let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill();
});

describe("the policy pack under the Pulumi CLI's policy runner", () => {
  test("loads from policy/ (entry, TypeScript, dependencies) and serves every policy", async () => {
    const started = await startPack();
    child = started.child;

    const info = await analyzerInfo(started.port);

    expect(info.getName()).toBe("whatsapp-bot-guardrails");
    expect(info.getVersion()).toBe(
      (JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as { version: string })
        .version,
    );
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual(policies.map((p) => p.name));
  }, 60_000);
});

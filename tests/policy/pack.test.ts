import { type PolicyPackArgs } from "@pulumi/policy";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

const constructed: { name: string; args: PolicyPackArgs }[] = [];

jest.mock("@pulumi/policy", () => ({
  ...jest.requireActual<Record<string, unknown>>("@pulumi/policy"),
  // The real constructor starts the analyzer's gRPC server; record what the pack is built with.
  PolicyPack: jest.fn().mockImplementation((name: string, args: PolicyPackArgs) => {
    constructed.push({ name, args });
  }),
}));

describe("the policy pack", () => {
  test("index.ts builds one mandatory pack from exactly the exported policies", async () => {
    const index = await import("../../policy/index");
    expect(constructed).toHaveLength(1);
    expect(constructed[0].args.policies).toBe(index.policies);
    expect(constructed[0].args.enforcementLevel).toBe("mandatory");
  });

  test("policy names are unique and cover the guardrails the workflows rely on", async () => {
    const { policies } = await import("../../policy/policies");
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "webhook-urls-https",
        "lambda-env-no-plaintext-secrets",
        "log-group-retention",
        "api-stage-throttling",
        "api-stage-access-logs",
        "prod-protects-twilio-binding",
      ]),
    );
  });

  test("the pack directory is loadable by the Pulumi CLI (PulumiPolicy.yaml, a versioned package.json)", () => {
    const dir = join(__dirname, "../../policy");
    const manifest = parse(readFileSync(join(dir, "PulumiPolicy.yaml"), "utf8")) as {
      runtime: string;
    };
    expect(manifest.runtime).toBe("nodejs");
    // @pulumi/policy's PolicyPack reads the version from package.json in its working directory.
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      version: string;
      main: string;
    };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.main).toBe("index.ts");
  });
});

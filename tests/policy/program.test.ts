import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { policies } from "../../policy/policies";
import { TWILIO_TYPES } from "../../policy/resourceTypes";
import {
  loadProgram,
  PulumiRecorder,
  type RecordedResource,
  SECRET_SIG,
  SIG_KEY,
  valueOf,
} from "../helpers/pulumiMocks";
import {
  policyResource,
  resourceArgs,
  stackViolationsOf,
  type Violation,
  violationsOf,
} from "./harness";

const ROOT = join(__dirname, "../..");
const AUTH_TOKEN = "0123456789abcdef0123456789abcdef";

/** A committed Pulumi.<stack>.yaml as the CLI hands it to the program, plus fake secrets. */
function committedConfig(stack: string): Record<string, string> {
  const doc = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc.config)) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  config["twilio:authToken"] = AUTH_TOKEN;
  if (config["twilio:apiKey"] !== undefined) config["twilio:apiSecret"] = "not-a-real-api-secret";
  return config;
}

/** What review-stack.yml derives from staging's config. */
function reviewConfig(): Record<string, string> {
  return {
    ...committedConfig("staging"),
    "whatsapp-bot:environment": "review",
    "whatsapp-bot:sender": JSON.stringify({ mode: "none" }),
  };
}

/** The analyzer hands policies plain values: secrets unwrapped. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value !== "object" || value === null) return value;
  const obj = value as Record<string, unknown>;
  if (obj[SIG_KEY] === SECRET_SIG) return unwrapSecrets(obj.value);
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
}

/** Runs the stack program under mocks and every policy over what it registers. */
async function policyViolations(stack: string, config: Record<string, string>) {
  const recorder = new PulumiRecorder();
  const program = await loadProgram(recorder, () => import("../../infra/index"), {
    stack,
    config,
    secretKeys: ["twilio:authToken", "twilio:apiSecret"].filter((k) => k in config),
  });
  await Promise.all(
    Object.values(program).map((o: unknown) =>
      pulumi.Output.isInstance(o) ? valueOf(o) : Promise.resolve(o),
    ),
  );
  const custom = recorder.resources.filter((r: RecordedResource) => r.custom);
  const found: (Violation & { policy: string; resource: string })[] = [];
  // The analyzer sees a resource's inputs for resource policies and its state for stack policies.
  const spec = (r: RecordedResource, props: Record<string, unknown>) => ({
    type: r.type,
    name: r.name,
    stack,
    protect: r.protect,
    props: unwrapSecrets(props) as Record<string, unknown>,
  });
  for (const policy of policies) {
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      for (const r of custom) {
        const args = resourceArgs(spec(r, r.inputs));
        for (const v of await violationsOf(policy, args)) {
          found.push({ ...v, policy: policy.name, resource: `${r.type}::${r.name}` });
        }
      }
    }
    if ("validateStack" in policy) {
      const resources = custom.map((r) => policyResource(spec(r, r.state)));
      for (const v of await stackViolationsOf(policy, resources)) {
        found.push({ ...v, policy: policy.name, resource: v.urn ?? "(stack)" });
      }
    }
  }
  return { found, types: new Set(custom.map((r) => r.type)) };
}

describe("the stack program under the policy pack", () => {
  test.each([
    ["prod", "prod", () => committedConfig("prod")],
    ["a review stack derived from staging", "pr-7", reviewConfig],
  ])("%s, from its committed config, passes every policy", async (_title, stack, config) => {
    const { found, types } = await policyViolations(stack, config());
    expect(found).toEqual([]);
    // The policies had something to look at.
    expect(types.has(TWILIO_TYPES.messagingService)).toBe(true);
    expect(types.has("aws:apigatewayv2/stage:Stage")).toBe(true);
    expect(types.has("aws:cloudwatch/logGroup:LogGroup")).toBe(true);
    expect(types.has("aws:lambda/function:Function")).toBe(true);
  });

  test("prod with protection turned off is stopped by the policy pack", async () => {
    const { found } = await policyViolations("prod", {
      ...committedConfig("prod"),
      "whatsapp-bot:protect": "false",
    });
    const protectViolations = found.filter((v) => v.policy === "prod-protects-twilio-binding");
    expect(protectViolations.map((v) => v.resource.split("::")[2])).toEqual(
      expect.arrayContaining([TWILIO_TYPES.messagingService, TWILIO_TYPES.senderPoolMember]),
    );
    expect(found.filter((v) => v.policy !== "prod-protects-twilio-binding")).toEqual([]);
  });
});

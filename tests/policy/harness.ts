import {
  type Policy,
  type PolicyResource,
  type PolicyResourceOptions,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";

/** One reportViolation call. */
export interface Violation {
  /** The message passed to reportViolation. */
  readonly message: string;
  /** The URN passed with it (stack policies name the offending resource). */
  readonly urn?: string;
}

/** Options for a hand-built resource. */
export interface ResourceSpec {
  /** Resource type token. */
  readonly type: string;
  /** Inputs (resource policies) or outputs (stack policies). */
  readonly props: Record<string, unknown>;
  /** Logical name; defaults to "res". */
  readonly name?: string;
  /** Stack the URN names; defaults to "dev". */
  readonly stack?: string;
  /** The protect option. */
  readonly protect?: boolean;
}

/** A URN as the engine builds it. */
export function urnOf(stack: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::whatsapp-bot::${type}::${name}`;
}

function options(protect: boolean): PolicyResourceOptions {
  return {
    protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
}

/** What resource and stack validation both receive about one resource. */
function described(spec: ResourceSpec) {
  const name = spec.name ?? "res";
  return {
    type: spec.type,
    props: spec.props,
    urn: urnOf(spec.stack ?? "dev", spec.type, name),
    name,
    opts: options(spec.protect ?? false),
    isType: () => false,
    asType: () => undefined,
  };
}

/** ResourceValidationArgs as the analyzer passes them, built by hand. */
export function resourceArgs(spec: ResourceSpec, config: object = {}): ResourceValidationArgs {
  return {
    ...described(spec),
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason ?? ""}`);
    },
  };
}

/** Runs every validateResource function of a policy and collects the violations. */
export async function violationsOf(
  policy: Policy,
  args: ResourceValidationArgs,
): Promise<Violation[]> {
  const validate = (policy as ResourceValidationPolicy).validateResource;
  if (validate === undefined) throw new Error(`${policy.name} is not a resource policy`);
  const found: Violation[] = [];
  for (const fn of Array.isArray(validate) ? validate : [validate]) {
    await fn(args, (message, urn) => found.push({ message, urn }));
  }
  return found;
}

/** A PolicyResource for stack validation, built by hand. */
export function policyResource(spec: ResourceSpec): PolicyResource {
  return { ...described(spec), dependencies: [], propertyDependencies: {} };
}

/** Runs a stack policy over hand-built resources and collects the violations. */
export async function stackViolationsOf(
  policy: Policy,
  resources: PolicyResource[],
  config: object = {},
  stackTags: Map<string, string> = new Map(),
): Promise<Violation[]> {
  const validate = (policy as StackValidationPolicy).validateStack;
  if (validate === undefined) throw new Error(`${policy.name} is not a stack policy`);
  const args: StackValidationArgs = {
    resources,
    stackTags,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason ?? ""}`);
    },
  };
  const found: Violation[] = [];
  await validate(args, (message, urn) => found.push({ message, urn }));
  return found;
}

/**
 * Wraps props the way the analyzer does during a preview, where `unknown` fields throw on read.
 * Both helpers are runtime exports of @pulumi/policy that its typings leave out.
 */
export function previewProps(props: Record<string, unknown>): Record<string, unknown> {
  const sdk = jest.requireActual<{
    unknownCheckingProxy: (p: object) => Record<string, unknown>;
  }>("@pulumi/policy");
  return sdk.unknownCheckingProxy(props);
}

/** The sentinel the engine sends for a string not known until the update runs. */
export const UNKNOWN_STRING: unknown = jest.requireActual<{ unknownStringValue: unknown }>(
  "@pulumi/policy/proxy",
).unknownStringValue;

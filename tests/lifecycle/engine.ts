import * as pulumi from "@pulumi/pulumi";
import { fakeHex, PulumiRecorder } from "../helpers/pulumiMocks";
import { ProviderHost, type Wire } from "./providerHost";

/** Pulumi's encoding of an unknown value on the wire (`sdk/nodejs/runtime/rpc.ts`, unknownValue). */
export const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The input under which the Node SDK stores a dynamic resource's serialized provider. */
const PROVIDER_KEY = "__provider";
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic";
const API_TYPE = "aws:apigatewayv2/api:Api";

/** One resource in the emulated state file. */
export interface StateEntry {
  type: string;
  name: string;
  urn: string;
  id: string;
  inputs: Wire;
  outputs: Wire;
  protect: boolean;
}

/** What a command planned (preview) or did (up) to one resource. */
export interface Step {
  op: "create" | "update" | "replace" | "same" | "delete";
  type: string;
  name: string;
  /** For an update or replace: the properties the provider's Diff named (replaces) or changed. */
  replaces?: string[];
}

/** A property that `refresh` found changed in Twilio. */
export interface Drift {
  name: string;
  property: string;
  from: unknown;
  to: unknown;
}

/** What one command reports back. */
export interface CommandReport {
  steps: Step[];
  drift: Drift[];
  /** The serialized provider each Twilio resource was registered with, by name. */
  providers: Record<string, string>;
  /** The inputs each Twilio resource was registered with (wire form), by name. */
  inputs: Record<string, Wire>;
  /** The provider host's stderr. */
  hostLog: string;
}

/** The inputs of a command that runs the program. */
export interface ProgramRun {
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Bumping it gives the HTTP API a new id, so its endpoint (and every webhook URL) changes. */
  apiGeneration: number;
  /** The providers' PROVIDER_VERSION, as if infra/twilio/state.ts said so (a code change). */
  providerVersion?: number;
}

/** What the request the SDK sent for a registration carried (the mocks see less). */
interface RawRegistration {
  object: Wire;
  protect: boolean;
}

interface MonitorInternals {
  registerResource(req: RegisterRequest, callback: (...args: unknown[]) => void): unknown;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean | undefined;
  getObject(): { toJavaScript(): Wire } | undefined;
}

function isTwilio(type: string): boolean {
  return type.startsWith(`${DYNAMIC_TYPE}/`);
}

function withoutProvider(props: Wire): Wire {
  const out = { ...props };
  delete out[PROVIDER_KEY];
  return out;
}

/** The paths (a.b) whose values differ between two output maps. */
function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
      (k) => k !== PROVIDER_KEY,
    );
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ? [] : [prefix];
}

function valueAt(obj: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

/**
 * The part of `pulumi preview`/`up`/`refresh`/`destroy` that decides what happens to each
 * resource, emulated over Pulumi's mocks for the program and Pulumi's real dynamic-provider host
 * for the Twilio resources. AWS resources get plausible outputs from the mocks' recorder. Each rule
 * cites the pulumi/pulumi file that implements it.
 */
export class Engine implements pulumi.runtime.Mocks {
  /** The state file: what the last `up` left, in creation order. */
  readonly state = new Map<string, StateEntry>();
  private readonly aws = new PulumiRecorder();
  private host: ProviderHost | undefined;
  private dryRun = false;
  private run: ProgramRun | undefined;
  private raw = new Map<string, RawRegistration>();
  private seen = new Set<string>();
  private report: CommandReport = Engine.emptyReport();
  private failure: unknown;

  constructor(
    private readonly root: string,
    private readonly hostEnv: NodeJS.ProcessEnv,
  ) {}

  private static emptyReport(): CommandReport {
    return { steps: [], drift: [], providers: {}, inputs: {}, hostLog: "" };
  }

  private urn(type: string, name: string): string {
    return `urn:pulumi:${this.run?.stack ?? "stack"}::whatsapp-bot::${type}::${name}`;
  }

  private async startHost(run: ProgramRun): Promise<ProviderHost> {
    const host = await ProviderHost.start(this.hostEnv);
    await host.configure(run.config, run.secretKeys);
    return host;
  }

  private finish(): CommandReport {
    const report = this.report;
    report.hostLog = this.host?.stderr.join("") ?? "";
    this.host?.stop();
    this.host = undefined;
    this.report = Engine.emptyReport();
    return report;
  }

  /** `pulumi preview` (dryRun) or `pulumi up`: runs the program and applies the rules. */
  async deploy(run: ProgramRun, dryRun: boolean): Promise<CommandReport> {
    this.run = run;
    this.dryRun = dryRun;
    this.raw.clear();
    this.seen.clear();
    this.failure = undefined;
    this.host = await this.startHost(run);
    try {
      await this.runProgram(run, dryRun);
      if (this.failure !== undefined)
        throw this.failure instanceof Error
          ? this.failure
          : new Error("the program failed", { cause: this.failure });
      // Whatever the state holds that the program no longer declares is deleted, newest first.
      const gone = [...this.state.entries()].filter(([key]) => !this.seen.has(key)).reverse();
      for (const [key, entry] of gone) await this.deleteEntry(key, entry, dryRun);
      return this.finish();
    } catch (err) {
      const log = this.host?.stderr.join("") ?? "";
      this.finish();
      throw new Error(`${(err as Error).message}${log ? `\nprovider host: ${log}` : ""}`, {
        cause: err,
      });
    }
  }

  /** `pulumi refresh`: Read each Twilio resource and take Twilio's values into the state. */
  async refresh(run: ProgramRun): Promise<CommandReport> {
    this.run = run;
    this.host = await this.startHost(run);
    try {
      for (const [key, entry] of [...this.state.entries()]) {
        if (!isTwilio(entry.type)) continue;
        const read = await this.host.read(entry.urn, entry.id, entry.outputs, entry.inputs);
        if (!read.id) {
          this.state.delete(key);
          this.report.drift.push({
            name: entry.name,
            property: "(deleted)",
            from: entry.id,
            to: null,
          });
          continue;
        }
        for (const path of changedPaths(entry.outputs, read.outs))
          this.report.drift.push({
            name: entry.name,
            property: path,
            from: valueAt(entry.outputs, path),
            to: valueAt(read.outs, path),
          });
        entry.outputs = read.outs;
        entry.id = read.id;
      }
      return this.finish();
    } catch (err) {
      this.finish();
      throw err;
    }
  }

  /** `pulumi destroy`: deletes everything, newest first. */
  async destroy(run: ProgramRun): Promise<CommandReport> {
    this.run = run;
    this.host = await this.startHost(run);
    try {
      for (const [key, entry] of [...this.state.entries()].reverse())
        await this.deleteEntry(key, entry, false);
      return this.finish();
    } catch (err) {
      this.finish();
      throw err;
    }
  }

  private async deleteEntry(key: string, entry: StateEntry, dryRun: boolean): Promise<void> {
    // A protected resource is never deleted: pkg/resource/deploy/step_generator.go refuses the
    // delete step ("... cannot be deleted because it is protected").
    if (entry.protect)
      throw new Error(
        `unable to delete resource "${entry.urn}" as it is currently marked for protection`,
      );
    this.report.steps.push({ op: "delete", type: entry.type, name: entry.name });
    if (dryRun) return;
    if (isTwilio(entry.type) && this.host)
      await this.host.delete(entry.urn, entry.id, entry.outputs);
    this.state.delete(key);
  }

  private async runProgram(run: ProgramRun, dryRun: boolean): Promise<void> {
    await pulumi.runtime.setMocks(this, "whatsapp-bot", run.stack, dryRun);
    pulumi.runtime.setAllConfig(run.config, run.secretKeys);
    // The mocks hand newResource deserialized inputs (an unknown becomes a sentinel object, a
    // secret a plain value); the engine gets the request's wire form, so keep that.
    const monitor = (pulumi.runtime as unknown as { getMonitor(): MonitorInternals }).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      this.raw.set(`${req.getType()}::${req.getName()}`, {
        object: req.getObject()?.toJavaScript() ?? {},
        protect: req.getProtect() === true,
      });
      return register(req, callback);
    };
    // A fresh module registry, so the program's module-level code runs again as in a new process.
    for (const file of Object.keys(require.cache))
      if (file.startsWith(`${this.root}/infra/`)) delete require.cache[file];
    if (run.providerVersion !== undefined) {
      // A release that bumps the constant: the module's export is what every provider and
      // resource reads (and what the closure serializer captures into `__provider`).
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as the program loads it, after the registry was cleared
      const state = require(`${this.root}/infra/twilio/state.ts`) as { PROVIDER_VERSION: number };
      state.PROVIDER_VERSION = run.providerVersion;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program runs as `pulumi` runs it: a CommonJS require of Pulumi.yaml's main
    require(`${this.root}/infra/index.ts`);
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  }

  /** @inheritdoc */
  async newResource(
    args: pulumi.runtime.MockResourceArgs,
  ): Promise<pulumi.runtime.MockResourceResult> {
    const key = `${args.type}::${args.name}`;
    this.seen.add(key);
    try {
      return isTwilio(args.type) ? await this.twilioStep(key, args) : this.awsStep(key, args);
    } catch (err) {
      // The first failure fails the command, as the engine stops at a failed step.
      this.failure ??= err;
      throw err;
    }
  }

  /** @inheritdoc */
  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new Error(`unexpected provider function call ${args.token}`);
  }

  private awsStep(
    key: string,
    args: pulumi.runtime.MockResourceArgs,
  ): pulumi.runtime.MockResourceResult {
    const generation = args.type === API_TYPE ? (this.run?.apiGeneration ?? 0) : 0;
    const old = this.state.get(key);
    const replaced =
      old !== undefined && args.type === API_TYPE && old.inputs.generation !== generation;
    const inputs = (args.inputs ?? {}) as Wire;
    if (old && !replaced) {
      if (!this.dryRun) old.inputs = { ...inputs, generation };
      return { id: old.id, state: old.outputs };
    }
    // A new or replaced resource's computed outputs are unknown in a preview (rpc.ts resolves the
    // outputs the engine did not return as unknown during a dry run).
    if (this.dryRun) return { id: undefined, state: inputs };
    const computed = this.aws.newResource(args);
    let { id } = computed;
    let state = computed.state as Wire;
    if (generation > 0 && id) {
      const fresh = fakeHex(`${args.name}#${generation}`, 10);
      state = JSON.parse(JSON.stringify(state).split(id).join(fresh)) as Wire;
      id = fresh;
    }
    this.state.set(key, {
      type: args.type,
      name: args.name,
      urn: this.urn(args.type, args.name),
      id: id ?? `${args.name}-id`,
      inputs: { ...inputs, generation },
      outputs: state,
      protect: false,
    });
    return { id, state };
  }

  private async twilioStep(
    key: string,
    args: pulumi.runtime.MockResourceArgs,
  ): Promise<pulumi.runtime.MockResourceResult> {
    const host = this.host as ProviderHost;
    const raw = this.raw.get(key);
    if (!raw) throw new Error(`no registration request captured for ${key}`);
    const news = raw.object;
    this.report.providers[args.name] = String(news[PROVIDER_KEY]);
    this.report.inputs[args.name] = withoutProvider(news);
    const urn = this.urn(args.type, args.name);
    const old = this.state.get(key);

    // A Check failure fails the preview before any step runs: pkg/resource/deploy/step_generator.go
    // (GenerateSteps -> checkInputs -> issueCheckErrors) turns failures into errors and bails.
    const checked = await host.check(urn, old?.inputs ?? {}, news);
    if (checked.failures.length > 0) {
      throw new Error(
        `${urn} failed its check:\n${checked.failures.map((f) => `  ${f.property}: ${f.reason}`).join("\n")}`,
      );
    }
    const inputs = checked.inputs;
    const record = (op: Step["op"], replaces?: string[]): void => {
      this.report.steps.push({
        op,
        type: args.type,
        name: args.name,
        ...(replaces ? { replaces } : {}),
      });
    };
    const store = (id: string, outputs: Wire): void => {
      const entry = {
        type: args.type,
        name: args.name,
        urn,
        id,
        inputs,
        outputs,
        protect: raw.protect,
      };
      const existing = this.state.get(key);
      if (existing) Object.assign(existing, entry);
      else this.state.set(key, entry);
    };
    // Providers without preview support (the dynamic host's Configure never sets supportsPreview)
    // are not called for a planned create or update: sdk/go/common/resource/plugin/provider_plugin.go
    // (Create/Update under `if req.Preview`) hands back the new inputs as the outputs.
    if (!old) {
      record("create");
      if (this.dryRun) return { id: undefined, state: withoutProvider(inputs) };
      const created = await host.create(urn, inputs);
      store(created.id, created.outs);
      return { id: created.id, state: withoutProvider(created.outs) };
    }
    const diff = await host.diff(urn, old.id, old.outputs, inputs, old.inputs);
    if (diff.replaces.length > 0) {
      // pkg/resource/deploy/step_generator.go: "unable to replace resource ... as it is currently
      // marked for protection".
      if (raw.protect || old.protect) {
        throw new Error(
          `unable to replace resource "${urn}" as it is currently marked for protection (replace of ${diff.replaces.join(", ")})`,
        );
      }
      record("replace", diff.replaces);
      if (this.dryRun) return { id: undefined, state: withoutProvider(inputs) };
      if (diff.deleteBeforeReplace) await host.delete(urn, old.id, old.outputs);
      const created = await host.create(urn, inputs);
      if (!diff.deleteBeforeReplace) await host.delete(urn, old.id, old.outputs);
      store(created.id, created.outs);
      return { id: created.id, state: withoutProvider(created.outs) };
    }
    if (diff.changes) {
      record("update");
      // The id survives an update (pkg/resource/deploy/step.go, UpdateStep keeps old.ID), while
      // every output missing from the returned inputs resolves as unknown in a dry run
      // (sdk/nodejs/runtime/rpc.ts, resolveProperties).
      if (this.dryRun) return { id: old.id, state: withoutProvider(inputs) };
      const outs = await host.update(urn, old.id, old.outputs, inputs, old.inputs);
      store(old.id, outs);
      return { id: old.id, state: withoutProvider(outs) };
    }
    record("same");
    if (!this.dryRun) {
      old.inputs = inputs;
      old.protect = raw.protect;
    }
    return { id: old.id, state: withoutProvider(old.outputs) };
  }
}

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";

/**
 * Loads the Pulumi program (infra/index.ts) under the test mocks in a child process, for the
 * resource-graph and Twilio-call benchmarks. The child compiles TypeScript with tsc's
 * transpileModule (see typescriptHook.ts for why not tsx) and prints one JSON line.
 */

/** The stack whose committed config file the program is loaded with. */
export const STACK = "dev";
/** A dummy auth token of the real shape: Pulumi.dev.yaml leaves secrets out, the program requires one. */
const DUMMY_AUTH_TOKEN = "0123456789abcdef0123456789abcdef";

/** Raised when the program could not be loaded under mocks. */
export class ProgramLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProgramLoadError";
  }
}

/** Stack config as the CLI hands it to a program: Pulumi.dev.yaml with objects as JSON text, plus the secret. */
export function stackConfig(root: string): {
  config: Record<string, string>;
  secretKeys: string[];
} {
  const file = parse(readFileSync(join(root, `Pulumi.${STACK}.yaml`), "utf8")) as {
    config?: Record<string, unknown>;
  };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config ?? {})) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  config["twilio:authToken"] ??= DUMMY_AUTH_TOKEN;
  return {
    config,
    secretKeys: ["twilio:authToken", "twilio:apiSecret"].filter((k) => k in config),
  };
}

/** One timed load of the program: from `require` until the mocks answered every registration. */
export interface ProgramLoad {
  /** Milliseconds in all. */
  ms: number;
  /** Milliseconds until `require` returned (every resource declared; registrations pending). */
  declareMs: number;
  /** Milliseconds from the first dynamic provider serialization starting to the last one ending. */
  serializeMs: number;
  /** Dynamic providers serialized. */
  serialized: number;
  /** Resources registered (components included). */
  resources: number;
}

/** When the dynamic providers' closure serialization ran, to tell it apart from the rest. */
interface SerializationWindow {
  first?: bigint;
  last?: bigint;
  count: number;
}

let window: SerializationWindow = { count: 0 };

/**
 * Times Pulumi's closure serializer, which `pulumi.dynamic.Resource` calls for each provider
 * object (@pulumi/pulumi/dynamic/index.js, `serializeFunctionMaybeSecret`, an internal module).
 */
function timeSerialization(): void {
  // An internal module with no typings of its own, loaded after the TypeScript hook.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal module, loaded late on purpose
  const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
    serializeFunction: (...args: unknown[]) => Promise<unknown>;
  };
  const serialize = closure.serializeFunction;
  closure.serializeFunction = (...args) => {
    const started = process.hrtime.bigint();
    window.first ??= started;
    window.count++;
    const pending = serialize(...args);
    void pending.finally(() => {
      window.last = process.hrtime.bigint();
    });
    return pending;
  };
}

/** A dynamic (Twilio) resource as the program registered it. */
export interface RecordedDynamic {
  /** Type token, e.g. `pulumi-nodejs:dynamic/twilio:MessagingService`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs without the serialized provider. */
  inputs: Record<string, unknown>;
  /** What the mocks answered (inputs plus fake computed outputs such as `sid`). */
  state: Record<string, unknown>;
}

/** Output of a child run, by mode. */
export interface ChildOutput {
  loads: ProgramLoad[];
  dynamic: RecordedDynamic[];
}

async function loadOnce(root: string): Promise<{ load: ProgramLoad; dynamic: RecordedDynamic[] }> {
  // Required here, after the hook: nothing in the parent process loads Pulumi's runtime this way.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the hook, not at import
  const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
  const { PulumiRecorder } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load after the hook, not at import
    require("../tests/helpers/pulumiMocks") as typeof import("../tests/helpers/pulumiMocks");
  const recorder = new PulumiRecorder();
  await recorder.install({ stack: STACK });
  const { config, secretKeys } = stackConfig(root);
  pulumi.runtime.setAllConfig(config, secretKeys);
  window = { count: 0 };
  const start = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- running the program is the measurement
  require(join(root, "infra", "index"));
  const declared = process.hrtime.bigint();
  await recorder.settle();
  const end = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const serializeMs = window.first && window.last ? ms(window.first, window.last) : 0;
  const dynamic = recorder.resources
    .filter((r) => r.type.startsWith("pulumi-nodejs:"))
    .map((r) => {
      const { __provider: _provider, ...inputs } = r.inputs;
      const { __provider: _same, ...state } = r.state;
      return { type: r.type, name: r.name, inputs, state };
    });
  return {
    load: {
      ms: ms(start, end),
      declareMs: ms(start, declared),
      serializeMs,
      serialized: window.count,
      resources: recorder.resources.length,
    },
    dynamic,
  };
}

/** Forgets the program's own modules, so the next require runs its module code again. */
function forgetProgram(root: string): void {
  const infra = join(root, "infra");
  for (const key of Object.keys(require.cache))
    if (key.startsWith(infra)) delete require.cache[key];
}

/**
 * The child's side. `cold`: load once in this fresh process (dependencies included). `warm N`:
 * load once untimed, then N times with only infra/ evicted from the module cache.
 */
async function child(mode: string, count: number): Promise<ChildOutput> {
  const root = resolve(__dirname, "..");
  const { compileTypeScriptWithTsc } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the child process loads it only when it is the worker
    require("./typescriptHook") as typeof import("./typescriptHook");
  compileTypeScriptWithTsc(root);
  timeSerialization();
  const first = await loadOnce(root);
  if (mode !== "warm") return { loads: [first.load], dynamic: first.dynamic };
  const loads: ProgramLoad[] = [];
  for (let i = 0; i < count; i++) {
    forgetProgram(root);
    loads.push((await loadOnce(root)).load);
  }
  return { loads, dynamic: first.dynamic };
}

/** Loads the program in a fresh child process; `warm` adds that many timed reloads. */
export function loadProgramInChild(root: string, warm?: number): ChildOutput {
  const args = warm === undefined ? ["cold"] : ["warm", String(warm)];
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "bench", "program.ts"), "--child", ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: "" },
      timeout: 180_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const last = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status !== 0 || !last.startsWith("{")) {
    const why = (run.stderr || run.stdout).trim().split("\n").slice(0, 8).join(" / ");
    throw new ProgramLoadError(
      `loading infra/index.ts under mocks failed (exit ${run.status}): ${why.slice(0, 800)}`,
    );
  }
  return JSON.parse(last) as ChildOutput;
}

if (require.main === module && process.argv[2] === "--child") {
  child(process.argv[3], Number(process.argv[4] ?? "0"))
    .then((out) => {
      process.stdout.write(`\n${JSON.stringify(out)}\n`);
      process.exit(0);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    });
}

import { createHash } from "crypto";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";

/** The fake AWS account every mocked ARN belongs to. */
export const MOCK_ACCOUNT = "123456789012";
/** The fake AWS region every mocked ARN and endpoint is in. */
export const MOCK_REGION = "eu-west-1";

/** The key Pulumi's wire format uses to mark special values (secrets, assets, resources). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The marker of a secret value on the wire: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One `registerResource` call the program made, as the engine would have received it. */
export interface RecordedResource {
  /** The type token, e.g. `aws:lambda/function:Function`. */
  readonly type: string;
  /** The logical name. */
  readonly name: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** The `protect` option as sent to the engine (inherited from the parent when not set). */
  readonly protect: boolean;
  /** The parent's URN (empty for top-level resources). */
  readonly parent: string;
  /** The former types named by the `aliases` option, as sent to the engine. */
  readonly aliasTypes: readonly string[];
  /** URNs of the resources it waits for (`dependsOn` and those its inputs came from). */
  readonly dependencies: readonly string[];
  /** The `ignoreChanges` option as sent to the engine. */
  readonly ignoreChanges: readonly string[];
  /** Inputs as deserialized by the mock monitor: secrets stay wrapped, unknowns are `unknown`. */
  readonly inputs: Record<string, unknown>;
  /** The outputs the mock answered with. */
  readonly state: Record<string, unknown>;
}

/** Options for {@link PulumiRecorder.install}. */
export interface InstallOptions {
  /** The stack name `pulumi.getStack()` returns. */
  readonly stack: string;
  /** True for a preview: computed outputs (ids, ARNs, endpoints) stay unknown. */
  readonly dryRun?: boolean;
  /** The project name. */
  readonly project?: string;
}

/** Internals of @pulumi/pulumi 3.x this recorder relies on (present at runtime, @internal in types). */
type RuntimeInternals = {
  getMonitor(): {
    registerResource(req: RegisterRequest, callback: (...args: unknown[]) => void): unknown;
  };
  waitForRPCs(): Promise<void>;
};
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProtect(): boolean | undefined;
  getParent(): string;
  getDependenciesList(): string[];
  getAliasesList(): Array<{ getSpec(): { getType(): string } | undefined }>;
  getIgnorechangesList(): string[];
}

/** A deterministic lowercase hex string derived from `seed`. */
export function fakeHex(seed: string, length = 32): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/**
 * Pulumi mocks that record every resource registration (type, name, protect, parent, inputs) and
 * answer with plausible computed outputs: ARNs in {@link MOCK_ACCOUNT}/{@link MOCK_REGION}, an
 * `https://<id>.execute-api…` endpoint, Twilio SIDs. In a preview they answer with the inputs only,
 * so every computed output is unknown, as in a real `pulumi preview` of a new stack.
 */
export class PulumiRecorder implements pulumi.runtime.Mocks {
  /** Every registration so far, in order. */
  readonly resources: RecordedResource[] = [];
  private readonly meta = new Map<
    string,
    {
      protect: boolean;
      parent: string;
      dependencies: string[];
      aliasTypes: string[];
      ignoreChanges: string[];
    }
  >();
  private dryRun = false;

  /** Installs these mocks as Pulumi's runtime and starts recording (clearing earlier records). */
  async install(options: InstallOptions): Promise<void> {
    this.resources.length = 0;
    this.meta.clear();
    this.dryRun = options.dryRun ?? false;
    await pulumi.runtime.setMocks(
      this,
      options.project ?? "whatsapp-bot",
      options.stack,
      this.dryRun,
    );
    // The mock monitor does not pass `protect` on to newResource, so read it off the request.
    const monitor = (pulumi.runtime as unknown as RuntimeInternals).getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      this.meta.set(`${req.getType()}::${req.getName()}`, {
        protect: req.getProtect() === true,
        parent: req.getParent(),
        dependencies: req.getDependenciesList(),
        aliasTypes: req
          .getAliasesList()
          .map((alias) => alias.getSpec()?.getType() ?? "")
          .filter((type) => type !== ""),
        ignoreChanges: req.getIgnorechangesList(),
      });
      return register(req, callback);
    };
  }

  /** Resolves once every registration the program started has been answered. */
  async settle(): Promise<void> {
    await (pulumi.runtime as unknown as RuntimeInternals).waitForRPCs();
  }

  /** The resources whose type token is `type`. */
  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The only resource of `type`; fails when there is none or more than one. */
  one(type: string): RecordedResource {
    const found = this.ofType(type);
    if (found.length !== 1) {
      throw new Error(`expected exactly one ${type}, found ${found.length}`);
    }
    return found[0];
  }

  /** The resource of `type` registered under `name`; fails when there is none. */
  named(type: string, name: string): RecordedResource {
    const found = this.ofType(type).find((r) => r.name === name);
    if (found === undefined) throw new Error(`no ${type} named ${name}`);
    return found;
  }

  /** @inheritdoc */
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const computed = this.dryRun ? {} : computedOutputs(args.type, args.name, inputs);
    const state = { ...inputs, ...computed };
    const meta = this.meta.get(`${args.type}::${args.name}`) ?? {
      protect: false,
      parent: "",
      dependencies: [],
      aliasTypes: [],
      ignoreChanges: [],
    };
    this.resources.push({
      type: args.type,
      name: args.name,
      custom: args.custom !== false,
      protect: meta.protect,
      parent: meta.parent,
      dependencies: meta.dependencies,
      aliasTypes: meta.aliasTypes,
      ignoreChanges: meta.ignoreChanges,
      inputs,
      state,
    });
    // A Twilio provider's id is the object's SID (a pool member's is `MG…/XE…`), as `create` says.
    const twilioId =
      args.type.endsWith(":SenderPoolMember") && typeof inputs.serviceSid === "string"
        ? `${inputs.serviceSid}/${String(inputs.senderSid)}`
        : typeof computed.sid === "string"
          ? computed.sid
          : undefined;
    return {
      id: this.dryRun ? undefined : (twilioId ?? mockId(args.type, args.name)),
      state,
    };
  }

  /** @inheritdoc */
  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    throw new Error(`unexpected provider function call ${args.token}`);
  }
}

/** The physical id: the API's id doubles as its endpoint's host name, and a bucket's is its name, as in AWS. */
function mockId(type: string, name: string): string {
  if (type === "aws:s3/bucket:Bucket") return `${name}-${fakeHex(name, 7)}`.toLowerCase();
  return type === "aws:apigatewayv2/api:Api" ? fakeHex(name, 10) : `${name}-id`;
}

/** What AWS (or Twilio) would compute for a new resource of `type`. */
function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const autoName = typeof inputs.name === "string" ? inputs.name : `${name}-${fakeHex(name, 7)}`;
  const arn = (service: string, resource: string): string =>
    `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${resource}`;
  switch (type) {
    case "aws:lambda/function:Function": {
      const fnArn = arn("lambda", `function:${autoName}`);
      return {
        name: autoName,
        arn: fnArn,
        invokeArn: `arn:aws:apigateway:${MOCK_REGION}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
      };
    }
    case "aws:apigatewayv2/api:Api": {
      const id = fakeHex(name, 10);
      return {
        name: autoName,
        apiEndpoint: `https://${id}.execute-api.${MOCK_REGION}.amazonaws.com`,
        executionArn: arn("execute-api", id),
        arn: `arn:aws:apigateway:${MOCK_REGION}::/apis/${id}`,
      };
    }
    case "aws:dynamodb/table:Table":
      return { name: autoName, arn: arn("dynamodb", `table/${autoName}`) };
    case "aws:secretsmanager/secret:Secret":
      return {
        name: autoName,
        arn: arn("secretsmanager", `secret:${autoName}-${fakeHex(name, 6)}`),
      };
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      // AWS answers with a UUID; derived from the name here so runs are repeatable.
      const h = fakeHex(name, 32);
      return {
        versionId: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: autoName, arn: arn("logs", `log-group:${autoName}`) };
    case "aws:iam/role:Role":
      return { name: autoName, arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${autoName}` };
    case "aws:sns/topic:Topic":
      return { name: autoName, arn: arn("sns", autoName) };
    case "aws:s3/bucket:Bucket": {
      // S3 names are global and lower-case; the provider auto-names buckets so.
      const bucket = `${name}-${fakeHex(name, 7)}`.toLowerCase();
      return { bucket, arn: `arn:aws:s3:::${bucket}` };
    }
    case "aws:sqs/queue:Queue": {
      // The provider autonames a FIFO queue with the `.fifo` suffix SQS requires.
      const queueName =
        typeof inputs.name === "string"
          ? inputs.name
          : `${name}-${fakeHex(name, 7)}${inputs.fifoQueue === true ? ".fifo" : ""}`;
      return {
        name: queueName,
        arn: arn("sqs", queueName),
        url: `https://sqs.${MOCK_REGION}.amazonaws.com/${MOCK_ACCOUNT}/${queueName}`,
      };
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { name: autoName, arn: arn("cloudwatch", `alarm:${autoName}`) };
  }
  if (type === "aws:budgets/budget:Budget") {
    return { name: autoName, arn: `arn:aws:budgets::${MOCK_ACCOUNT}:budget/${autoName}` };
  }
  if (type.endsWith(":MessagingService")) return { sid: `MG${fakeHex(name)}` };
  if (type.endsWith(":UsageTrigger")) return { sid: `UT${fakeHex(name)}` };
  if (type.endsWith(":ContentTemplate"))
    return {
      sid: `HX${fakeHex(name)}`,
      approvalStatus: inputs.approval ? "received" : "unsubmitted",
      rejectionReason: null,
    };
  // The key's secret is a made-up value the tests then look for in plaintext anywhere else.
  if (type.endsWith(":ApiKey")) {
    return {
      sid: `SK${fakeHex(name)}`,
      secret: fakeHex(`${name}-secret`),
      accountSid: `AC${"0".repeat(32)}`,
    };
  }
  if (type.endsWith(":SenderPoolMember")) return { sid: inputs.senderSid };
  if (type.endsWith(":WhatsAppSender")) {
    const adopt = inputs.adopt as { sid?: string; number?: string } | undefined;
    const register = inputs.register as { number?: string } | undefined;
    const number = (adopt?.number ?? register?.number ?? "+15005550006").replace(/^whatsapp:/, "");
    return {
      sid: adopt?.sid ?? `XE${fakeHex(name)}`,
      status: register ? "PENDING_VERIFICATION" : "ONLINE",
      senderId: `whatsapp:${number}`,
    };
  }
  return {};
}

/** Options for {@link loadProgram}. */
export interface LoadProgramOptions extends InstallOptions {
  /** Stack config, full keys (`whatsapp-bot:environment`); objects as JSON text, as the CLI passes them. */
  readonly config: Record<string, string>;
  /** The keys the CLI would have decrypted (`pulumi config set --secret`). */
  readonly secretKeys: readonly string[];
}

/**
 * Runs a Pulumi program module under the recorder's mocks with the given stack config, in a fresh
 * module registry (so module-level code, like `loadConfig()`, runs again), then waits until every
 * registration is answered. Rejects with whatever the program threw.
 */
export async function loadProgram<T>(
  recorder: PulumiRecorder,
  load: () => Promise<T>,
  options: LoadProgramOptions,
): Promise<T> {
  await recorder.install(options);
  pulumi.runtime.setAllConfig(options.config, [...options.secretKeys]);
  let program: T | undefined;
  let failure: unknown;
  await jest.isolateModulesAsync(async () => {
    try {
      program = await load();
    } catch (err) {
      failure = err;
    }
    // Settle inside the isolation: dynamic providers are serialized asynchronously, and Pulumi's
    // closure serializer recognises a module only through `require.cache`, which jest points at
    // the registry active at that moment.
    await recorder.settle();
  });
  if (failure !== undefined) {
    throw failure instanceof Error
      ? failure
      : new Error(`the program threw ${JSON.stringify(failure)}`);
  }
  return program as T;
}

/**
 * The value of an Output, or undefined while it is unknown (a preview), where `apply` callbacks
 * never run. Reads the Output's promise, present at runtime though @internal in the types.
 */
export function valueOf<T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> {
  const resolved = pulumi.output(output) as unknown as { promise(): Promise<T | undefined> };
  return resolved.promise();
}

/** Whether an Output's value is known (false for computed values during a preview). */
export function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}

/** Whether an Output is marked secret. */
export function isSecret(output: pulumi.Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

/** True when `value` is a secret on the wire (`{ [SIG_KEY]: SECRET_SIG, value }`). */
export function isWireSecret(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/**
 * Paths (like `environment.variables.X`) of every string in `value` that contains `needle`
 * outside a secret wrapper: each one would be stored in plaintext in the state.
 */
export function plaintextOccurrences(value: unknown, needle: string, at = ""): string[] {
  if (isWireSecret(value)) return [];
  if (typeof value === "string") return value.includes(needle) ? [at || "(root)"] : [];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => plaintextOccurrences(item, needle, `${at}[${i}]`));
  }
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      plaintextOccurrences(v, needle, at ? `${at}.${k}` : k),
    );
  }
  return [];
}

const taggableCache = new Map<string, boolean>();

/**
 * Whether an `aws:` resource type accepts `tags`, read from @pulumi/aws's own type declarations
 * (`aws:lambda/function:Function` → `lambda/function.d.ts`, interface `FunctionArgs`), so a new
 * taggable resource cannot slip past a hand-kept list.
 */
export function awsTypeIsTaggable(type: string): boolean {
  const cached = taggableCache.get(type);
  if (cached !== undefined) return cached;
  const match = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!match) throw new Error(`not an aws resource type: ${type}`);
  const [, module, file, className] = match;
  const dts = fs.readFileSync(require.resolve(`@pulumi/aws/${module}/${file}.d.ts`), "utf8");
  const start = dts.indexOf(`export interface ${className}Args {`);
  if (start < 0) throw new Error(`no ${className}Args in @pulumi/aws/${module}/${file}.d.ts`);
  const body = dts.slice(start, dts.indexOf("\n}", start));
  const taggable = /^ {4}tags\?:/m.test(body);
  taggableCache.set(type, taggable);
  return taggable;
}

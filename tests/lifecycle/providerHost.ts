import { spawn, type ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";

/** A property map as it crosses the wire (unknowns and secrets in their wire encoding). */
export type Wire = Record<string, unknown>;

/** The key and marker Pulumi's wire format uses for a secret: `{ [SIG_KEY]: SECRET_SIG, value }`. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** A config value as the engine sends a secret one to a provider's Configure. */
export function wrapSecret(value: string): Wire {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** What Check answered. */
export interface CheckResult {
  inputs: Wire;
  failures: { property: string; reason: string }[];
}

/** What Diff answered. */
export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

function struct(value: Wire): Struct {
  // Struct.fromJavaScript refuses undefined exactly as the host does; callers pass wire values.
  return Struct.fromJavaScript(value as never);
}

/**
 * Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), started as the
 * engine starts a plugin (it prints its port) and driven through Pulumi's generated gRPC stubs.
 */
export class ProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
    /** What the host wrote to stderr (a provider's thrown errors land here too). */
    readonly stderr: string[],
  ) {}

  /** Starts the host with the given environment and waits for its port. */
  static async start(env: NodeJS.ProcessEnv): Promise<ProviderHost> {
    const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    // The engine passes its own address; the host only needs one to be present.
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr?.on("data", (d: Buffer) => stderr.push(d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) =>
        reject(new Error(`provider host exited with ${code}: ${stderr.join("")}`)),
      );
    });
    const client = new ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new ProviderHost(child, client, stderr);
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      type Unary = (r: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;
      const fn = (this.client as unknown as Record<string, Unary>)[method].bind(this.client);
      fn(req, (err, res) => (err ? reject(new Error(err.details || err.message)) : resolve(res)));
    });
  }

  /** Configure with the stack's config: every key, secret ones wrapped as the engine wraps them. */
  async configure(config: Record<string, string>, secretKeys: readonly string[]): Promise<void> {
    const args: Wire = {};
    const req = new proto.ConfigureRequest();
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      args[k] = secretKeys.includes(k) ? wrapSecret(v) : v;
      variables.set(k, v);
    }
    req.setArgs(struct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    await this.call<proto.ConfigureRequest, proto.ConfigureResponse>("configure", req);
  }

  /** Check(olds, news). */
  async check(urn: string, olds: Wire, news: Wire): Promise<CheckResult> {
    const req = new proto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call<proto.CheckRequest, proto.CheckResponse>("check", req);
    return {
      inputs: res.getInputs()?.toJavaScript() ?? {},
      failures: res
        .getFailuresList()
        .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** Diff(id, old outputs, new inputs). */
  async diff(
    urn: string,
    id: string,
    olds: Wire,
    news: Wire,
    oldInputs: Wire,
  ): Promise<DiffResult> {
    const req = new proto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const res = await this.call<proto.DiffRequest, proto.DiffResponse>("diff", req);
    return {
      changes: res.getChanges() === proto.DiffResponse.DiffChanges.DIFF_SOME,
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  /** Create(inputs). */
  async create(urn: string, inputs: Wire): Promise<{ id: string; outs: Wire }> {
    const req = new proto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(inputs));
    const res = await this.call<proto.CreateRequest, proto.CreateResponse>("create", req);
    return { id: res.getId(), outs: res.getProperties()?.toJavaScript() ?? {} };
  }

  /** Update(id, old outputs, new inputs). */
  async update(urn: string, id: string, olds: Wire, news: Wire, oldInputs: Wire): Promise<Wire> {
    const req = new proto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    req.setOldInputs(struct(oldInputs));
    const res = await this.call<proto.UpdateRequest, proto.UpdateResponse>("update", req);
    return res.getProperties()?.toJavaScript() ?? {};
  }

  /** Read(id, old outputs, old inputs), as `pulumi refresh` does; an empty id means it is gone. */
  async read(
    urn: string,
    id: string,
    props: Wire,
    inputs: Wire,
  ): Promise<{ id: string; outs: Wire }> {
    const req = new proto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(props));
    req.setInputs(struct(inputs));
    const res = await this.call<proto.ReadRequest, proto.ReadResponse>("read", req);
    return { id: res.getId(), outs: res.getProperties()?.toJavaScript() ?? {} };
  }

  /** Delete(id, outputs). */
  async delete(urn: string, id: string, props: Wire): Promise<void> {
    const req = new proto.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(struct(props));
    await this.call("delete", req);
  }

  /** Stops the host. */
  stop(): void {
    this.client.close();
    this.child.kill();
  }
}

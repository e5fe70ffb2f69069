import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { CommandReport, ProgramRun, StateEntry } from "./engine";
import type { TwilioStandIn } from "../helpers/twilio";
import type { RunnerCommand } from "./runner";
import { serveTwilioOverHttps, type TwilioOverHttps } from "./twilioOverHttps";

/** One stack's CLI, as a test drives it: each call is one `pulumi` command. */
export class StackCli {
  private seq = 0;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (msg: { seq?: number; result?: unknown; error?: string }) => {
      if (msg.seq === undefined) return;
      const waiter = this.pending.get(msg.seq);
      this.pending.delete(msg.seq);
      if (msg.error !== undefined) waiter?.reject(new Error(msg.error));
      else waiter?.resolve(msg.result);
    });
    child.on("exit", (code) => {
      for (const w of this.pending.values()) w.reject(new Error(`runner exited with ${code}`));
      this.pending.clear();
    });
  }

  /** Starts a runner whose provider hosts get `hostEnv` (proxy and CA, nothing of this process). */
  static async start(hostEnv: NodeJS.ProcessEnv): Promise<StackCli> {
    const child = fork(join(__dirname, "bootstrap.js"), [], {
      env: {
        PATH: process.env.PATH,
        LIFECYCLE_HOST_ENV: JSON.stringify(hostEnv),
        // Pulumi's documented switch for skipping ts-node's type check; `npm test` runs tsc first.
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("message", () => resolve());
      child.once("exit", (code) => reject(new Error(`runner exited with ${code}`)));
    });
    return new StackCli(child);
  }

  private send<T>(command: RunnerCommand["command"], run: ProgramRun): Promise<T> {
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ seq, command, run } satisfies RunnerCommand);
    });
  }

  /** `pulumi preview`. */
  preview(run: ProgramRun): Promise<CommandReport> {
    return this.send("preview", run);
  }
  /** `pulumi up`. */
  up(run: ProgramRun): Promise<CommandReport> {
    return this.send("up", run);
  }
  /** `pulumi refresh`. */
  refresh(run: ProgramRun): Promise<CommandReport> {
    return this.send("refresh", run);
  }
  /** `pulumi destroy`. */
  destroy(run: ProgramRun): Promise<CommandReport> {
    return this.send("destroy", run);
  }
  /** The state file's resources. */
  state(run: ProgramRun): Promise<StateEntry[]> {
    return this.send("state", run);
  }
  /** Ends the runner. */
  stop(): void {
    this.child.kill();
  }
}

/**
 * Serves the stand-in over HTTPS and starts a stack's runner, whose provider hosts see the proxy
 * and the test CA and nothing else of this process.
 */
export async function startStackAgainst(
  standIn: () => TwilioStandIn,
): Promise<{ https: TwilioOverHttps; cli: StackCli }> {
  const https = await serveTwilioOverHttps(standIn);
  const cli = await StackCli.start({
    HTTP_PROXY: https.proxyUrl,
    HTTPS_PROXY: https.proxyUrl,
    NODE_EXTRA_CA_CERTS: https.caFile,
  });
  return { https, cli };
}

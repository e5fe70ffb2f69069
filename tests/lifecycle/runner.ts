import { join } from "node:path";
import { Engine, type ProgramRun } from "./engine";

/** A command the test sends to the runner process. */
export interface RunnerCommand {
  seq: number;
  command: "preview" | "up" | "refresh" | "destroy" | "state";
  run: ProgramRun;
}

/**
 * The runner process: one per stack, holding that stack's state between commands, as the Pulumi
 * CLI and its state file would. Each command starts a fresh provider host, as each `pulumi`
 * command does. The environment for the host comes from LIFECYCLE_HOST_ENV (JSON).
 */
const hostEnv = JSON.parse(process.env.LIFECYCLE_HOST_ENV ?? "{}") as NodeJS.ProcessEnv;
const engine = new Engine(join(__dirname, "../.."), hostEnv);

// A failed registration also rejects inside the SDK; the command reports it, so keep running.
process.on("unhandledRejection", () => undefined);

async function handle(msg: RunnerCommand): Promise<unknown> {
  switch (msg.command) {
    case "preview":
      return engine.deploy(msg.run, true);
    case "up":
      return engine.deploy(msg.run, false);
    case "refresh":
      return engine.refresh(msg.run);
    case "destroy":
      return engine.destroy(msg.run);
    case "state":
      return [...engine.state.values()];
  }
}

process.on("message", (msg: RunnerCommand) => {
  handle(msg).then(
    (result) => process.send?.({ seq: msg.seq, result }),
    (err: Error) => process.send?.({ seq: msg.seq, error: err.message }),
  );
});
process.send?.({ ready: true });

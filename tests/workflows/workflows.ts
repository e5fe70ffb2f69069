import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";

/** Where the workflows live. */
export const WORKFLOW_DIR = join(__dirname, "../../.github/workflows");

/** A step of a job, as written. */
export interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A job, as written (a normal job or a call to a reusable workflow). */
export interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean | string };
  permissions?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps?: Step[];
}

/** A parsed workflow file. */
export interface Workflow {
  file: string;
  path: string;
  text: string;
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** Every workflow file, parsed. */
export function loadWorkflows(): Workflow[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort()
    .map((file) => {
      const path = join(WORKFLOW_DIR, file);
      const text = readFileSync(path, "utf8");
      const doc = parse(text) as {
        on: unknown;
        env?: Record<string, string>;
        jobs: Record<string, Job>;
      };
      // `on: push` and `on: [push, pull_request]` are shorthands for the map form.
      const on =
        typeof doc.on === "string"
          ? { [doc.on]: null }
          : Array.isArray(doc.on)
            ? Object.fromEntries(doc.on.map((e: string) => [e, null]))
            : (doc.on as Record<string, unknown>);
      return { file, path, text, on, env: doc.env, jobs: doc.jobs };
    });
}

/** The workflow with this file name. */
export function workflow(file: string): Workflow {
  const found = loadWorkflows().find((w) => w.file === file);
  if (found === undefined) throw new Error(`no workflow ${file}`);
  return found;
}

/** Whether a step is the pulumi/actions action. */
export function isPulumiAction(step: Step): boolean {
  return step.uses?.startsWith("pulumi/actions@") ?? false;
}

/** The Pulumi command a step runs (`preview`, `up`, `destroy`, `stack rm`...), or undefined. */
export function pulumiCommands(step: Step): string[] {
  if (isPulumiAction(step))
    return typeof step.with?.command === "string" ? [step.with.command] : [];
  if (step.run === undefined) return [];
  return [...step.run.matchAll(/(?:^|[\s|;&(])pulumi ((?:stack |config )?[a-z]+)/g)].map(
    (m) => m[1],
  );
}

/** Whether a job touches a stack at all. */
export function runsPulumi(job: Job): boolean {
  return (job.steps ?? []).some((s) => pulumiCommands(s).length > 0);
}

/** Whether a job changes a stack (update, destroy, stack removal). */
export function mutatesStack(job: Job): boolean {
  return (job.steps ?? []).some((s) =>
    pulumiCommands(s).some((c) => ["up", "update", "destroy", "stack rm"].includes(c)),
  );
}

/** Whether a job can see secrets (directly, or handed to a reusable workflow). */
export function usesSecrets(job: Job): boolean {
  return JSON.stringify(job).includes("secrets.") || job.secrets !== undefined;
}

/** The fork guard every secret-holding pull-request job must carry. */
export const FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository";

/**
 * The release tag written after a pinned `uses:` in the workflow's text (`uses: a/b@<sha> # v1.2.3`),
 * or undefined when the line carries none. YAML parsing drops comments, hence the raw text.
 */
export function pinnedTag(text: string, uses: string): string | undefined {
  const escaped = uses.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`uses: ${escaped} # (v[0-9][^\\s]*)\\s*$`, "m").exec(text)?.[1];
}

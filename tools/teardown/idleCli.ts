import { readFileSync } from "fs";
import { selectIdleStacks, type StackListEntry } from "./idle";

/** A bad idle-teardown command line. */
export class IdleArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IdleArgsError";
  }
}

/**
 * Prints, as a JSON array for a workflow matrix, the stacks of a `pulumi stack ls --json` dump
 * that are idle: `--stacks-file <file> --max-idle-hours <n> [--pattern <regex>]`.
 */
export function idleCli(argv: readonly string[], now: Date = new Date()): string {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const file = value("--stacks-file");
  const hoursRaw = value("--max-idle-hours");
  if (file === undefined) throw new IdleArgsError("--stacks-file is required");
  if (hoursRaw === undefined || !/^\d+(\.\d+)?$/.test(hoursRaw) || Number(hoursRaw) <= 0) {
    throw new IdleArgsError(
      `--max-idle-hours must be a positive number of hours (got "${hoursRaw ?? ""}")`,
    );
  }
  const pattern = new RegExp(value("--pattern") ?? "^(staging|pr-[0-9]+)$");
  const stacks = JSON.parse(readFileSync(file, "utf8")) as StackListEntry[];
  if (!Array.isArray(stacks))
    throw new IdleArgsError(`${file} is not the output of pulumi stack ls --json`);
  return JSON.stringify(selectIdleStacks(stacks, { now, maxIdleHours: Number(hoursRaw), pattern }));
}

if (require.main === module) {
  try {
    process.stdout.write(`${idleCli(process.argv.slice(2))}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}

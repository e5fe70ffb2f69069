import { CostArgsError, parseCostArgs, USAGE } from "./args";
import { estimate } from "./estimate";
import { formatJson, formatTable } from "./format";
import { defaultPrices } from "./prices";

/** Runs `npm run cost`; returns the process exit code (2 for bad arguments). */
export function main(argv: readonly string[]): number {
  try {
    const args = parseCostArgs(argv, defaultPrices);
    if (args.kind === "help") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const result = estimate(args.inputs, defaultPrices);
    process.stdout.write(`${args.json ? formatJson(result) : formatTable(result)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof CostArgsError) {
      process.stderr.write(`cost: ${err.message}\nRun npm run cost -- --help for usage.\n`);
      return 2;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2));

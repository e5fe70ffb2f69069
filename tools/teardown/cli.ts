import { BudgetsClient } from "@aws-sdk/client-budgets";
import { IAMClient } from "@aws-sdk/client-iam";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import type twilio from "twilio";
import { parseTeardownArgs } from "./args";
import { formatLeftovers } from "./leftover";
import { stackRegion } from "./stackRegion";
import { twilioFromEnv } from "./twilioClient";
import { verifyTeardown } from "./verify";

/** Exit codes: 0 nothing left, 1 something left, 2 the check itself could not run. */
export const EXIT = { clean: 0, leftovers: 1, error: 2 } as const;

/** What the command talks to; tests replace the clients. */
export interface CliDeps {
  /** Environment (TWILIO_*, AWS_REGION, AWS_ACCOUNT_ID). */
  readonly env: NodeJS.ProcessEnv;
  /** Builds the Twilio client. */
  readonly twilio?: (env: NodeJS.ProcessEnv) => twilio.Twilio;
  /** Builds a tagging client for a region. */
  readonly tagging?: (region: string) => ResourceGroupsTaggingAPIClient;
  /** Builds the IAM client; the region only picks the partition (IAM is global). */
  readonly iam?: (region: string) => IAMClient;
  /** Builds the Budgets client; the region only picks the partition (budgets are global). */
  readonly budgets?: (region: string) => BudgetsClient;
  /** Where the stack's Pulumi.<stack>.yaml lives (region fallback). */
  readonly projectDir?: string;
  /** Sleeps between re-checks. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Standard output. */
  readonly out: (line: string) => void;
  /** Standard error. */
  readonly err: (line: string) => void;
}

/** Regions from --region, else AWS_REGION / AWS_DEFAULT_REGION, else the stack's config file. */
function regionsFor(args: { stack: string; regions: string[] }, deps: CliDeps): string[] {
  if (args.regions.length > 0) return args.regions;
  const fromEnv = deps.env.AWS_REGION || deps.env.AWS_DEFAULT_REGION;
  if (fromEnv) return [fromEnv];
  return [stackRegion(args.stack, deps.projectDir)];
}

/** Runs `verify-teardown` and returns its exit code. */
export async function runTeardownCheck(argv: readonly string[], deps: CliDeps): Promise<number> {
  try {
    const args = parseTeardownArgs(argv);
    const regions = regionsFor(args, deps);
    const globalRegion = regions[0];
    const report = await verifyTeardown({
      stack: args.stack,
      project: args.project,
      regions,
      twilio: (deps.twilio ?? twilioFromEnv)(deps.env),
      tagging: deps.tagging ?? ((region) => new ResourceGroupsTaggingAPIClient({ region })),
      iam: (deps.iam ?? ((region) => new IAMClient({ region })))(globalRegion),
      budgets: (deps.budgets ?? ((region) => new BudgetsClient({ region })))(globalRegion),
      accountIdFlag: args.accountId,
      accountIdEnv: deps.env.AWS_ACCOUNT_ID,
      waitMs: args.waitSeconds * 1000,
      sleep: deps.sleep,
      log: deps.err,
    });
    if (report.leftovers.length === 0) {
      deps.out(
        `Nothing of stack ${args.stack} is left in Twilio or in AWS (${regions.join(", ")}; ` +
          `IAM roles and budgets of account ${report.account.id}).`,
      );
      return EXIT.clean;
    }
    deps.out(`Stack ${args.stack} left ${report.leftovers.length} thing(s) behind:`);
    deps.out(formatLeftovers(report.leftovers));
    deps.out("Nothing was deleted. Run `pulumi destroy` again, or remove these by hand.");
    return EXIT.leftovers;
  } catch (err) {
    // SDK errors carry status, code and message, never the credentials.
    deps.err(`verify-teardown could not complete: ${(err as Error).message}`);
    return EXIT.error;
  }
}

if (require.main === module) {
  void runTeardownCheck(process.argv.slice(2), {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}

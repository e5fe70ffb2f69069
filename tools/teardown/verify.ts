import type { BudgetsClient } from "@aws-sdk/client-budgets";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import type twilio from "twilio";
import type { AwsAccount } from "./account";
import { findTaggedResources } from "./awsLeftovers";
import { findGlobalLeftovers } from "./globalLeftovers";
import { type Leftover } from "./leftover";
import { findTwilioLeftovers } from "./twilioLeftovers";

/** What the check needs: the stack, where to look, and clients to look with. */
export interface VerifyOptions {
  /** Stack name (short form, as in `whatsapp-bot-<stack>` and the `stack` tag). */
  readonly stack: string;
  /** Value of the `project` tag. */
  readonly project: string;
  /** AWS regions to search. */
  readonly regions: readonly string[];
  /** A Twilio client for the account the stack used. */
  readonly twilio: twilio.Twilio;
  /** A tagging API client for a region. */
  readonly tagging: (region: string) => ResourceGroupsTaggingAPIClient;
  /** An IAM client (IAM is global; the first region picks the partition's endpoint). */
  readonly iam: IAMClient;
  /** A Budgets client (global, like IAM). */
  readonly budgets: BudgetsClient;
  /** `--account-id`: the account whose budgets are read. */
  readonly accountIdFlag?: string;
  /** `AWS_ACCOUNT_ID`, used when there is no `--account-id`. */
  readonly accountIdEnv?: string;
  /** Keep re-checking for this long while something is left (the tagging index lags deletions). */
  readonly waitMs?: number;
  /** Pause between re-checks. */
  readonly intervalMs?: number;
  /** Sleeps; injectable so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Reports progress between attempts. */
  readonly log?: (line: string) => void;
}

/** The result of the check. */
export interface TeardownReport {
  /** The stack checked. */
  readonly stack: string;
  /** Everything that still exists; empty when the teardown is complete. */
  readonly leftovers: readonly Leftover[];
  /** How many times the check ran. */
  readonly attempts: number;
  /** The AWS account whose IAM roles and budgets were read. */
  readonly account: AwsAccount;
}

async function checkOnce(
  options: VerifyOptions,
): Promise<{ leftovers: Leftover[]; account: AwsAccount }> {
  const leftovers: Leftover[] = [];
  for (const item of await findTwilioLeftovers(options.twilio, options.stack)) {
    leftovers.push({ system: "twilio", kind: item.kind, id: item.sid, detail: item.detail });
  }
  for (const region of options.regions) {
    const tagged = await findTaggedResources(options.tagging(region), {
      project: options.project,
      stack: options.stack,
    });
    for (const resource of tagged) {
      leftovers.push({
        system: "aws",
        kind: resource.kind,
        id: resource.arn,
        detail: `tagged project=${options.project} stack=${options.stack} in ${region}`,
      });
    }
  }
  const global = await findGlobalLeftovers({
    tags: { project: options.project, stack: options.stack },
    iam: options.iam,
    budgets: options.budgets,
    region: options.regions[0] ?? "us-east-1",
    accountIdFlag: options.accountIdFlag,
    accountIdEnv: options.accountIdEnv,
  });
  leftovers.push(...global.leftovers);
  return { leftovers, account: global.account };
}

/**
 * Checks that nothing of a destroyed stack is left in Twilio or AWS. Read-only: it reports and
 * never deletes, so a leftover is for a person (or another `pulumi destroy`) to deal with.
 */
export async function verifyTeardown(options: VerifyOptions): Promise<TeardownReport> {
  const waitMs = options.waitMs ?? 0;
  const intervalMs = options.intervalMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waited = 0;
  let attempts = 1;
  let result = await checkOnce(options);
  while (result.leftovers.length > 0 && waited < waitMs) {
    options.log?.(
      `${result.leftovers.length} left; checking again in ${Math.round(intervalMs / 1000)} s`,
    );
    await sleep(intervalMs);
    waited += intervalMs;
    attempts += 1;
    result = await checkOnce(options);
  }
  return { stack: options.stack, leftovers: result.leftovers, attempts, account: result.account };
}

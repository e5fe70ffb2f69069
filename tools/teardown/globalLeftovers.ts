import type { BudgetsClient } from "@aws-sdk/client-budgets";
import type { IAMClient } from "@aws-sdk/client-iam";
import { type AwsAccount, resolveAccount } from "./account";
import type { StackTags } from "./awsLeftovers";
import { findStackBudgets } from "./budgetLeftovers";
import { findTaggedRoles } from "./iamLeftovers";
import { type Leftover } from "./leftover";

/** What the check of AWS's global (region-less) services needs. */
export interface GlobalCheckOptions {
  /** The stack's tags. */
  readonly tags: StackTags;
  /** An IAM client. */
  readonly iam: IAMClient;
  /** A Budgets client. */
  readonly budgets: BudgetsClient;
  /** The region the clients were built for (the partition of the budget ARNs, when needed). */
  readonly region: string;
  /** `--account-id`. */
  readonly accountIdFlag?: string;
  /** `AWS_ACCOUNT_ID`. */
  readonly accountIdEnv?: string;
}

/** What the global services still hold of the stack, and the account that was read. */
export interface GlobalCheck {
  /** Leftover IAM roles and budgets. */
  readonly leftovers: Leftover[];
  /** The account whose budgets were read. */
  readonly account: AwsAccount;
}

/**
 * The stack's IAM roles and budgets that still exist: the two kinds of resource the regional
 * Tagging API search misses (it does not return IAM roles, and budgets live in no region).
 */
export async function findGlobalLeftovers(options: GlobalCheckOptions): Promise<GlobalCheck> {
  const { tags } = options;
  const scan = await findTaggedRoles(options.iam, tags);
  const leftovers: Leftover[] = scan.roles.map((role) => ({
    system: "aws",
    kind: "iam:role",
    id: role.arn,
    detail: `tagged project=${tags.project} stack=${tags.stack}; IAM is global`,
  }));
  const account = resolveAccount({
    flag: options.accountIdFlag,
    env: options.accountIdEnv,
    roleArn: scan.sampleArn,
    region: options.region,
  });
  for (const budget of await findStackBudgets(options.budgets, account, tags)) {
    leftovers.push({
      system: "aws",
      kind: "budgets:budget",
      id: budget.arn,
      detail: `${budget.reason}; budgets are global`,
    });
  }
  return { leftovers, account };
}

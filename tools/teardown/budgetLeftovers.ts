import {
  type BudgetsClient,
  DescribeBudgetsCommand,
  type DescribeBudgetsCommandOutput,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-budgets";
import type { AwsAccount } from "./account";
import type { StackTags } from "./awsLeftovers";
import { isNamed, requiring } from "./awsPermission";

/** A budget of the stack that still exists. */
export interface StackBudget {
  /** Its ARN, `arn:<partition>:budgets::<account>:budget/<name>`. */
  readonly arn: string;
  /** Its name. */
  readonly name: string;
  /** Why it belongs to the stack: its name, its tags, or both. */
  readonly reason: string;
}

/**
 * The name the stack gives its budget: infra/index.ts names the SpendingAlerts component
 * `<project>-<stack>-spending` and infra/spendingAlerts.ts gives the budget the component's name.
 */
export function stackBudgetName(tags: StackTags): string {
  return `${tags.project}-${tags.stack}-spending`;
}

/** The ARN of a budget, the form ListTagsForResource takes (see the Budgets API reference). */
export function budgetArn(account: AwsAccount, name: string): string {
  return `arn:${account.partition}:budgets::${account.id}:budget/${name}`;
}

/** The budget's tags; undefined when it was deleted since it was listed. */
async function budgetTags(
  client: BudgetsClient,
  arn: string,
): Promise<Map<string, string> | undefined> {
  try {
    const page = await requiring("budgets:ListTagsForResource", () =>
      client.send(new ListTagsForResourceCommand({ ResourceARN: arn })),
    );
    return new Map((page.ResourceTags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
  } catch (err) {
    if (isNamed(err, "NotFoundException")) return undefined;
    throw err;
  }
}

/**
 * The budgets still belonging to the stack: named `<project>-<stack>-spending`, or tagged
 * `project=<project>` and `stack=<stack>`. Budgets are global (not in any region), so the Tagging
 * API's regional search cannot see them; this lists the account's budgets (DescribeBudgets, all
 * pages) and reads each one's tags. Read-only.
 */
export async function findStackBudgets(
  client: BudgetsClient,
  account: AwsAccount,
  tags: StackTags,
): Promise<StackBudget[]> {
  const expectedName = stackBudgetName(tags);
  const found: StackBudget[] = [];
  let token: string | undefined;
  do {
    let page: DescribeBudgetsCommandOutput;
    try {
      page = await requiring("budgets:ViewBudget", () =>
        client.send(new DescribeBudgetsCommand({ AccountId: account.id, NextToken: token })),
      );
    } catch (err) {
      // Budgets answers NotFoundException, not an empty list, for an account without budgets.
      if (isNamed(err, "NotFoundException")) break;
      throw err;
    }
    for (const budget of page.Budgets ?? []) {
      const name = budget.BudgetName;
      if (!name) continue;
      const arn = budgetArn(account, name);
      const byName = name === expectedName;
      const budgetTagMap = await budgetTags(client, arn);
      if (budgetTagMap === undefined) continue;
      const byTags =
        budgetTagMap.get("project") === tags.project && budgetTagMap.get("stack") === tags.stack;
      if (byName || byTags) {
        const reason = [
          byName ? `named ${expectedName}` : "",
          byTags ? `tagged project=${tags.project} stack=${tags.stack}` : "",
        ]
          .filter((part) => part !== "")
          .join(", ");
        found.push({ arn, name, reason });
      }
    }
    token = page.NextToken || undefined;
  } while (token !== undefined);
  return found;
}

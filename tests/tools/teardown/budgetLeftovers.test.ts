import {
  AccessDeniedException,
  BudgetsClient,
  DescribeBudgetsCommand,
  ListTagsForResourceCommand,
  NotFoundException,
} from "@aws-sdk/client-budgets";
import { mockClient } from "aws-sdk-client-mock";
import type { AwsAccount } from "../../../tools/teardown/account";
import { AwsPermissionError } from "../../../tools/teardown/awsPermission";
import {
  budgetArn,
  findStackBudgets,
  stackBudgetName,
} from "../../../tools/teardown/budgetLeftovers";

const budgetsMock = mockClient(BudgetsClient);
const TAGS = { project: "whatsapp-bot", stack: "staging" };
const ACCOUNT: AwsAccount = { id: "123456789012", partition: "aws", source: "test" };
const arnOf = (name: string) => `arn:aws:budgets::123456789012:budget/${name}`;

/** A budget as DescribeBudgets returns it (no tags: those need ListTagsForResource). */
function budget(name: string) {
  return {
    BudgetName: name,
    BudgetType: "COST" as const,
    TimeUnit: "MONTHLY" as const,
    BudgetLimit: { Amount: "50", Unit: "USD" },
  };
}

const client = () => new BudgetsClient({ region: "eu-west-1" });

beforeEach(() => {
  budgetsMock.reset();
  budgetsMock.on(DescribeBudgetsCommand).resolves({ Budgets: [] });
  budgetsMock.on(ListTagsForResourceCommand).resolves({ ResourceTags: [] });
});

describe("findStackBudgets", () => {
  test("reports the budget named after the stack, on any page, with its ARN", async () => {
    budgetsMock
      .on(DescribeBudgetsCommand)
      .resolvesOnce({ Budgets: [budget("company-total")], NextToken: "n-1" })
      .resolvesOnce({ Budgets: [budget("whatsapp-bot-staging-spending")] });

    const found = await findStackBudgets(client(), ACCOUNT, TAGS);

    expect(found).toEqual([
      {
        name: "whatsapp-bot-staging-spending",
        arn: arnOf("whatsapp-bot-staging-spending"),
        reason: "named whatsapp-bot-staging-spending",
      },
    ]);
    const calls = budgetsMock.commandCalls(DescribeBudgetsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { AccountId: "123456789012", NextToken: undefined },
      { AccountId: "123456789012", NextToken: "n-1" },
    ]);
  });

  test("reports a budget by its tags, whatever its name, and says both when both match", async () => {
    budgetsMock.on(DescribeBudgetsCommand).resolves({
      Budgets: [budget("renamed-by-hand"), budget("whatsapp-bot-staging-spending")],
    });
    budgetsMock.on(ListTagsForResourceCommand).resolves({
      ResourceTags: [
        { Key: "project", Value: "whatsapp-bot" },
        { Key: "stack", Value: "staging" },
      ],
    });

    const found = await findStackBudgets(client(), ACCOUNT, TAGS);

    expect(found.map((b) => [b.name, b.reason])).toEqual([
      ["renamed-by-hand", "tagged project=whatsapp-bot stack=staging"],
      [
        "whatsapp-bot-staging-spending",
        "named whatsapp-bot-staging-spending, tagged project=whatsapp-bot stack=staging",
      ],
    ]);
    expect(
      budgetsMock.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input.ResourceARN),
    ).toEqual([arnOf("renamed-by-hand"), arnOf("whatsapp-bot-staging-spending")]);
  });

  test("does not report another stack's budget", async () => {
    budgetsMock.on(DescribeBudgetsCommand).resolves({
      Budgets: [budget("whatsapp-bot-prod-spending"), budget("whatsapp-bot-staging-2-spending")],
    });
    budgetsMock
      .on(ListTagsForResourceCommand, { ResourceARN: arnOf("whatsapp-bot-prod-spending") })
      .resolves({
        ResourceTags: [
          { Key: "project", Value: "whatsapp-bot" },
          { Key: "stack", Value: "prod" },
        ],
      });

    expect(await findStackBudgets(client(), ACCOUNT, TAGS)).toEqual([]);
  });

  test("an account without budgets (Budgets answers NotFoundException) has none left", async () => {
    budgetsMock
      .on(DescribeBudgetsCommand)
      .rejects(new NotFoundException({ message: "no budgets", $metadata: {} }));
    expect(await findStackBudgets(client(), ACCOUNT, TAGS)).toEqual([]);
  });

  test("skips a budget deleted between DescribeBudgets and ListTagsForResource", async () => {
    budgetsMock
      .on(DescribeBudgetsCommand)
      .resolves({ Budgets: [budget("whatsapp-bot-staging-spending")] });
    budgetsMock
      .on(ListTagsForResourceCommand)
      .rejects(new NotFoundException({ message: "gone", $metadata: {} }));
    expect(await findStackBudgets(client(), ACCOUNT, TAGS)).toEqual([]);
  });

  test.each([
    [
      "DescribeBudgets",
      "budgets:ViewBudget",
      (e: Error) => budgetsMock.on(DescribeBudgetsCommand).rejects(e),
    ],
    [
      "ListTagsForResource",
      "budgets:ListTagsForResource",
      (e: Error) => budgetsMock.on(ListTagsForResourceCommand).rejects(e),
    ],
  ])("a refused %s call names the permission it needs", async (_, permission, refuse) => {
    budgetsMock.on(DescribeBudgetsCommand).resolves({ Budgets: [budget("any")] });
    refuse(new AccessDeniedException({ message: "not authorized", $metadata: {} }));

    const failure = findStackBudgets(client(), ACCOUNT, TAGS);

    await expect(failure).rejects.toThrow(AwsPermissionError);
    await expect(failure).rejects.toThrow(permission);
  });
});

describe("budget names and ARNs", () => {
  test("the stack's budget is <project>-<stack>-spending", () => {
    expect(stackBudgetName({ project: "whatsapp-bot", stack: "pr-7" })).toBe(
      "whatsapp-bot-pr-7-spending",
    );
  });

  test("a budget ARN carries the partition and the account, and no region", () => {
    expect(budgetArn({ id: "111122223333", partition: "aws-cn", source: "x" }, "b")).toBe(
      "arn:aws-cn:budgets::111122223333:budget/b",
    );
  });
});

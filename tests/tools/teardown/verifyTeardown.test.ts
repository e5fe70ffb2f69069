import {
  AccessDeniedException,
  BudgetsClient,
  DescribeBudgetsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-budgets";
import {
  IAMClient,
  IAMServiceException,
  ListRolesCommand,
  ListRoleTagsCommand,
} from "@aws-sdk/client-iam";
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { mockClient } from "aws-sdk-client-mock";
import { EXIT, runTeardownCheck } from "../../../tools/teardown/cli";
import { createTwilioStandIn, type TwilioStandIn } from "../../helpers/twilio";

const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);
const iamMock = mockClient(IAMClient);
const budgetsMock = mockClient(BudgetsClient);
const API = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const ACCOUNT = "123456789012";

/** A role as ListRoles returns it. */
function role(name: string, account = ACCOUNT) {
  return {
    Path: "/",
    RoleName: name,
    RoleId: "AROA1",
    Arn: `arn:aws:iam::${account}:role/${name}`,
    CreateDate: new Date(0),
  };
}

/** A budget as DescribeBudgets returns it. */
function budget(name: string) {
  return { BudgetName: name, BudgetType: "COST" as const, TimeUnit: "MONTHLY" as const };
}

/** The tags the stack puts on every AWS resource. */
function stackTags(stack: string) {
  return [
    { Key: "project", Value: "whatsapp-bot" },
    { Key: "stack", Value: stack },
    { Key: "environment", Value: "review" },
  ];
}

/** Runs the command against the stand-in and the mocked AWS clients; collects its output. */
async function run(standIn: TwilioStandIn, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const code = await runTeardownCheck(argv, {
    env,
    twilio: () =>
      standIn.clientFactory({
        accountSid: standIn.accountSid,
        apiKey: standIn.credentials.apiKey,
        apiSecret: standIn.credentials.apiSecret,
      }),
    tagging: (region) => new ResourceGroupsTaggingAPIClient({ region }),
    iam: (region) => new IAMClient({ region }),
    budgets: (region) => new BudgetsClient({ region }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), sleeps };
}

/** The account after prod was deployed: prod's service holds the adopted WhatsApp sender. */
function accountWithProd(standIn: TwilioStandIn): { senderSid: string; numberSid: string } {
  const senderSid = standIn.seedSender({
    number: "+15005550006",
    webhook: { callback_url: `${API}/x` },
  });
  const numberSid = standIn.seedPhoneNumber("+15005550007");
  const prod = standIn.seedService("whatsapp-bot-prod");
  standIn.addToService(prod, senderSid);
  return { senderSid, numberSid };
}

beforeEach(() => {
  taggingMock.reset();
  taggingMock.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [], PaginationToken: "" });
  // Every account has roles of its own; none of them is the stack's.
  iamMock.reset();
  iamMock
    .on(ListRolesCommand)
    .resolves({ Roles: [role("github-actions-deploy")], IsTruncated: false });
  iamMock.on(ListRoleTagsCommand).resolves({ Tags: [], IsTruncated: false });
  budgetsMock.reset();
  budgetsMock.on(DescribeBudgetsCommand).resolves({ Budgets: [] });
  budgetsMock.on(ListTagsForResourceCommand).resolves({ ResourceTags: [] });
});

describe("verify-teardown", () => {
  test("exits 0 when nothing of the stack is left, while other stacks' objects stay untouched", async () => {
    const standIn = createTwilioStandIn();
    accountWithProd(standIn);
    standIn.seedService("whatsapp-bot-pr-70");

    const result = await run(standIn, ["--stack", "pr-7", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.clean);
    expect(result.out).toContain("Nothing of stack pr-7 is left");
    expect(result.out).toContain(`IAM roles and budgets of account ${ACCOUNT}`);
    expect(standIn.violations).toEqual([]);
    expect(iamMock.commandCalls(ListRolesCommand)).toHaveLength(1);
    expect(
      budgetsMock.commandCalls(DescribeBudgetsCommand).map((c) => c.args[0].input.AccountId),
    ).toEqual([ACCOUNT]);
    const calls = taggingMock.commandCalls(GetResourcesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.TagFilters).toEqual([
      { Key: "stack", Values: ["pr-7"] },
      { Key: "project", Values: ["whatsapp-bot"] },
    ]);
  });

  test("does not count staging-eu's usage triggers as leftovers of staging", async () => {
    const standIn = createTwilioStandIn();
    accountWithProd(standIn);
    standIn.seedService("whatsapp-bot-staging-eu");
    for (const percent of [80, 100]) {
      await standIn.client().usage.triggers.create({
        callbackUrl: `${API}/twilio/usage`,
        triggerValue: "40",
        usageCategory: "totalprice",
        friendlyName: `whatsapp-bot-staging-eu-spending ${percent}% of 50 USD`,
      });
    }

    const staging = await run(standIn, ["--stack", "staging", "--region", "eu-west-1"]);
    expect(staging.code).toBe(EXIT.clean);
    expect(staging.out).toContain("Nothing of stack staging is left");

    const stagingEu = await run(standIn, ["--stack", "staging-eu", "--region", "eu-west-1"]);
    expect(stagingEu.code).toBe(EXIT.leftovers);
    expect(stagingEu.out).toContain("whatsapp-bot-staging-eu-spending 80% of 50 USD");
    expect(stagingEu.out).toContain("whatsapp-bot-staging-eu-spending 100% of 50 USD");
  });

  test("reports a left-behind service, its pool, a usage trigger and tagged AWS resources, and exits non-zero", async () => {
    const standIn = createTwilioStandIn();
    const { numberSid } = accountWithProd(standIn);
    const reviewSender = standIn.seedSender({ number: "+15005550009" });
    const service = standIn.seedService("whatsapp-bot-pr-7");
    standIn.addToService(service, reviewSender);
    standIn.addToService(service, numberSid);
    const trigger = await standIn.client().usage.triggers.create({
      callbackUrl: `${API}/twilio/usage`,
      triggerValue: "10",
      usageCategory: "totalprice",
      friendlyName: "whatsapp-bot-pr-7-spending 80% of 50 USD",
    });
    await standIn.client().usage.triggers.create({
      callbackUrl: `${API}/twilio/usage`,
      triggerValue: "10",
      usageCategory: "totalprice",
      friendlyName: "whatsapp-bot-pr-71-spending 80% of 50 USD",
    });
    const lambdaArn = "arn:aws:lambda:eu-west-1:123456789012:function:whatsapp-bot-pr-7";
    const tableArn = "arn:aws:dynamodb:eu-west-1:123456789012:table/whatsapp-bot-pr-7-messages";
    taggingMock
      .on(GetResourcesCommand)
      .resolvesOnce({
        ResourceTagMappingList: [{ ResourceARN: lambdaArn }],
        PaginationToken: "page-2",
      })
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: tableArn }], PaginationToken: "" });
    standIn.resetCalls();

    const result = await run(standIn, ["--stack", "pr-7", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.leftovers);
    expect(result.out).toContain("Stack pr-7 left 6 thing(s) behind");
    expect(result.out).toContain(`[twilio] Messaging Service ${service}`);
    expect(result.out).toContain(`[twilio] sender pool membership ${reviewSender}`);
    expect(result.out).toContain(`[twilio] sender pool membership ${numberSid}`);
    expect(result.out).toContain(`[twilio] usage trigger ${trigger.sid}`);
    expect(result.out).not.toContain("pr-71");
    expect(result.out).toContain(`[aws] lambda:function ${lambdaArn}`);
    expect(result.out).toContain(`[aws] dynamodb:table ${tableArn}`);
    // It only reports: every leftover is still there afterwards.
    expect(standIn.writes()).toEqual([]);
    expect(standIn.state.services.has(service)).toBe(true);
    expect(standIn.state.channelSenders.get(service)?.has(reviewSender)).toBe(true);
    const pages = taggingMock
      .commandCalls(GetResourcesCommand)
      .map((c) => c.args[0].input.PaginationToken);
    expect(pages).toEqual([undefined, "page-2"]);
  });

  test("never modifies, nor even fetches, WhatsApp senders or phone numbers", async () => {
    const standIn = createTwilioStandIn();
    const { senderSid, numberSid } = accountWithProd(standIn);
    const service = standIn.seedService("whatsapp-bot-staging");
    standIn.addToService(service, numberSid);
    const sendersBefore = JSON.stringify([...standIn.state.senders]);
    const numbersBefore = JSON.stringify([...standIn.state.phoneNumbers]);
    standIn.resetCalls();

    const result = await run(standIn, ["--stack", "staging", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.leftovers);
    expect(standIn.calls.length).toBeGreaterThan(0);
    expect(standIn.writes()).toEqual([]);
    expect(standIn.calls.filter((c) => c.path.includes("/Channels/Senders"))).toEqual([]);
    expect(standIn.calls.filter((c) => c.path.includes("/IncomingPhoneNumbers"))).toEqual([]);
    expect(JSON.stringify([...standIn.state.senders])).toBe(sendersBefore);
    expect(JSON.stringify([...standIn.state.phoneNumbers])).toBe(numbersBefore);
    expect(
      standIn.state.channelSenders.get([...standIn.state.services.keys()][0])?.has(senderSid),
    ).toBe(true);
  });

  test("checks every --region given", async () => {
    const standIn = createTwilioStandIn();
    const result = await run(standIn, [
      "--stack",
      "dev",
      "--region",
      "eu-west-1",
      "--region",
      "us-east-1",
    ]);
    expect(result.code).toBe(EXIT.clean);
    expect(taggingMock.commandCalls(GetResourcesCommand)).toHaveLength(2);
  });

  test("with --wait-seconds, re-checks until the tagging index catches up with the deletion", async () => {
    const standIn = createTwilioStandIn();
    const arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/whatsapp-bot-dev";
    taggingMock
      .on(GetResourcesCommand)
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: arn }], PaginationToken: "" })
      .resolves({ ResourceTagMappingList: [], PaginationToken: "" });

    const result = await run(
      standIn,
      "--stack dev --region eu-west-1 --wait-seconds 60".split(" "),
    );

    expect(result.code).toBe(EXIT.clean);
    expect(result.sleeps).toEqual([15_000]);
    expect(result.err).toContain("1 left; checking again");
  });

  test("still fails once the wait is over and the resource is really there", async () => {
    const standIn = createTwilioStandIn();
    const arn = "arn:aws:sns:eu-west-1:123456789012:whatsapp-bot-dev-alerts";
    taggingMock
      .on(GetResourcesCommand)
      .resolves({ ResourceTagMappingList: [{ ResourceARN: arn }], PaginationToken: "" });

    const result = await run(
      standIn,
      "--stack dev --region eu-west-1 --wait-seconds 30".split(" "),
    );

    expect(result.code).toBe(EXIT.leftovers);
    expect(result.sleeps).toEqual([15_000, 15_000]);
    expect(result.out).toContain(arn);
  });

  test("exits 2, without leaking credentials, when Twilio cannot be read", async () => {
    const standIn = createTwilioStandIn();
    standIn.failNext({ status: 503, times: 5 });

    const result = await run(standIn, ["--stack", "dev", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.error);
    expect(result.err).toContain("verify-teardown could not complete");
    expect(result.err).not.toContain(standIn.credentials.apiSecret);
  });

  test("exits 2 on a bad command line", async () => {
    const standIn = createTwilioStandIn();
    const result = await run(standIn, ["--region", "eu-west-1"]);
    expect(result.code).toBe(EXIT.error);
    expect(result.err).toContain("--stack is required");
    expect(standIn.calls).toEqual([]);
  });
});

describe("verify-teardown, AWS's global services (IAM roles, budgets)", () => {
  test("lists the stack's leftover execution role, not another stack's, and exits 1", async () => {
    const standIn = createTwilioStandIn();
    iamMock
      .on(ListRolesCommand)
      .resolvesOnce({ Roles: [role("github-actions-deploy")], IsTruncated: true, Marker: "m-1" })
      .resolvesOnce({
        Roles: [role("whatsapp-bot-pr-7-role-1a2b3c4"), role("whatsapp-bot-pr-70-role-9f8e7d6")],
        IsTruncated: false,
      });
    iamMock
      .on(ListRoleTagsCommand, { RoleName: "whatsapp-bot-pr-7-role-1a2b3c4" })
      .resolves({ Tags: stackTags("pr-7"), IsTruncated: false });
    iamMock
      .on(ListRoleTagsCommand, { RoleName: "whatsapp-bot-pr-70-role-9f8e7d6" })
      .resolves({ Tags: stackTags("pr-70"), IsTruncated: false });

    const result = await run(standIn, ["--stack", "pr-7", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.leftovers);
    expect(result.out).toContain("Stack pr-7 left 1 thing(s) behind");
    expect(result.out).toContain(
      `[aws] iam:role arn:aws:iam::${ACCOUNT}:role/whatsapp-bot-pr-7-role-1a2b3c4`,
    );
    expect(result.out).not.toContain("pr-70");
    expect(iamMock.commandCalls(ListRolesCommand)).toHaveLength(2);
  });

  test("lists the stack's leftover budget, found on its second page, and exits 1", async () => {
    const standIn = createTwilioStandIn();
    budgetsMock
      .on(DescribeBudgetsCommand)
      .resolvesOnce({ Budgets: [budget("whatsapp-bot-prod-spending")], NextToken: "n-1" })
      .resolvesOnce({ Budgets: [budget("whatsapp-bot-staging-spending")] });

    const result = await run(standIn, ["--stack", "staging", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.leftovers);
    expect(result.out).toContain("Stack staging left 1 thing(s) behind");
    expect(result.out).toContain(
      `[aws] budgets:budget arn:aws:budgets::${ACCOUNT}:budget/whatsapp-bot-staging-spending ` +
        "(named whatsapp-bot-staging-spending; budgets are global)",
    );
    expect(result.out).not.toContain("whatsapp-bot-prod-spending");
    expect(
      budgetsMock.commandCalls(DescribeBudgetsCommand).map((c) => c.args[0].input.NextToken),
    ).toEqual([undefined, "n-1"]);
  });

  test("reads budgets of --account-id, else AWS_ACCOUNT_ID, when the account has no role to tell it", async () => {
    iamMock.on(ListRolesCommand).resolves({ Roles: [], IsTruncated: false });
    const argv = ["--stack", "dev", "--region", "eu-west-1"];

    const byFlag = await run(createTwilioStandIn(), [...argv, "--account-id", "111122223333"], {
      AWS_ACCOUNT_ID: "444455556666",
    });
    const byEnv = await run(createTwilioStandIn(), argv, { AWS_ACCOUNT_ID: "444455556666" });
    const neither = await run(createTwilioStandIn(), argv);

    expect([byFlag.code, byEnv.code]).toEqual([EXIT.clean, EXIT.clean]);
    expect(
      budgetsMock.commandCalls(DescribeBudgetsCommand).map((c) => c.args[0].input.AccountId),
    ).toEqual(["111122223333", "444455556666"]);
    expect(neither.code).toBe(EXIT.error);
    expect(neither.err).toContain("pass --account-id");
  });

  test("exits 2 when --account-id is not the account the credentials are in", async () => {
    const result = await run(createTwilioStandIn(), [
      "--stack",
      "dev",
      "--region",
      "eu-west-1",
      "--account-id",
      "999999999999",
    ]);
    expect(result.code).toBe(EXIT.error);
    expect(result.err).toContain(`the AWS credentials are for account ${ACCOUNT}`);
    expect(budgetsMock.commandCalls(DescribeBudgetsCommand)).toEqual([]);
  });

  test.each([
    [
      "iam:ListRoles",
      () =>
        iamMock.on(ListRolesCommand).rejects(
          new IAMServiceException({
            name: "AccessDenied",
            $fault: "client",
            $metadata: { httpStatusCode: 403 },
            message: "User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized",
          }),
        ),
    ],
    [
      "budgets:ViewBudget",
      () =>
        budgetsMock
          .on(DescribeBudgetsCommand)
          .rejects(new AccessDeniedException({ message: "not authorized", $metadata: {} })),
    ],
    [
      "tag:GetResources",
      () =>
        taggingMock.on(GetResourcesCommand).rejects(
          Object.assign(new Error("not authorized to perform: tag:GetResources"), {
            name: "AccessDeniedException",
          }),
        ),
    ],
  ])("exits 2 naming %s when AWS refuses it", async (permission, refuse) => {
    refuse();
    const result = await run(createTwilioStandIn(), ["--stack", "dev", "--region", "eu-west-1"]);
    expect(result.code).toBe(EXIT.error);
    expect(result.err).toContain(`AWS denied ${permission}`);
    expect(result.err).toContain(`give the role that runs verify-teardown the ${permission}`);
    expect(result.out).not.toContain("Nothing of stack");
  });
});

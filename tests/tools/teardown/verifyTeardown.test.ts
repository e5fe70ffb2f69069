import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { mockClient } from "aws-sdk-client-mock";
import { EXIT, runTeardownCheck } from "../../../tools/teardown/cli";
import { createTwilioStandIn, TwilioStandIn } from "../../helpers/twilio";

const taggingMock = mockClient(ResourceGroupsTaggingAPIClient);
const API = "https://abc123.execute-api.eu-west-1.amazonaws.com";

/** Runs the command against the stand-in and the mocked tagging API; collects its output. */
async function run(standIn: TwilioStandIn, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const code = await runTeardownCheck(argv, {
    env: {},
    twilio: () =>
      standIn.clientFactory({
        accountSid: standIn.accountSid,
        apiKey: standIn.credentials.apiKey,
        apiSecret: standIn.credentials.apiSecret,
      }),
    tagging: (region) => new ResourceGroupsTaggingAPIClient({ region }),
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
});

describe("verify-teardown", () => {
  test("exits 0 when nothing of the stack is left, while other stacks' objects stay untouched", async () => {
    const standIn = createTwilioStandIn();
    accountWithProd(standIn);
    standIn.seedService("whatsapp-bot-pr-70");

    const result = await run(standIn, ["--stack", "pr-7", "--region", "eu-west-1"]);

    expect(result.code).toBe(EXIT.clean);
    expect(result.out).toContain("Nothing of stack pr-7 is left");
    expect(standIn.violations).toEqual([]);
    const calls = taggingMock.commandCalls(GetResourcesCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0].args[0].input.TagFilters).toEqual([
      { Key: "stack", Values: ["pr-7"] },
      { Key: "project", Values: ["whatsapp-bot"] },
    ]);
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

    const result = await run(standIn, [
      "--stack",
      "dev",
      "--region",
      "eu-west-1",
      "--wait-seconds",
      "60",
    ]);

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

    const result = await run(standIn, [
      "--stack",
      "dev",
      "--region",
      "eu-west-1",
      "--wait-seconds",
      "30",
    ]);

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

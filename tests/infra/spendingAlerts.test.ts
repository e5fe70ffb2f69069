import { expect } from "@jest/globals";
import type * as pulumi from "@pulumi/pulumi";
import { validateUsageTrigger, type UsageTriggerInputs } from "../../infra/twilio/usageTrigger";
import {
  SpendingAlertsArgsError,
  budgetsTopicPolicy,
  checkSpendingAlertsArgs,
  triggerValueFor,
  type SpendingAlertsArgs,
} from "../../infra/spendingAlerts";
import {
  MOCK_ACCOUNT,
  MOCK_REGION,
  PulumiRecorder,
  fakeHex,
  loadProgram,
  valueOf,
} from "../helpers/pulumiMocks";

const STACK = "unit";
const NAME = `whatsapp-bot-${STACK}-spending`;
const ENDPOINT = `https://${fakeHex("api", 10)}.execute-api.${MOCK_REGION}.amazonaws.com`;
const EMAIL = "ops@example.com";
const TAGS = { project: "whatsapp-bot", stack: STACK, environment: "dev", team: "bots" };
// pulumi.dynamic.Resource with module "twilio" registers `pulumi-nodejs:dynamic/twilio:<Class>`.
const TRIGGER = "pulumi-nodejs:dynamic/twilio:UsageTrigger";
const COMPONENT_URN = `urn:pulumi:${STACK}::whatsapp-bot::whatsapp-bot:index:SpendingAlerts::${NAME}`;

/** The shared recorder, answering usage triggers with a SID as Twilio would. */
class Recorder extends PulumiRecorder {
  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const result = super.newResource(args);
    if (args.type !== TRIGGER) return result;
    const state = { ...result.state, sid: `UT${fakeHex(args.name)}` };
    const last = this.resources.length - 1;
    this.resources[last] = { ...this.resources[last], state };
    return { ...result, state };
  }
}

const BASE: SpendingAlertsArgs = {
  budgetUsd: 200,
  alertEmail: EMAIL,
  stack: STACK,
  environment: "dev",
  tags: TAGS,
};

/** Builds the component alone under the mocks and waits for every output it exposes. */
async function build(
  recorder: Recorder,
  overrides: Partial<SpendingAlertsArgs> = {},
  apiEndpoint = ENDPOINT,
) {
  const alerts = await loadProgram(
    recorder,
    async () => {
      const { SpendingAlerts } = await import("../../infra/spendingAlerts");
      return new SpendingAlerts(NAME, { ...BASE, ...overrides }).watch(apiEndpoint);
    },
    { stack: STACK, config: {}, secretKeys: [] },
  );
  const outputs = {
    topicArn: await valueOf(alerts.topicArn),
    triggerSids: await valueOf(alerts.triggerSids),
    budgetName: await valueOf(alerts.budgetName),
  };
  await recorder.settle();
  return { alerts: alerts, outputs };
}

function customResources(recorder: Recorder) {
  return recorder.resources.filter((r) => r.custom);
}

describe("SpendingAlerts with a 200 USD budget, default thresholds and an e-mail", () => {
  const recorder = new Recorder();
  let outputs: Awaited<ReturnType<typeof build>>["outputs"];
  const topicArn = `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT}:${NAME}`;

  beforeAll(async () => {
    ({ outputs } = await build(recorder));
  });

  test("one Twilio trigger per threshold on the month's total price, at 50/80/100 %", () => {
    const triggers = recorder.ofType(TRIGGER).map((t) => t.inputs);
    expect(triggers.map((t) => t.triggerValue)).toEqual(["100", "160", "200"]);
    for (const trigger of triggers) {
      expect(trigger).toMatchObject({
        usageCategory: "totalprice",
        triggerBy: "price",
        recurring: "monthly",
        callbackMethod: "POST",
      });
      // What the provider's `check` would say before any Twilio call.
      expect(validateUsageTrigger(trigger as unknown as UsageTriggerInputs)).toEqual([]);
    }
  });

  test("every trigger calls the deployed route: API endpoint + /twilio/usage, https", () => {
    const urls = recorder.ofType(TRIGGER).map((t) => t.inputs.callbackUrl);
    expect(urls).toEqual([1, 2, 3].map(() => `${ENDPOINT}/twilio/usage`));
    expect(new URL(String(urls[0])).protocol).toBe("https:");
  });

  test("the triggers' SIDs are the component's output, in threshold order", () => {
    const sids = recorder.ofType(TRIGGER).map((t) => t.state.sid);
    expect(sids).toHaveLength(3);
    expect(outputs.triggerSids).toEqual(sids);
    for (const sid of outputs.triggerSids ?? []) expect(sid).toMatch(/^UT[0-9a-f]{32}$/);
  });

  test("the topic's name carries the stack, it is tagged, and its ARN is the output", () => {
    const topic = recorder.one("aws:sns/topic:Topic");
    expect(topic.inputs.name).toBe(NAME);
    expect(topic.inputs.tags).toEqual(TAGS);
    expect(outputs.topicArn).toBe(topicArn);
  });

  test("only AWS Budgets of this account may publish to the topic", () => {
    const policy = recorder.one("aws:sns/topicPolicy:TopicPolicy").inputs;
    expect(policy.arn).toBe(topicArn);
    expect((JSON.parse(String(policy.policy)) as { Statement: unknown }).Statement).toEqual([
      {
        Sid: "AwsBudgetsPublish",
        Effect: "Allow",
        Principal: { Service: "budgets.amazonaws.com" },
        Action: "SNS:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT },
          ArnLike: { "aws:SourceArn": `arn:aws:budgets::${MOCK_ACCOUNT}:*` },
        },
      },
    ]);
  });

  test("the e-mail subscribes to the topic for the bot's Twilio alerts only", () => {
    const subscription = recorder.one("aws:sns/topicSubscription:TopicSubscription").inputs;
    expect(subscription).toMatchObject({ topic: topicArn, protocol: "email", endpoint: EMAIL });
    expect(JSON.parse(String(subscription.filterPolicy))).toEqual({
      source: ["twilio-usage-trigger"],
    });
  });

  test("the budget counts this stack's tagged costs monthly, notifying e-mail and topic", () => {
    const budget = recorder.one("aws:budgets/budget:Budget").inputs;
    expect(budget).toMatchObject({
      name: NAME,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "200",
      limitUnit: "USD",
      costFilters: [{ name: "TagKeyValue", values: [`user:stack$${STACK}`] }],
      tags: TAGS,
    });
    expect(budget.notifications).toEqual(
      [50, 80, 100].map((threshold) => ({
        notificationType: "ACTUAL",
        comparisonOperator: "GREATER_THAN",
        threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: [EMAIL],
        subscriberSnsTopicArns: [topicArn],
      })),
    );
    expect(outputs.budgetName).toBe(NAME);
  });

  test("every child is parented to the component and named from its name", () => {
    const children = customResources(recorder);
    expect(children.map((c) => c.type).sort()).toEqual([
      "aws:budgets/budget:Budget",
      "aws:sns/topic:Topic",
      "aws:sns/topicPolicy:TopicPolicy",
      "aws:sns/topicSubscription:TopicSubscription",
      TRIGGER,
      TRIGGER,
      TRIGGER,
    ]);
    for (const child of children) {
      expect({ name: child.name, parent: child.parent }).toEqual({
        name: expect.stringMatching(new RegExp(`^${NAME}-`)),
        parent: COMPONENT_URN,
      });
    }
  });
});

describe("SpendingAlerts with custom thresholds and no e-mail", () => {
  const recorder = new Recorder();

  beforeAll(async () => {
    await build(
      recorder,
      { budgetUsd: 33.33, thresholdsPercent: [75, 25], alertEmail: undefined },
      `${ENDPOINT}/`,
    );
  });

  test("trigger values are whole cents of the budget, lowest threshold first", () => {
    expect(recorder.ofType(TRIGGER).map((t) => t.inputs.triggerValue)).toEqual(["8.33", "25"]);
  });

  test("a trailing slash on the endpoint does not double the route's slash", () => {
    for (const trigger of recorder.ofType(TRIGGER)) {
      expect(trigger.inputs.callbackUrl).toBe(`${ENDPOINT}/twilio/usage`);
    }
  });

  test("without an e-mail there is no subscription and the budget notifies the topic only", () => {
    expect(recorder.ofType("aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
    const notifications = recorder.one("aws:budgets/budget:Budget").inputs.notifications as Record<
      string,
      unknown
    >[];
    expect(notifications.map((n) => n.threshold)).toEqual([25, 75]);
    for (const notification of notifications) {
      expect(notification.subscriberEmailAddresses).toBeUndefined();
      expect(notification.subscriberSnsTopicArns).toEqual([
        `arn:aws:sns:${MOCK_REGION}:${MOCK_ACCOUNT}:${NAME}`,
      ]);
    }
  });
});

describe("SpendingAlerts built before the API it calls back", () => {
  // The Lambda needs the topic's ARN and the triggers need the API's endpoint, so infra/index.ts
  // builds this component first and hands it the endpoint once the API exists.
  const recorder = new Recorder();

  beforeAll(async () => {
    await loadProgram(
      recorder,
      async () => {
        const aws = await import("@pulumi/aws");
        const { SpendingAlerts } = await import("../../infra/spendingAlerts");
        const alerts = new SpendingAlerts(NAME, BASE);
        // Stands in for the bot: it consumes the topic ARN (as the Lambda's env does) and serves
        // the endpoint, so a cycle between the two would hang here.
        const api = new aws.apigatewayv2.Api("api", {
          protocolType: "HTTP",
          tags: { ALERT_TOPIC_ARN: alerts.topicArn as pulumi.Output<string> },
        });
        alerts.watch(api.apiEndpoint);
        await Promise.all([valueOf(alerts.triggerSids), valueOf(api.apiEndpoint)]);
        return alerts;
      },
      { stack: STACK, config: {}, secretKeys: [] },
    );
  });

  test("the triggers call the endpoint of the API created after them", () => {
    const api = recorder.one("aws:apigatewayv2/api:Api").state;
    expect(api.apiEndpoint).toMatch(/^https:\/\//);
    const urls = recorder.ofType(TRIGGER).map((t) => t.inputs.callbackUrl);
    expect(urls).toEqual([1, 2, 3].map(() => `${api.apiEndpoint as string}/twilio/usage`));
  });
});

describe("SpendingAlerts switched off", () => {
  test.each<[string, Partial<SpendingAlertsArgs>]>([
    ["no budget is set", { budgetUsd: undefined }],
    ["the stack is a review stack, even with a budget", { environment: "review" }],
  ])("creates nothing when %s", async (_name, overrides) => {
    const recorder = new Recorder();
    const { alerts, outputs } = await build(recorder, overrides);
    expect(alerts.enabled).toBe(false);
    expect(customResources(recorder)).toEqual([]);
    expect(recorder.resources.map((r) => r.type)).toEqual(["whatsapp-bot:index:SpendingAlerts"]);
    expect(alerts.topicArn).toBeUndefined();
    expect(outputs.triggerSids).toEqual([]);
  });
});

describe("SpendingAlerts.watch", () => {
  test("a second call is refused: the triggers and the budget exist once", async () => {
    const { alerts } = await build(new Recorder());
    expect(() => alerts.watch(ENDPOINT)).toThrow("[watch] was already called");
  });
});

describe("checkSpendingAlertsArgs", () => {
  test.each<[string, Partial<SpendingAlertsArgs>, string]>([
    ["a zero budget", { budgetUsd: 0 }, "[budgetUsd]"],
    ["a negative budget", { budgetUsd: -5 }, "[budgetUsd]"],
    ["no thresholds", { thresholdsPercent: [] }, "[thresholdsPercent]"],
    [
      "eleven thresholds",
      { thresholdsPercent: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] },
      "[thresholdsPercent]",
    ],
    ["a zero threshold", { thresholdsPercent: [0, 50] }, "[thresholdsPercent]"],
    ["a repeated threshold", { thresholdsPercent: [80, 80] }, "[thresholdsPercent]"],
    [
      "a threshold under a cent",
      { budgetUsd: 0.01, thresholdsPercent: [10] },
      "[thresholdsPercent]",
    ],
    ["an e-mail without a domain", { alertEmail: "ops@" }, "[alertEmail]"],
    ["tags without the stack tag", { tags: { project: "whatsapp-bot" } }, "[tags]"],
    ["a stack tag naming another stack", { tags: { ...TAGS, stack: "prod" } }, "[tags]"],
  ])("refuses %s, naming the argument", (_name, overrides, argument) => {
    const run = () => checkSpendingAlertsArgs({ ...BASE, ...overrides });
    expect(run).toThrow(SpendingAlertsArgsError);
    expect(run).toThrow(argument);
  });

  test("returns the thresholds in ascending order", () => {
    expect(checkSpendingAlertsArgs({ ...BASE, thresholdsPercent: [100, 50, 80] })).toEqual([
      50, 80, 100,
    ]);
  });
});

describe("triggerValueFor", () => {
  test.each([
    [200, 50, "100"],
    [100, 80, "80"],
    [33.33, 25, "8.33"],
    [10, 15, "1.5"],
    [1, 5, "0.05"],
    [1000, 120, "1200"],
  ])("%s USD at %s%% is %s", (budget, percent, expected) => {
    expect(triggerValueFor(budget, percent)).toBe(expected);
  });
});

describe("budgetsTopicPolicy", () => {
  test("reads the account from the topic's ARN", () => {
    const policy = JSON.parse(budgetsTopicPolicy("arn:aws:sns:us-east-1:111122223333:t")) as {
      Statement: Array<{ Condition: { StringEquals: Record<string, string> } }>;
    };
    expect(policy.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toBe("111122223333");
  });
});

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ALERT_SOURCE_ATTRIBUTE, TWILIO_USAGE_SOURCE } from "../lambda/alerts/attributes";
import { DEFAULT_THRESHOLDS_PERCENT, MAX_THRESHOLDS } from "./configSchema";
import { USAGE_ROUTE } from "./routes";
import { UsageTrigger } from "./twilio";

/** The tag every AWS resource of a stack carries with the stack's name. */
export const STACK_COST_TAG = "stack";

/** Spending alerts of one stack; off (nothing created) without a budget and in review stacks. */
export interface SpendingAlertsArgs {
  /** Monthly budget in USD; undefined turns spending alerts off. */
  readonly budgetUsd?: number;
  /** Alert thresholds in percent of the budget (default 50, 80, 100). */
  readonly thresholdsPercent?: readonly number[];
  /** E-mail address for alerts; undefined leaves the topic without a subscriber. */
  readonly alertEmail?: string;
  /** The stack name: the budget counts costs tagged `stack=<stack>`. */
  readonly stack: string;
  /** `whatsapp-bot:environment`; review stacks never get spending alerts. */
  readonly environment: string;
  /** Tags for every taggable AWS resource. */
  readonly tags: Record<string, string>;
}

/** Raised when the arguments cannot describe a budget; the message names the argument. */
export class SpendingAlertsArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpendingAlertsArgsError";
  }
}

/** Whether a stack with these arguments gets spending alerts at all. */
export function spendingAlertsEnabled(
  args: Pick<SpendingAlertsArgs, "budgetUsd" | "environment">,
): boolean {
  return args.budgetUsd !== undefined && args.environment !== "review";
}

/** The Twilio trigger value for `percent` of `budgetUsd`: whole cents, plain decimal notation. */
export function triggerValueFor(budgetUsd: number, percent: number): string {
  const cents = Math.round(budgetUsd * percent);
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the arguments of an enabled component, throwing with the argument's name in brackets. */
export function checkSpendingAlertsArgs(args: SpendingAlertsArgs): readonly number[] {
  const budget = args.budgetUsd;
  if (budget === undefined || !Number.isFinite(budget) || budget <= 0) {
    throw new SpendingAlertsArgsError(
      `[budgetUsd] must be a positive number of USD, got ${budget}`,
    );
  }
  const thresholds = args.thresholdsPercent ?? DEFAULT_THRESHOLDS_PERCENT;
  if (thresholds.length === 0 || thresholds.length > MAX_THRESHOLDS) {
    throw new SpendingAlertsArgsError(
      `[thresholdsPercent] must list 1 to ${MAX_THRESHOLDS} percentages, got ${thresholds.length}`,
    );
  }
  for (const percent of thresholds) {
    if (!Number.isFinite(percent) || percent <= 0 || percent > 1000) {
      throw new SpendingAlertsArgsError(
        `[thresholdsPercent] values must be percentages above 0 and at most 1000, got ${percent}`,
      );
    }
    if (Math.round(budget * percent) < 1) {
      throw new SpendingAlertsArgsError(
        `[thresholdsPercent] ${percent}% of ${budget} USD is less than one cent`,
      );
    }
  }
  if (new Set(thresholds).size !== thresholds.length) {
    throw new SpendingAlertsArgsError(
      `[thresholdsPercent] lists a value twice: ${thresholds.join(", ")}`,
    );
  }
  if (args.alertEmail !== undefined && !EMAIL.test(args.alertEmail)) {
    throw new SpendingAlertsArgsError(
      `[alertEmail] is not an e-mail address: "${args.alertEmail}"`,
    );
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(args.stack)) {
    throw new SpendingAlertsArgsError(`[stack] is not a stack name: "${args.stack}"`);
  }
  if (args.tags[STACK_COST_TAG] !== args.stack) {
    // The budget filters on this tag: without it on the resources, it would count nothing.
    throw new SpendingAlertsArgsError(
      `[tags] must include ${STACK_COST_TAG}=${args.stack}, the tag the budget filters on`,
    );
  }
  return [...thresholds].sort((a, b) => a - b);
}

/**
 * The SNS topic policy letting AWS Budgets publish, limited to budgets of the topic's own account
 * (the condition AWS documents for budget notification topics). The account is read off the ARN.
 */
export function budgetsTopicPolicy(topicArn: string): string {
  const account = topicArn.split(":")[4];
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AwsBudgetsPublish",
        Effect: "Allow",
        Principal: { Service: "budgets.amazonaws.com" },
        Action: "SNS:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": account },
          ArnLike: { "aws:SourceArn": `arn:aws:budgets::${account}:*` },
        },
      },
    ],
  });
}

/**
 * Spending alerts as code, built in two steps so the bot can take the topic before the API exists:
 * the constructor creates an SNS topic (with an optional e-mail subscription), one Twilio usage
 * trigger per threshold on the account's monthly total price, each calling the bot's signed
 * `POST /twilio/usage` route (which publishes to the topic), and an AWS Budget on the costs tagged
 * with this stack, notifying the topic and the e-mail at the same thresholds. {@link watch} adds the
 * triggers and the budget once the API's endpoint is known.
 *
 * Twilio usage is per account: the triggers watch the whole Twilio account (or subaccount) the
 * stack deploys into. The budget counts only costs carrying the `stack` tag, which must be
 * activated once per AWS account as a cost allocation tag (Billing console, or
 * `aws ce update-cost-allocation-tags-status`); until then the budget sees no costs.
 */
export class SpendingAlerts extends pulumi.ComponentResource {
  /** Whether anything was created (a budget is set and the stack is not a review stack). */
  declare readonly enabled: boolean;
  /** The alert topic's ARN (the Lambda's `ALERT_TOPIC_ARN`); undefined when off. */
  declare readonly topicArn: pulumi.Output<string> | undefined;
  /** The usage triggers' SIDs (UT…), in ascending threshold order; empty when off. */
  declare triggerSids: pulumi.Output<string[]>;
  /** The AWS budget's name; undefined when off. */
  declare budgetName: pulumi.Output<string> | undefined;
  /** What {@link watch} needs from the constructor; undefined when off. */
  declare private pending:
    | {
        name: string;
        thresholds: readonly number[];
        budgetUsd: number;
        args: SpendingAlertsArgs;
        topicArn: pulumi.Output<string>;
        topicPolicy: aws.sns.TopicPolicy;
      }
    | undefined;
  declare private watched: boolean | undefined;

  constructor(name: string, args: SpendingAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-bot:index:SpendingAlerts", name, {}, opts);
    this.enabled = spendingAlertsEnabled(args);
    if (!this.enabled) return;
    const thresholds = checkSpendingAlertsArgs(args);
    const budgetUsd = args.budgetUsd as number;
    const parent = { parent: this };

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name, displayName: `Spending alerts ${args.stack}`, tags: args.tags },
      parent,
    );
    const topicPolicy = new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      { arn: topic.arn, policy: topic.arn.apply(budgetsTopicPolicy) },
      parent,
    );
    if (args.alertEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-email`,
        {
          topic: topic.arn,
          protocol: "email",
          endpoint: args.alertEmail,
          // Budgets e-mail the address themselves; only the bot's Twilio alerts go through here.
          filterPolicy: JSON.stringify({ [ALERT_SOURCE_ATTRIBUTE]: [TWILIO_USAGE_SOURCE] }),
          filterPolicyScope: "MessageAttributes",
        },
        parent,
      );
    }

    this.topicArn = topic.arn;
    this.pending = { name, thresholds, budgetUsd, args, topicArn: topic.arn, topicPolicy };
  }

  /**
   * Adds what calls back into the bot: the usage triggers (calling `apiEndpoint` + the usage route)
   * and the budget, then registers the outputs. Called once, after the API exists, so the bot can
   * take {@link topicArn} first without a cycle. A no-op when off.
   */
  watch(apiEndpoint: pulumi.Input<string>): this {
    if (this.watched) throw new SpendingAlertsArgsError("[watch] was already called");
    this.watched = true;
    if (this.pending === undefined) {
      this.triggerSids = pulumi.output([]);
      this.registerOutputs({ triggerSids: this.triggerSids });
      return this;
    }
    const { name, thresholds, budgetUsd, args, topicArn, topicPolicy } = this.pending;
    const parent = { parent: this };
    const callbackUrl = pulumi
      .output(apiEndpoint)
      .apply((endpoint) => `${endpoint.replace(/\/+$/, "")}${USAGE_ROUTE}`);
    const triggers = thresholds.map(
      (percent) =>
        new UsageTrigger(
          `${name}-twilio-${percent}pct`,
          {
            callbackUrl,
            callbackMethod: "POST",
            triggerValue: triggerValueFor(budgetUsd, percent),
            usageCategory: "totalprice",
            recurring: "monthly",
            triggerBy: "price",
            friendlyName: usageTriggerName(name, percent, budgetUsd),
          },
          parent,
        ),
    );

    const budget = new aws.budgets.Budget(
      `${name}-budget`,
      {
        name,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: String(budgetUsd),
        limitUnit: "USD",
        // Cost allocation tags appear in Billing as `user:<key>`; `$` separates key and value.
        costFilters: [{ name: "TagKeyValue", values: [`user:${STACK_COST_TAG}$${args.stack}`] }],
        notifications: thresholds.map((percent) => ({
          notificationType: "ACTUAL",
          comparisonOperator: "GREATER_THAN",
          threshold: percent,
          thresholdType: "PERCENTAGE",
          subscriberSnsTopicArns: [topicArn],
          ...(args.alertEmail !== undefined ? { subscriberEmailAddresses: [args.alertEmail] } : {}),
        })),
        tags: args.tags,
      },
      // Budgets check that they may publish to the topic when the notification is created.
      { parent: this, dependsOn: [topicPolicy] },
    );

    this.triggerSids = pulumi.all(triggers.map((trigger) => trigger.sid));
    this.budgetName = budget.name;
    this.registerOutputs({
      topicArn: this.topicArn,
      triggerSids: this.triggerSids,
      budgetName: this.budgetName,
    });
    return this;
  }
}

/**
 * A usage trigger's friendly name: the component's name (`whatsapp-bot-<stack>-spending`), a space,
 * then the threshold, cut to Twilio's 64 characters. verify-teardown matches the part before the
 * space exactly, which the cut never reaches (a 32-character stack name makes it 54 long).
 */
export function usageTriggerName(
  componentName: string,
  percent: number,
  budgetUsd: number,
): string {
  return `${componentName} ${percent}% of ${budgetUsd} USD`.slice(0, 64);
}

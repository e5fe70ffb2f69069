import * as pulumi from "@pulumi/pulumi";
import type {
  TriggerRecurring,
  TriggerTriggerField,
} from "twilio/lib/rest/api/v2010/account/usage/trigger";
import {
  accountSidOf,
  callTwilio,
  configureTwilio,
  createOrTakeOver,
  isNotFound,
  twilioClient,
} from "./client";
import { changedProperties, PROVIDER_VERSION, type PropertyDiff } from "./state";
import {
  checkEnum,
  checkHttpsUrl,
  checkString,
  UNKNOWN,
  type ValidationFailure,
} from "./validation";
import { propertyDiff, validatingCheck } from "./providerParts";

/** How often a trigger re-arms; the values of the SDK's `TriggerRecurring`. */
const RECURRING = ["daily", "monthly", "yearly", "alltime"] as const satisfies TriggerRecurring[];
/** Which usage field is compared; the values of the SDK's `TriggerTriggerField`. */
const TRIGGER_FIELDS = ["count", "usage", "price"] as const satisfies TriggerTriggerField[];

/**
 * The SDK types a usage category as a plain string and Twilio adds categories often, so check only
 * their shape (`totalprice`, `channels-whatsapp`); Twilio itself refuses an unknown one at create.
 */
const USAGE_CATEGORY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A usage trigger (api v2010 `Accounts/{sid}/Usage/Triggers`): Twilio calls a URL when spend or use crosses a value. */
export interface UsageTriggerArgs {
  /** URL Twilio calls when the trigger fires (https). */
  readonly callbackUrl: pulumi.Input<string>;
  /** Method for `callbackUrl`: GET or POST (Twilio's default POST). */
  readonly callbackMethod?: pulumi.Input<"GET" | "POST">;
  /** The value that fires the trigger, as a decimal string (e.g. "25" dollars for `price`). */
  readonly triggerValue: pulumi.Input<string>;
  /** The usage category watched, e.g. `totalprice`. */
  readonly usageCategory: pulumi.Input<string>;
  /** How often the trigger re-arms: daily, monthly, yearly or alltime. */
  readonly recurring: pulumi.Input<TriggerRecurring>;
  /** Which usage field is compared: count, usage or price. */
  readonly triggerBy: pulumi.Input<TriggerTriggerField>;
  /** Name shown in the Console, up to 64 characters. */
  readonly friendlyName: pulumi.Input<string>;
}

/** Resolved inputs, as stored in state. */
export interface UsageTriggerInputs {
  callbackUrl: string;
  callbackMethod?: "GET" | "POST";
  triggerValue: string;
  usageCategory: string;
  recurring: TriggerRecurring;
  triggerBy: TriggerTriggerField;
  friendlyName: string;
  providerVersion?: number;
}

/** Outputs: the inputs plus the trigger SID (UT...). */
export interface UsageTriggerOutputs extends UsageTriggerInputs {
  sid: string;
}

/** Fields the Update operation accepts; the rest define the trigger and force a replacement. */
const UPDATABLE = ["callbackUrl", "callbackMethod", "friendlyName"] as const;
const DEFINING = ["triggerValue", "usageCategory", "recurring", "triggerBy"] as const;

/** Checks usage trigger inputs (no API call). */
export function validateUsageTrigger(news: Partial<UsageTriggerInputs>): ValidationFailure[] {
  const failures: ValidationFailure[] = [
    ...checkHttpsUrl("callbackUrl", news.callbackUrl, true),
    ...checkEnum("callbackMethod", news.callbackMethod, ["GET", "POST"]),
    ...checkUsageCategory(news.usageCategory),
    ...checkEnum("recurring", news.recurring, RECURRING, true),
    ...checkEnum("triggerBy", news.triggerBy, TRIGGER_FIELDS, true),
    // "It can be up to 64 characters long." (twilio_api_v2010.json, CreateUsageTrigger FriendlyName)
    ...checkString("friendlyName", news.friendlyName, { required: true, max: 64 }),
  ];
  const value = news.triggerValue;
  // Twilio also takes "+30" (30 above current usage), which would drift on every run: not declarative.
  if (
    value !== UNKNOWN &&
    (typeof value !== "string" || !/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) <= 0)
  ) {
    failures.push({
      property: "triggerValue",
      reason: `triggerValue must be a positive number written as a string, such as "25" or "7.5", got ${JSON.stringify(value)}`,
    });
  }
  return failures;
}

function checkUsageCategory(value: unknown): ValidationFailure[] {
  if (value === UNKNOWN || (typeof value === "string" && USAGE_CATEGORY.test(value))) return [];
  return [
    {
      property: "usageCategory",
      reason: `usageCategory must be a Twilio usage category such as totalprice, sms, channels-whatsapp; got ${JSON.stringify(value)}`,
    },
  ];
}

/** Which properties changed; the value, category, period and field define the trigger and replace it. */
export function diffUsageTrigger(olds: UsageTriggerInputs, news: UsageTriggerInputs): PropertyDiff {
  const changed = changedProperties(olds, news, [...UPDATABLE, ...DEFINING, "providerVersion"]);
  return { changed, replaces: changed.filter((k) => (DEFINING as readonly string[]).includes(k)) };
}

function pickInputs(inputs: UsageTriggerInputs): UsageTriggerInputs {
  const out: UsageTriggerInputs = {
    callbackUrl: inputs.callbackUrl,
    triggerValue: inputs.triggerValue,
    usageCategory: inputs.usageCategory,
    recurring: inputs.recurring,
    triggerBy: inputs.triggerBy,
    friendlyName: inputs.friendlyName,
    providerVersion: PROVIDER_VERSION,
  };
  if (inputs.callbackMethod !== undefined) out.callbackMethod = inputs.callbackMethod;
  return out;
}

/** The dynamic provider for UsageTrigger. */
export const usageTriggerProvider: pulumi.dynamic.ResourceProvider<
  UsageTriggerInputs,
  UsageTriggerOutputs
> = {
  configure: configureTwilio,
  check: validatingCheck<UsageTriggerInputs>(validateUsageTrigger),
  diff: propertyDiff<UsageTriggerInputs, UsageTriggerOutputs>(diffUsageTrigger),

  async create(inputs) {
    const client = twilioClient();
    const triggers = client.api.v2010.accounts(accountSidOf(client)).usage.triggers;
    const trigger = await createOrTakeOver(
      "usage trigger",
      inputs.friendlyName,
      () =>
        callTwilio(
          "create usage trigger",
          () =>
            triggers.create({
              callbackUrl: inputs.callbackUrl,
              ...(inputs.callbackMethod ? { callbackMethod: inputs.callbackMethod } : {}),
              triggerValue: inputs.triggerValue,
              usageCategory: inputs.usageCategory,
              recurring: inputs.recurring,
              triggerBy: inputs.triggerBy,
              friendlyName: inputs.friendlyName,
            }),
          { idempotent: false },
        ),
      async () =>
        (
          await callTwilio("list usage triggers", () => triggers.list({ limit: 1000 }), {
            idempotent: true,
          })
        ).filter((t) => t.friendlyName === inputs.friendlyName),
    );
    const outs = { ...pickInputs(inputs), sid: trigger.sid } satisfies UsageTriggerOutputs;
    return { id: trigger.sid, outs };
  },

  async read(id, props) {
    const client = twilioClient();
    try {
      const live = await callTwilio(
        "fetch usage trigger",
        () => client.api.v2010.accounts(accountSidOf(client)).usage.triggers(id).fetch(),
        { idempotent: true },
      );
      const outs = {
        ...(props as UsageTriggerOutputs),
        callbackUrl: live.callbackUrl,
        ...(props?.callbackMethod !== undefined
          ? { callbackMethod: live.callbackMethod as "GET" | "POST" }
          : {}),
        triggerValue: live.triggerValue,
        usageCategory: live.usageCategory,
        recurring: live.recurring,
        triggerBy: live.triggerBy,
        friendlyName: live.friendlyName,
        sid: live.sid,
      } satisfies UsageTriggerOutputs;
      return { id: live.sid, props: outs };
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
  },

  async update(id, olds, news) {
    const { changed } = diffUsageTrigger(olds, news);
    const params: Record<string, string> = {};
    for (const field of UPDATABLE) {
      const value = news[field];
      if (changed.includes(field) && value !== undefined) params[field] = value;
    }
    if (Object.keys(params).length > 0) {
      const client = twilioClient();
      await callTwilio(
        "update usage trigger",
        () =>
          client.api.v2010
            .accounts(accountSidOf(client))
            .usage.triggers(olds.sid ?? id)
            .update(params),
        { idempotent: true },
      );
    }
    const outs = { ...pickInputs(news), sid: olds.sid ?? id } satisfies UsageTriggerOutputs;
    return { outs };
  },

  async delete(id, props) {
    const client = twilioClient();
    try {
      await callTwilio(
        "delete usage trigger",
        () =>
          client.api.v2010
            .accounts(accountSidOf(client))
            .usage.triggers(props?.sid ?? id)
            .remove(),
        { idempotent: true },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

/** A Twilio usage trigger managed by the stack (spending alerts as code). */
export class UsageTrigger extends pulumi.dynamic.Resource {
  /** The trigger SID (UT...). */
  declare readonly sid: pulumi.Output<string>;
  /** The URL Twilio calls when the trigger fires. */
  declare readonly callbackUrl: pulumi.Output<string>;
  /** The firing value. */
  declare readonly triggerValue: pulumi.Output<string>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: UsageTriggerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      usageTriggerProvider,
      name,
      { ...args, providerVersion: PROVIDER_VERSION, sid: undefined },
      opts,
      "twilio",
      "UsageTrigger",
    );
  }
}

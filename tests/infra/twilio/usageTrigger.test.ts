import { expect } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import { SPEC_DIR } from "../../helpers/twilio/openApi";
import {
  diffUsageTrigger,
  usageTriggerProvider as provider,
  type UsageTriggerInputs,
  type UsageTriggerOutputs,
} from "../../../infra/twilio/usageTrigger";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { UNKNOWN } from "../../../infra/twilio/validation";

const base: UsageTriggerInputs = {
  callbackUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com/twilio/usage",
  callbackMethod: "POST",
  triggerValue: "25",
  usageCategory: "totalprice",
  recurring: "monthly",
  triggerBy: "price",
  friendlyName: "whatsapp-bot-dev monthly spend",
  providerVersion: PROVIDER_VERSION,
};

const standIn = useTwilioStandIn();
const createTrigger = () => createChecked(provider, base);

describe("UsageTrigger provider against the Twilio stand-in", () => {
  test("create makes one write under the account and reads back", async () => {
    const { id, outs } = await createTrigger();
    expect(id).toMatch(/^UT[0-9a-f]{32}$/);
    expect(
      standIn()
        .writes()
        .map((c) => c.path),
    ).toEqual([`/2010-04-01/Accounts/${standIn().accountSid}/Usage/Triggers.json`]);
    expect(standIn().state.triggers.get(id)).toMatchObject({
      trigger_value: "25",
      usage_category: "totalprice",
      recurring: "monthly",
      trigger_by: "price",
    });
    expect((await provider.read!(id, outs)).props).toEqual(outs);
  });

  test("an up with nothing changed makes no call", async () => {
    const { id, outs } = await createTrigger();
    standIn().resetCalls();
    expect(await provider.diff!(id, outs, { ...base })).toEqual({ changes: false, replaces: [] });
    await provider.update!(id, outs, { ...base });
    expect(standIn().calls).toHaveLength(0);
  });

  test("a new callback URL is one in-place write", async () => {
    const { id, outs } = await createTrigger();
    standIn().resetCalls();
    const news = { ...base, callbackUrl: "https://new.example.com/twilio/usage" };
    expect(await provider.diff!(id, outs, news)).toEqual({ changes: true, replaces: [] });
    await provider.update!(id, outs, news);
    expect(
      standIn()
        .writes()
        .map((c) => c.body),
    ).toEqual([{ CallbackUrl: "https://new.example.com/twilio/usage" }]);
    expect(standIn().state.triggers.get(id)?.callback_url).toBe(
      "https://new.example.com/twilio/usage",
    );
  });

  test.each([
    ["triggerValue", "50"],
    ["usageCategory", "sms"],
    ["recurring", "daily"],
    ["triggerBy", "count"],
  ])("changing %s replaces the trigger (the Update operation cannot change it)", (field, value) => {
    expect(diffUsageTrigger(base, { ...base, [field]: value })).toEqual({
      changed: [field],
      replaces: [field],
    });
  });

  test("delete removes the trigger and tolerates one already gone", async () => {
    const { id, outs } = await createTrigger();
    await provider.delete!(id, outs);
    expect(standIn().state.triggers.size).toBe(0);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
    expect(await provider.read!(id, outs)).toEqual({});
  });

  test("delete works from the id alone (state from before the provider version)", async () => {
    const { id } = await createTrigger();
    await provider.delete!(id, {} as UsageTriggerOutputs);
    expect(standIn().state.triggers.size).toBe(0);
  });

  test("values unknown during preview pass check and count as changes", async () => {
    const olds = { ...base, sid: "UT" + "a".repeat(32) };
    const news = { ...base, callbackUrl: UNKNOWN, triggerValue: UNKNOWN };
    expect((await provider.check!(base, news)).failures).toEqual([]);
    expect(await provider.diff!(olds.sid, olds, news)).toEqual({
      changes: true,
      replaces: ["triggerValue"],
    });
    expect(standIn().calls).toHaveLength(0);
  });

  test("a rate-limited create is retried", async () => {
    standIn().failNext({ status: 429 });
    await createTrigger();
    expect(
      standIn()
        .writes()
        .map((c) => c.status),
    ).toEqual([429, 201]);
  });

  test.each([
    [{ callbackUrl: "http://example.com/usage" }, "callbackUrl"],
    [{ callbackMethod: "PUT" }, "callbackMethod"],
    [{ triggerValue: "+30" }, "triggerValue"],
    [{ triggerValue: "0" }, "triggerValue"],
    [{ usageCategory: "Total Price" }, "usageCategory"],
    [{ usageCategory: undefined }, "usageCategory"],
    [{ recurring: "hourly" }, "recurring"],
    [{ triggerBy: "mood" }, "triggerBy"],
    [{ friendlyName: "x".repeat(65) }, "friendlyName"],
  ])("check refuses %j before any call", async (patch, property) => {
    const result = await provider.check!({} as UsageTriggerInputs, {
      ...base,
      ...(patch as object),
    });
    expect(result.failures?.map((f) => f.property)).toEqual([property]);
    expect(standIn().calls).toHaveLength(0);
  });

  test("check accepts every usage category in Twilio's OpenAPI description", async () => {
    const spec = JSON.parse(readFileSync(join(SPEC_DIR, "twilio_api_v2010.json"), "utf8")) as {
      components: { schemas: Record<string, { enum: string[] }> };
    };
    const categories = spec.components.schemas.usage_trigger_enum_usage_category.enum;
    expect(categories.length).toBeGreaterThan(100);
    for (const usageCategory of categories) {
      const result = await provider.check!({} as UsageTriggerInputs, { ...base, usageCategory });
      expect(result.failures).toEqual([]);
    }
  });
});

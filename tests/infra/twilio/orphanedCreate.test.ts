import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import { messagingServiceProvider } from "../../../infra/twilio/messagingService";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { usageTriggerProvider } from "../../../infra/twilio/usageTrigger";

const api = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const service = {
  friendlyName: "whatsapp-bot-staging",
  inboundRequestUrl: `${api}/whatsapp/incoming`,
  providerVersion: PROVIDER_VERSION,
};
const trigger = {
  callbackUrl: `${api}/twilio/usage`,
  triggerValue: "25",
  usageCategory: "totalprice",
  recurring: "monthly" as const,
  triggerBy: "price" as const,
  friendlyName: "whatsapp-bot-staging spend 50%",
  providerVersion: PROVIDER_VERSION,
};

const standIn = useTwilioStandIn();

// A create is never re-sent (it is not idempotent), so an answer lost after Twilio applied it
// would leave an object no state records; the provider looks it up by its unique name instead.
describe("a create Twilio applied but answered with a failure is taken over, not orphaned", () => {
  test.each([
    ["a 500", { status: 500 as const }],
    ["a timeout", { timeout: true }],
  ])("a Messaging Service whose create got %s", async (_label, fault) => {
    standIn().failNext({
      ...fault,
      afterApply: true,
      match: { method: "POST", path: "/v1/Services" },
    });
    const { id, outs } = await createChecked(messagingServiceProvider, service);
    expect([...standIn().state.services.keys()]).toEqual([id]);
    expect(outs.sid).toBe(id);
    expect(standIn().writes()).toHaveLength(1);
  });

  test.each([
    ["a 502", { status: 502 as const }],
    ["a timeout", { timeout: true }],
  ])("a usage trigger whose create got %s", async (_label, fault) => {
    standIn().failNext({
      ...fault,
      afterApply: true,
      match: { method: "POST", path: "/Triggers.json" },
    });
    const { id } = await createChecked(usageTriggerProvider, trigger);
    expect([...standIn().state.triggers.keys()]).toEqual([id]);
    expect(standIn().writes()).toHaveLength(1);
  });

  test("a failed create that Twilio did not apply still fails, and leaves nothing", async () => {
    standIn().failNext({ status: 500, match: { method: "POST", path: "/v1/Services" } });
    await expect(createChecked(messagingServiceProvider, service)).rejects.toThrow(/HTTP 500/);
    expect(standIn().state.services.size).toBe(0);
  });

  test("two objects of that name are not guessed between: the error lists both", async () => {
    const first = standIn().seedService(service.friendlyName);
    standIn().failNext({
      status: 500,
      afterApply: true,
      match: { method: "POST", path: "/v1/Services" },
    });
    const failure = createChecked(messagingServiceProvider, service);
    await expect(failure).rejects.toThrow(new RegExp(`2 named "whatsapp-bot-staging".*${first}`));
  });
});

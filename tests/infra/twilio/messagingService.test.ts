import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import {
  diffMessagingService,
  messagingServiceProvider as provider,
  SERVICE_FIELDS,
  type MessagingServiceInputs,
} from "../../../infra/twilio/messagingService";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { UNKNOWN } from "../../../infra/twilio/validation";

const base: MessagingServiceInputs = {
  friendlyName: "whatsapp-bot-dev",
  inboundRequestUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/incoming",
  inboundMethod: "POST",
  fallbackUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/fallback",
  fallbackMethod: "POST",
  statusCallback: "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/status",
  useInboundWebhookOnNumber: false,
  stickySender: true,
  validityPeriod: 14400,
  providerVersion: PROVIDER_VERSION,
};

const standIn = useTwilioStandIn();

const createService = () => createChecked(provider, base);

describe("MessagingService provider against the Twilio stand-in", () => {
  test("create makes one write and the service reads back with every field set", async () => {
    const { id, outs } = await createService();
    expect(id).toMatch(/^MG[0-9a-f]{32}$/);
    expect(outs.sid).toBe(id);
    expect(standIn().writes()).toHaveLength(1);
    const live = standIn().state.services.get(id)!;
    expect(live.friendly_name).toBe("whatsapp-bot-dev");
    expect(live.inbound_request_url).toBe(base.inboundRequestUrl);
    expect(live.status_callback).toBe(base.statusCallback);
    expect(live.validity_period).toBe(14400);
    expect(live.use_inbound_webhook_on_number).toBe(false);

    const read = await provider.read!(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ ...base, sid: id });
  });

  test("an up with nothing changed reports no change and makes no write", async () => {
    const { id, outs } = await createService();
    standIn().resetCalls();
    const diff = await provider.diff!(id, outs, { ...base });
    expect(diff).toEqual({ changes: false, replaces: [] });
    const updated = await provider.update!(id, outs, { ...base });
    expect(updated.outs).toEqual(outs);
    expect(standIn().calls).toHaveLength(0);
  });

  test("one changed webhook is one in-place write carrying only that field", async () => {
    const { id, outs } = await createService();
    standIn().resetCalls();
    const news = { ...base, inboundRequestUrl: "https://new.example.com/whatsapp/incoming" };
    expect(diffMessagingService(outs, news)).toEqual({
      changed: ["inboundRequestUrl"],
      replaces: [],
    });
    const diff = await provider.diff!(id, outs, news);
    expect(diff).toEqual({ changes: true, replaces: [] });
    const updated = await provider.update!(id, outs, news);
    expect(standIn().writes()).toHaveLength(1);
    expect(standIn().writes()[0].body).toEqual({
      InboundRequestUrl: "https://new.example.com/whatsapp/incoming",
    });
    expect(updated.outs).toMatchObject({
      sid: id,
      inboundRequestUrl: "https://new.example.com/whatsapp/incoming",
    });
    expect(standIn().state.services.get(id)!.inbound_request_url).toBe(
      "https://new.example.com/whatsapp/incoming",
    );
  });

  test("renaming updates in place: no field of a Messaging Service forces a replacement", () => {
    const olds = { ...base, sid: "MG" + "a".repeat(32) };
    const news = {
      ...base,
      friendlyName: "whatsapp-bot-prod",
      validityPeriod: 600,
      stickySender: false,
    };
    expect(diffMessagingService(olds, news)).toEqual({
      changed: ["friendlyName", "stickySender", "validityPeriod"],
      replaces: [],
    });
  });

  // A new value for every settable field, its form parameter and the API's name for it.
  const everyField: [keyof MessagingServiceInputs, unknown, string, string][] = [
    ["friendlyName", "whatsapp-bot-prod", "FriendlyName", "friendly_name"],
    ["inboundRequestUrl", "https://new.example.com/in", "InboundRequestUrl", "inbound_request_url"],
    ["inboundMethod", "GET", "InboundMethod", "inbound_method"],
    ["fallbackUrl", "https://new.example.com/fallback", "FallbackUrl", "fallback_url"],
    ["fallbackMethod", "GET", "FallbackMethod", "fallback_method"],
    ["statusCallback", "https://new.example.com/status", "StatusCallback", "status_callback"],
    [
      "useInboundWebhookOnNumber",
      true,
      "UseInboundWebhookOnNumber",
      "use_inbound_webhook_on_number",
    ],
    ["stickySender", false, "StickySender", "sticky_sender"],
    ["validityPeriod", 600, "ValidityPeriod", "validity_period"],
    ["mmsConverter", false, "MmsConverter", "mms_converter"],
    ["smartEncoding", false, "SmartEncoding", "smart_encoding"],
    ["scanMessageContent", "disable", "ScanMessageContent", "scan_message_content"],
    ["fallbackToLongCode", true, "FallbackToLongCode", "fallback_to_long_code"],
    ["areaCodeGeomatch", false, "AreaCodeGeomatch", "area_code_geomatch"],
    ["synchronousValidation", false, "SynchronousValidation", "synchronous_validation"],
    ["usecase", "notifications", "Usecase", "usecase"],
  ];

  test("the in-place table below covers every settable field", () => {
    expect(everyField.map(([field]) => field).sort()).toEqual([...SERVICE_FIELDS].sort());
  });

  test.each(everyField)(
    "%s updates in place: one write carrying only it, read back as written",
    async (field, value, param, apiField) => {
      const { id, outs } = await createService();
      expect(standIn().state.services.get(id)![apiField]).not.toEqual(value);
      standIn().resetCalls();
      const news = { ...base, [field]: value };
      expect(await provider.diff!(id, outs, news)).toEqual({ changes: true, replaces: [] });
      const updated = await provider.update!(id, outs, news);
      expect(
        standIn()
          .writes()
          .map((c) => c.body),
      ).toEqual([{ [param]: value }]);
      expect(standIn().state.services.get(id)![apiField]).toEqual(value);
      expect(updated.outs).toMatchObject({ sid: id, [field]: value });
      // A refresh reads the same value back, so the next up shows no drift.
      const read = await provider.read!(id, updated.outs);
      expect(read.props).toMatchObject({ [field]: value });
    },
  );

  test("a removed webhook URL is cleared in Twilio", async () => {
    const { id, outs } = await createService();
    standIn().resetCalls();
    const news: MessagingServiceInputs = { ...base, fallbackUrl: undefined };
    await provider.update!(id, outs, news);
    expect(
      standIn()
        .writes()
        .map((c) => c.body),
    ).toEqual([{ FallbackUrl: "" }]);
    expect(standIn().state.services.get(id)!.fallback_url).toBeNull();
  });

  test("a value unknown during preview counts as a change", async () => {
    const olds = { ...base, sid: "MG" + "a".repeat(32) };
    const diff = await provider.diff!(olds.sid, olds, { ...base, inboundRequestUrl: UNKNOWN });
    expect(diff.changes).toBe(true);
    const checked = await provider.check!(
      {},
      {
        ...base,
        inboundRequestUrl: UNKNOWN,
      },
    );
    expect(checked.failures).toEqual([]);
  });

  test("delete removes the service and tolerates one that is already gone", async () => {
    const { id, outs } = await createService();
    await provider.delete!(id, outs);
    expect(standIn().state.services.size).toBe(0);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
    expect(await provider.read!(id, outs)).toEqual({});
  });

  test("delete works from state written before the provider version existed", async () => {
    const { id, outs } = await createService();
    const { providerVersion: _dropped, ...oldShape } = outs;
    await provider.delete!(id, oldShape);
    expect(standIn().state.services.size).toBe(0);
  });

  test("a provider version bump is an in-place update with no Twilio call", async () => {
    const { id, outs } = await createService();
    standIn().resetCalls();
    const olds = { ...outs, providerVersion: undefined };
    expect(diffMessagingService(olds, { ...base })).toEqual({
      changed: ["providerVersion"],
      replaces: [],
    });
    const updated = await provider.update!(id, olds, { ...base });
    expect(updated.outs?.providerVersion).toBe(PROVIDER_VERSION);
    expect(standIn().calls).toHaveLength(0);
  });

  test("rate limits and server errors are retried until Twilio answers", async () => {
    standIn().failNext({ status: 429, times: 2, match: { method: "POST", path: "/v1/Services" } });
    const { id, outs } = await createService();
    expect(
      standIn()
        .writes()
        .map((c) => c.status),
    ).toEqual([429, 429, 201]);
    standIn().resetCalls();
    standIn().failNext({ status: 500 });
    standIn().failNext({ timeout: true });
    await provider.update!(id, outs, { ...base, friendlyName: "renamed" });
    expect(
      standIn()
        .writes()
        .map((c) => c.status),
    ).toEqual([500, "timeout", 200]);
    expect(standIn().state.services.get(id)!.friendly_name).toBe("renamed");
  });

  test("a create that hit a server error is not blindly re-sent (it may have been applied)", async () => {
    standIn().failNext({ status: 500, match: { method: "POST" } });
    await expect(provider.create({ ...base })).rejects.toThrow(/HTTP 500/);
    expect(standIn().writes()).toHaveLength(1);
  });

  test.each([
    [{ friendlyName: "" }, "friendlyName"],
    [{ friendlyName: "x".repeat(65) }, "friendlyName"],
    [{ inboundRequestUrl: "http://example.com/in" }, "inboundRequestUrl"],
    [{ statusCallback: "not a url" }, "statusCallback"],
    [{ inboundMethod: "PUT" }, "inboundMethod"],
    [{ validityPeriod: 0 }, "validityPeriod"],
    [{ validityPeriod: 36001 }, "validityPeriod"],
    [{ scanMessageContent: "maybe" }, "scanMessageContent"],
    [{ usecase: "spam" }, "usecase"],
  ])("check refuses %j before any call", async (patch, property) => {
    const result = await provider.check!(
      {},
      {
        ...base,
        ...(patch as object),
      },
    );
    expect(result.failures?.map((f) => f.property)).toEqual([property]);
    expect(result.failures?.[0].reason).toContain(property);
    expect(standIn().calls).toHaveLength(0);
  });

  test("http webhooks are accepted for localhost only", async () => {
    const result = await provider.check!(
      {},
      {
        ...base,
        inboundRequestUrl: "http://localhost:3000/whatsapp/incoming",
      },
    );
    expect(result.failures).toEqual([]);
  });
});

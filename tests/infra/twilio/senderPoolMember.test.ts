import { createChecked, expectNoOpUp, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import {
  diffSenderPoolMember,
  senderPoolMemberProvider as provider,
  type SenderPoolMemberInputs,
  type SenderPoolMemberOutputs,
} from "../../../infra/twilio/senderPoolMember";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { UNKNOWN } from "../../../infra/twilio/validation";

let serviceSid: string;
let whatsAppSid: string;
let phoneSid: string;

const standIn = useTwilioStandIn((twilio) => {
  serviceSid = twilio.seedService("whatsapp-bot-dev");
  whatsAppSid = twilio.seedSender({ number: "+14155550100" });
  phoneSid = twilio.seedPhoneNumber("+14155550111");
});

function add(
  senderSid: string,
  service = serviceSid,
): Promise<{ id: string; outs: SenderPoolMemberOutputs }> {
  const inputs = { serviceSid: service, senderSid, providerVersion: PROVIDER_VERSION };
  return createChecked(provider, inputs);
}

describe("SenderPoolMember provider against the Twilio stand-in", () => {
  test("a WhatsApp sender joins the pool through ChannelSenders and reads back", async () => {
    const { id, outs } = await add(whatsAppSid);
    expect(id).toBe(`${serviceSid}/${whatsAppSid}`);
    expect(outs).toEqual({
      serviceSid,
      senderSid: whatsAppSid,
      sid: whatsAppSid,
      providerVersion: PROVIDER_VERSION,
      preexisting: false,
    });
    expect(
      standIn()
        .writes()
        .map((c) => `${c.method} ${c.path}`),
    ).toEqual([`POST /v1/Services/${serviceSid}/ChannelSenders`]);
    expect(standIn().state.channelSenders.get(serviceSid)).toEqual(new Set([whatsAppSid]));
    expect((await provider.read!(id, outs)).props).toEqual(outs);
  });

  test("a phone number joins the pool through PhoneNumbers", async () => {
    const { id, outs } = await add(phoneSid);
    expect(
      standIn()
        .writes()
        .map((c) => `${c.method} ${c.path}`),
    ).toEqual([`POST /v1/Services/${serviceSid}/PhoneNumbers`]);
    expect(standIn().state.servicePhoneNumbers.get(serviceSid)).toEqual(new Set([phoneSid]));
    expect((await provider.read!(id, outs)).id).toBe(id);
  });

  test("an up with nothing changed makes no call at all", async () => {
    const live = await add(whatsAppSid);
    const news = { serviceSid, senderSid: whatsAppSid, providerVersion: PROVIDER_VERSION };
    await expectNoOpUp(provider, live, news, standIn());
  });

  test("moving the sender to another service replaces the membership, leaving the old pool first", async () => {
    const { id, outs } = await add(whatsAppSid);
    const other = standIn().seedService("whatsapp-bot-staging");
    const news = { serviceSid: other, senderSid: whatsAppSid, providerVersion: PROVIDER_VERSION };
    expect(await provider.diff!(id, outs, news)).toEqual({
      changes: true,
      replaces: ["serviceSid"],
      deleteBeforeReplace: true,
    });
    await provider.delete!(id, outs);
    await add(whatsAppSid, other);
    expect(standIn().state.channelSenders.get(serviceSid)?.size ?? 0).toBe(0);
    expect(standIn().state.channelSenders.get(other)).toEqual(new Set([whatsAppSid]));
  });

  test("a different sender replaces the membership, creating the new one first", () => {
    const olds = { serviceSid, senderSid: whatsAppSid, providerVersion: PROVIDER_VERSION };
    expect(diffSenderPoolMember(olds, { ...olds, senderSid: phoneSid })).toEqual({
      changed: ["senderSid"],
      replaces: ["senderSid"],
    });
  });

  test("an unknown sender during preview counts as a replacing change and passes check", async () => {
    const olds = { serviceSid, senderSid: whatsAppSid, providerVersion: PROVIDER_VERSION };
    const news = { ...olds, senderSid: UNKNOWN };
    expect(diffSenderPoolMember(olds, news).replaces).toEqual(["senderSid"]);
    expect((await provider.check!(olds, news)).failures).toEqual([]);
  });

  test.each([
    ["WhatsApp sender", () => whatsAppSid],
    ["phone number", () => phoneSid],
  ])(
    "a %s already in another service fails with an error naming that service",
    async (_kind, sender) => {
      const other = standIn().seedService("someone-elses-bot");
      standIn().addToService(other, sender());
      await expect(add(sender())).rejects.toThrow(
        new RegExp(`already in Messaging Service ${other} \\("someone-elses-bot"\\).*21712`),
      );
      const pools = [standIn().state.channelSenders, standIn().state.servicePhoneNumbers];
      expect(pools.some((pool) => pool.get(serviceSid)?.has(sender()))).toBe(false);
      expect(pools.some((pool) => pool.get(other)?.has(sender()))).toBe(true);
    },
  );

  test("a sender already in this service (an interrupted earlier run) counts as added", async () => {
    standIn().addToService(serviceSid, phoneSid);
    const { outs } = await add(phoneSid);
    expect(outs.sid).toBe(phoneSid);
  });

  test("delete removes only the membership: the sender itself stays", async () => {
    const { id, outs } = await add(whatsAppSid);
    await provider.delete!(id, outs);
    expect(standIn().state.channelSenders.get(serviceSid)?.size).toBe(0);
    expect(standIn().state.senders.has(whatsAppSid)).toBe(true);
    expect(await provider.read!(id, outs)).toEqual({});
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });

  test("delete works from the id alone (state from an older provider version)", async () => {
    const { id } = await add(phoneSid);
    await provider.delete!(id, {} as SenderPoolMemberOutputs);
    expect(standIn().state.servicePhoneNumbers.get(serviceSid)?.size).toBe(0);
  });

  test("a rate-limited or failed add is retried and succeeds", async () => {
    standIn().failNext({ status: 429, match: { method: "POST" } });
    standIn().failNext({ status: 500, match: { method: "POST" } });
    await add(whatsAppSid);
    expect(
      standIn()
        .writes()
        .map((c) => c.status),
    ).toEqual([429, 500, 201]);
  });

  test.each([
    [{ serviceSid: "XE" + "0".repeat(32) }, "serviceSid"],
    [{ senderSid: "MG" + "0".repeat(32) }, "senderSid"],
    [{ senderSid: "PN123" }, "senderSid"],
    [{ senderSid: "PN" + "A".repeat(32) }, "senderSid"],
    [{ senderSid: undefined }, "senderSid"],
  ])("check refuses %j before any call", async (patch, property) => {
    const inputs = { serviceSid, senderSid: whatsAppSid, ...patch } as SenderPoolMemberInputs;
    const result = await provider.check!({} as SenderPoolMemberInputs, inputs);
    expect(result.failures?.map((f) => f.property)).toEqual([property]);
    expect(standIn().calls).toHaveLength(0);
  });
});

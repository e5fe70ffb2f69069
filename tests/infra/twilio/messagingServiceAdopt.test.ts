import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import {
  diffMessagingService,
  messagingServiceProvider as provider,
} from "../../../infra/twilio/messagingService";
import { senderPoolMemberProvider } from "../../../infra/twilio/senderPoolMember";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";

const api = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const urls = {
  inboundRequestUrl: `${api}/whatsapp/incoming`,
  fallbackUrl: `${api}/whatsapp/fallback`,
  statusCallback: `${api}/whatsapp/status`,
};

const standIn = useTwilioStandIn();

describe("adopting a console-made Messaging Service by its MG SID", () => {
  test("up takes the service over with one write of its URLs; a sender already in its pool is fine", async () => {
    const sid = standIn().seedService("Console service");
    const sender = standIn().seedSender({ number: "+15551230200", status: "ONLINE" });
    standIn().addToService(sid, sender);
    standIn().resetCalls();

    const { id, outs } = await createChecked(provider, {
      adoptSid: sid,
      ...urls,
      providerVersion: PROVIDER_VERSION,
    });
    expect(id).toBe(sid);
    expect(outs.sid).toBe(sid);
    expect(standIn().state.services.size).toBe(1);
    expect(standIn().writes()).toHaveLength(1);
    const live = standIn().state.services.get(sid)!;
    expect(live.friendly_name).toBe("Console service");
    expect(live.inbound_request_url).toBe(urls.inboundRequestUrl);

    // The pool member sees the sender already there (21710) and leaves it there on destroy.
    const member = await createChecked(senderPoolMemberProvider, {
      serviceSid: sid,
      senderSid: sender,
      providerVersion: PROVIDER_VERSION,
    });
    await senderPoolMemberProvider.delete!(member.id, member.outs);
    expect([...standIn().state.channelSenders.get(sid)!]).toEqual([sender]);
  });

  test("destroy leaves the adopted service, clearing only the URLs that still point at this stack", async () => {
    const sid = standIn().seedService("Console service");
    const { outs } = await createChecked(provider, {
      adoptSid: sid,
      ...urls,
      providerVersion: PROVIDER_VERSION,
    });
    standIn().state.services.get(sid)!.fallback_url = "https://elsewhere.example.com/fallback";
    await provider.delete!(sid, outs);
    const live = standIn().state.services.get(sid)!;
    expect(live.inbound_request_url).toBeNull();
    expect(live.status_callback).toBeNull();
    expect(live.fallback_url).toBe("https://elsewhere.example.com/fallback");
  });

  test("deleteOnDestroy: true deletes the adopted service", async () => {
    const sid = standIn().seedService("Console service");
    const { outs } = await createChecked(provider, {
      adoptSid: sid,
      deleteOnDestroy: true,
      ...urls,
      providerVersion: PROVIDER_VERSION,
    });
    await provider.delete!(sid, outs);
    expect(standIn().state.services.has(sid)).toBe(false);
  });

  test("an MG SID the account does not have fails with the key to fix", async () => {
    await expect(
      createChecked(provider, {
        adoptSid: "MG0123456789abcdef0123456789abcdef",
        ...urls,
        providerVersion: PROVIDER_VERSION,
      }),
    ).rejects.toThrow(
      /No Messaging Service MG0123456789abcdef0123456789abcdef.*whatsapp-bot:messagingService\.sid/,
    );
  });

  test("check names a malformed SID; adopting another service replaces, the URLs update in place", async () => {
    const checked = await provider.check!({}, { adoptSid: "MG123", ...urls });
    expect(checked.failures?.map((f) => f.property)).toEqual(["adoptSid"]);
    const olds = { adoptSid: "MG0123456789abcdef0123456789abcdef", ...urls };
    expect(diffMessagingService(olds, { ...olds, inboundRequestUrl: `${api}/x` })).toEqual({
      changed: ["inboundRequestUrl"],
      replaces: [],
    });
    expect(
      diffMessagingService(olds, { ...olds, adoptSid: "MGfedcba9876543210fedcba9876543210" })
        .replaces,
    ).toEqual(["adoptSid"]);
  });
});

import { expect } from "@jest/globals";
import { gifBytes, jpegBytes, pngBytes, writeImages } from "../../helpers/twilio/images";
import {
  checkedInputs,
  createChecked,
  expectNoOpUp,
  useTwilioStandIn,
} from "../../helpers/twilio/lifecycle";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { UNKNOWN } from "../../../infra/twilio/validation";
import {
  diffWhatsAppSender,
  whatsAppSenderProvider as provider,
  type WhatsAppSenderInputs,
  type WhatsAppSenderOutputs,
} from "../../../infra/twilio/whatsAppSender";

const api = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const webhook = {
  callbackUrl: `${api}/whatsapp/incoming`,
  callbackMethod: "POST" as const,
  fallbackUrl: `${api}/whatsapp/fallback`,
  fallbackMethod: "POST" as const,
  statusCallbackUrl: `${api}/whatsapp/status`,
  statusCallbackMethod: "POST" as const,
};
const register = {
  number: "+14155550123",
  wabaId: "104567890123456",
  verificationMethod: "sms" as const,
  displayName: "Acme Support",
};
const images = writeImages({
  "logo.png": pngBytes(640, 640),
  "logo-v2.png": pngBytes(800, 800),
  "small.png": pngBytes(320, 320),
  "logo.gif": gifBytes(800, 800),
  "logo.jpg": jpegBytes(720, 800),
  "narrow.jpg": jpegBytes(639, 1200),
});

const standIn = useTwilioStandIn();

/**
 * An update `diff` plans in place (exactly `changed`, no replace); returns its result and the
 * bodies of the Twilio writes it made.
 */
async function inPlaceUpdate(
  id: string,
  outs: WhatsAppSenderOutputs,
  news: WhatsAppSenderInputs,
  changed: string[],
) {
  expect(diffWhatsAppSender(outs, news)).toEqual({ changed, replaces: [] });
  const updated = await provider.update!(id, outs, news);
  return {
    updated,
    bodies: standIn()
      .writes()
      .map((c) => c.body),
  };
}

/** Inputs as the stack passes them (with the provider version), through `check`. */
function checked(
  news: WhatsAppSenderInputs,
  olds: Partial<WhatsAppSenderInputs> = {},
): Promise<WhatsAppSenderInputs> {
  return checkedInputs(provider, { ...news, providerVersion: PROVIDER_VERSION }, olds);
}

function create(news: WhatsAppSenderInputs): Promise<{ id: string; outs: WhatsAppSenderOutputs }> {
  return createChecked(provider, { ...news, providerVersion: PROVIDER_VERSION });
}

describe("WhatsAppSender: registering a new sender", () => {
  test("registration is one write and the status output shows it awaits the code", async () => {
    const { id, outs } = await create({
      register,
      webhook,
      profile: { about: "We answer fast", vertical: "Professional Services" },
    });
    expect(id).toMatch(/^XE[0-9a-f]{32}$/);
    expect(outs).toMatchObject({
      sid: id,
      status: "PENDING_VERIFICATION",
      senderId: "whatsapp:+14155550123",
    });
    const writes = standIn().writes();
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /v2/Channels/Senders"]);
    expect(writes[0].body).toEqual({
      sender_id: "whatsapp:+14155550123",
      configuration: { waba_id: "104567890123456", verification_method: "sms" },
      profile: { name: "Acme Support", about: "We answer fast", vertical: "Professional Services" },
      webhook: {
        callback_url: webhook.callbackUrl,
        callback_method: "POST",
        fallback_url: webhook.fallbackUrl,
        fallback_method: "POST",
        status_callback_url: webhook.statusCallbackUrl,
        status_callback_method: "POST",
      },
    });
    const read = await provider.read!(id, outs);
    expect(read.props).toMatchObject({
      sid: id,
      status: "PENDING_VERIFICATION",
      webhook,
      profile: { about: "We answer fast" },
    });
  });

  test("the verification code on a later up is one in-place write and the sender goes online", async () => {
    const { id, outs } = await create({ register, webhook });
    standIn().resetCalls();
    const news = await checked(
      { register: { ...register, verificationCode: "123456" }, webhook },
      outs,
    );
    const { updated, bodies } = await inPlaceUpdate(id, outs, news, ["register.verificationCode"]);
    expect(bodies).toEqual([{ configuration: { verification_code: "123456" } }]);
    expect(updated.outs).toMatchObject({ sid: id, status: "ONLINE" });
  });

  test("a changed display name is refused by check and by diff, saying it cannot change", async () => {
    const { id, outs } = await create({ register });
    const news = {
      register: { ...register, displayName: "Acme Help" },
      providerVersion: PROVIDER_VERSION,
    };
    const result = await provider.check!(outs, news);
    expect(result.failures).toEqual([
      {
        property: "register.displayName",
        reason: expect.stringContaining("cannot change after registration"),
      },
    ]);
    await expect(provider.diff!(id, outs, news)).rejects.toThrow(
      /cannot change after registration/,
    );
  });

  test("another number or WABA replaces the sender", () => {
    const olds = { register, providerVersion: PROVIDER_VERSION };
    expect(
      diffWhatsAppSender(olds, { ...olds, register: { ...register, number: "+14155550999" } }),
    ).toEqual({
      changed: ["register.number"],
      replaces: ["register.number"],
    });
    expect(
      diffWhatsAppSender(olds, { ...olds, register: { ...register, wabaId: "999999999" } })
        .replaces,
    ).toEqual(["register.wabaId"]);
  });

  test("the registered number written with whatsapp: is the same sender: no replacement, no call", async () => {
    const { id, outs } = await create({ register, deleteOnDestroy: true });
    standIn().resetCalls();
    const prefixed = { ...register, number: `whatsapp:${register.number}` };
    const news = await checked({ register: prefixed, deleteOnDestroy: true }, outs);
    expect(await provider.diff!(id, outs, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    await provider.update!(id, outs, news);
    expect(standIn().calls).toHaveLength(0);
    const refused = await provider.check!(
      { register },
      { register: { ...prefixed, wabaId: "999999999" }, providerVersion: PROVIDER_VERSION },
    );
    expect(refused.failures?.map((f) => f.property)).toEqual(["register.wabaId"]);
  });

  test("registering a number that already has a sender says to adopt it, with its SID", async () => {
    const sid = standIn().seedSender({ number: register.number });
    await expect(create({ register })).rejects.toThrow(
      new RegExp(`already has WhatsApp sender ${sid} .*adopt: \\{ sid: "${sid}" \\}`),
    );
  });

  test("another WABA for the same number is refused unless the old sender may be deleted", async () => {
    const olds = { register, providerVersion: PROVIDER_VERSION };
    const news = {
      register: { ...register, wabaId: "999999999" },
      providerVersion: PROVIDER_VERSION,
    };
    const refused = await provider.check!(olds, news);
    expect(refused.failures?.map((f) => f.property)).toEqual(["register.wabaId"]);
    expect(refused.failures?.[0].reason).toMatch(/deleteOnDestroy: true/);
    const allowed = await provider.check!(
      { ...olds, deleteOnDestroy: true },
      { ...news, deleteOnDestroy: true },
    );
    expect(allowed.failures).toEqual([]);
    const diff = await provider.diff!(
      "XE" + "1".repeat(32),
      { ...olds, deleteOnDestroy: true } as never,
      news,
    );
    expect(diff).toMatchObject({ replaces: ["register.wabaId"], deleteBeforeReplace: true });
  });

  test("destroy leaves the registered sender in place and clears only the webhook it set", async () => {
    const { id, outs } = await create({
      register,
      webhook: { callbackUrl: webhook.callbackUrl },
      profile: { about: "Hi" },
    });
    await provider.delete!(id, outs);
    const live = standIn().state.senders.get(id)!;
    expect(live.webhook).toEqual({ callback_url: null });
    expect((live.profile as Record<string, unknown>).about).toBe("Hi");
  });

  test("destroying an adopted sender clears only the webhook fields that still hold this stack's URLs", async () => {
    const sid = standIn().seedSender({ number: "+14155550177" });
    const { outs } = await create({ adopt: { sid }, webhook });
    // Someone has since pointed the incoming URL at another stack; the rest is still ours.
    const other = "https://other.example.com/whatsapp/incoming";
    const live = standIn().state.senders.get(sid)!;
    (live.webhook as Record<string, unknown>).callback_url = other;
    standIn().resetCalls();

    await provider.delete!(sid, outs);

    expect(standIn().state.senders.has(sid)).toBe(true);
    const after = standIn().state.senders.get(sid)!.webhook as Record<string, unknown>;
    expect(after.callback_url).toBe(other);
    expect(after.fallback_url).toBeNull();
    expect(after.status_callback_url).toBeNull();
    expect(standIn().writes()).toHaveLength(1);
    expect(standIn().writes()[0].body).toEqual({
      webhook: { fallback_url: null, status_callback_url: null },
    });
  });

  test("destroying an adopted sender whose webhook no longer points here writes nothing", async () => {
    const sid = standIn().seedSender({ number: "+14155550178" });
    const { outs } = await create({
      adopt: { sid },
      webhook: { callbackUrl: webhook.callbackUrl },
    });
    standIn().state.senders.get(sid)!.webhook = {
      callback_url: "https://elsewhere.example.com/in",
    };
    standIn().resetCalls();
    await provider.delete!(sid, outs);
    expect(standIn().writes()).toHaveLength(0);
    expect(standIn().state.senders.get(sid)!.webhook).toEqual({
      callback_url: "https://elsewhere.example.com/in",
    });
  });

  test("deleteOnDestroy: true deletes the sender in Twilio", async () => {
    const { id, outs } = await create({ register, deleteOnDestroy: true });
    await provider.delete!(id, outs);
    expect(standIn().state.senders.size).toBe(0);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
    expect(await provider.read!(id, outs)).toEqual({});
  });

  test("a rate-limited registration is retried; a 500 is not re-sent (it may have registered)", async () => {
    standIn().failNext({ status: 429 });
    await create({ register });
    expect(
      standIn()
        .writes()
        .map((c) => c.status),
    ).toEqual([429, 202]);
    standIn().resetCalls();
    standIn().failNext({ status: 500 });
    await expect(create({ register: { ...register, number: "+14155550124" } })).rejects.toThrow(
      /HTTP 500/,
    );
    expect(standIn().writes()).toHaveLength(1);
  });
});

describe("WhatsAppSender: adopting an existing sender", () => {
  test("adopting by number finds the sender and sets only the webhook that differs", async () => {
    const sid = standIn().seedSender({
      number: "+14155550100",
      webhook: { callback_url: webhook.callbackUrl, callback_method: "POST" },
    });
    const { id, outs } = await create({ adopt: { number: "whatsapp:+14155550100" }, webhook });
    expect(id).toBe(sid);
    expect(outs).toMatchObject({ sid, status: "ONLINE", senderId: "whatsapp:+14155550100" });
    expect(
      standIn()
        .reads()
        .map((c) => c.path),
    ).toEqual(["/v2/Channels/Senders"]);
    expect(
      standIn()
        .writes()
        .map((c) => c.body),
    ).toEqual([
      {
        webhook: {
          fallback_url: webhook.fallbackUrl,
          fallback_method: "POST",
          status_callback_url: webhook.statusCallbackUrl,
          status_callback_method: "POST",
        },
      },
    ]);
  });

  test("adopting by SID a sender already configured as wanted writes nothing", async () => {
    const sid = standIn().seedSender({
      number: "+14155550100",
      webhook: { callback_url: webhook.callbackUrl, callback_method: "POST" },
    });
    await create({
      adopt: { sid },
      webhook: { callbackUrl: webhook.callbackUrl, callbackMethod: "POST" },
    });
    expect(standIn().writes()).toHaveLength(0);
    expect(
      standIn()
        .reads()
        .map((c) => c.path),
    ).toEqual([`/v2/Channels/Senders/${sid}`]);
  });

  test("an up with nothing changed makes no call", async () => {
    standIn().seedSender({ number: "+14155550100" });
    const inputs = { adopt: { number: "+14155550100" }, webhook, profile: { about: "Hello" } };
    const live = await create(inputs);
    const news = await checked(inputs, live.outs);
    await expectNoOpUp(provider, live, news, standIn());
  });

  test("one changed webhook URL is one in-place write carrying only that URL", async () => {
    standIn().seedSender({ number: "+14155550100" });
    const { id, outs } = await create({ adopt: { number: "+14155550100" }, webhook });
    standIn().resetCalls();
    const news = await checked(
      {
        adopt: { number: "+14155550100" },
        webhook: { ...webhook, callbackUrl: "https://new.example.com/in" },
      },
      outs,
    );
    const { updated, bodies } = await inPlaceUpdate(id, outs, news, ["webhook.callbackUrl"]);
    expect(bodies).toEqual([{ webhook: { callback_url: "https://new.example.com/in" } }]);
    expect((standIn().state.senders.get(id)!.webhook as Record<string, unknown>).callback_url).toBe(
      "https://new.example.com/in",
    );
    expect(updated.outs?.webhook?.callbackUrl).toBe("https://new.example.com/in");
  });

  test("another adopt target, or switching to register, replaces the resource", () => {
    const olds = { adopt: { number: "+14155550100" }, providerVersion: PROVIDER_VERSION };
    expect(diffWhatsAppSender(olds, { ...olds, adopt: { number: "+14155550101" } })).toEqual({
      changed: ["adopt"],
      replaces: ["adopt"],
    });
    expect(
      diffWhatsAppSender(olds, { register, providerVersion: PROVIDER_VERSION }).replaces,
    ).toEqual(["adopt", "register"]);
  });

  test.each([
    ["by SID instead of number", (sid: string) => ({ sid })],
    ["with the whatsapp: prefix", () => ({ number: "whatsapp:+14155550100" })],
    ["by SID and number", (sid: string) => ({ sid, number: "+14155550100" })],
  ])(
    "naming the adopted sender another way (%s) changes nothing in Twilio and replaces nothing",
    async (_how, adopt) => {
      const sid = standIn().seedSender({ number: "+14155550100" });
      const inputs = { adopt: { number: "+14155550100" }, webhook, deleteOnDestroy: true };
      const { outs } = await create(inputs);
      standIn().resetCalls();
      const news = await checked({ ...inputs, adopt: adopt(sid) }, outs);
      // A replacement would adopt the same sender, then the old resource's delete would delete it
      // (deleteOnDestroy) or clear the webhook the new one just set.
      expect(await provider.diff!(sid, outs, news)).toEqual({
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
      const updated = await provider.update!(sid, outs, news);
      expect(standIn().calls).toHaveLength(0);
      expect(updated.outs).toMatchObject({ sid, adopt: adopt(sid), webhook });
    },
  );

  test("adopting the sender the stack registered keeps it: no replacement, no call", async () => {
    const { id, outs } = await create({ register, webhook, deleteOnDestroy: true });
    standIn().resetCalls();
    const news = await checked({ adopt: { sid: id }, webhook, deleteOnDestroy: true }, outs);
    expect(diffWhatsAppSender(outs, news)).toEqual({
      changed: ["adopt", "register"],
      replaces: [],
    });
    await provider.update!(id, outs, news);
    expect(standIn().calls).toHaveLength(0);
    expect(standIn().state.senders.has(id)).toBe(true);
  });

  test("adopting another sender than the one in the state replaces the resource", async () => {
    const sid = standIn().seedSender({ number: "+14155550100" });
    const other = standIn().seedSender({ number: "+14155550101" });
    const { outs } = await create({ adopt: { sid } });
    const targets = [{ sid: other }, { number: "+14155550101" }, { sid, number: "+14155550101" }];
    for (const adopt of targets)
      expect(diffWhatsAppSender(outs, { ...outs, adopt }).replaces).toEqual(["adopt"]);
  });

  test("destroy leaves an adopted sender, its number and profile untouched, clearing the stack's webhook", async () => {
    const sid = standIn().seedSender({
      number: "+14155550100",
      profile: { name: "Acme", about: "Since 1999" },
    });
    const { id, outs } = await create({ adopt: { sid }, webhook });
    await provider.delete!(id, outs);
    const live = standIn().state.senders.get(sid)!;
    expect(live.sender_id).toBe("whatsapp:+14155550100");
    expect(live.profile).toEqual({ name: "Acme", about: "Since 1999" });
    expect(live.webhook).toEqual({
      callback_url: null,
      callback_method: "POST",
      fallback_url: null,
      fallback_method: "POST",
      status_callback_url: null,
      status_callback_method: "POST",
    });
  });

  test("delete tolerates a sender already gone and state from before the provider version", async () => {
    const sid = standIn().seedSender({ number: "+14155550100" });
    const { outs } = await create({ adopt: { sid }, webhook });
    standIn().state.senders.delete(sid);
    await expect(provider.delete!(sid, outs)).resolves.toBeUndefined();
    const sid2 = standIn().seedSender({ number: "+14155550101" });
    await expect(
      provider.delete!(sid2, { sid: sid2 } as WhatsAppSenderOutputs),
    ).resolves.toBeUndefined();
    expect(standIn().state.senders.has(sid2)).toBe(true);
  });

  test("adopting a number with no sender fails with what to do", async () => {
    await expect(create({ adopt: { number: "+14155550100" } })).rejects.toThrow(
      /No WhatsApp sender with number whatsapp:\+14155550100.*register/,
    );
  });

  test("adopting by SID and number refuses a sender whose number is another, writing nothing", async () => {
    const sid = standIn().seedSender({ number: "+14155550100" });
    await expect(create({ adopt: { sid, number: "+14155550199" }, webhook })).rejects.toThrow(
      new RegExp(`${sid} is whatsapp:\\+14155550100, not whatsapp:\\+14155550199`),
    );
    expect(standIn().writes()).toHaveLength(0);
    const { id } = await create({ adopt: { sid, number: "whatsapp:+14155550100" } });
    expect(id).toBe(sid);
  });

  test("a rate-limited lookup and a failing update are retried", async () => {
    standIn().seedSender({ number: "+14155550100" });
    standIn().failNext({ status: 429, match: { method: "GET" } });
    standIn().failNext({ status: 503, match: { method: "POST" } });
    standIn().failNext({ timeout: true, match: { method: "POST" } });
    await create({ adopt: { number: "+14155550100" }, webhook });
    expect(standIn().calls.map((c) => `${c.method} ${c.status}`)).toEqual([
      "GET 429",
      "GET 200",
      "POST 503",
      "POST timeout",
      "POST 202",
    ]);
  });
});

describe("WhatsAppSender: profile and logo", () => {
  test("websites and emails go out as labelled objects and read back as plain lists", async () => {
    const sid = standIn().seedSender({ number: "+14155550100" });
    const profile = { websites: ["https://acme.example"], emails: ["help@acme.example"] };
    const { outs } = await create({ adopt: { sid }, profile });
    expect(standIn().writes()[0].body).toEqual({
      profile: {
        websites: [{ website: "https://acme.example", label: "Website" }],
        emails: [{ email: "help@acme.example", label: "Email" }],
      },
    });
    expect((await provider.read!(sid, outs)).props?.profile).toEqual(profile);
  });

  test("one changed profile field is one in-place write; a removed one is cleared", async () => {
    const sid = standIn().seedSender({ number: "+14155550100" });
    const profile = { about: "Hello", address: "1 Main St", vertical: "Restaurant" };
    const { outs } = await create({ adopt: { sid }, profile });
    standIn().resetCalls();
    const news = await checked(
      { adopt: { sid }, profile: { about: "Hi there", vertical: "Restaurant" } },
      outs,
    );
    const { updated, bodies } = await inPlaceUpdate(sid, outs, news, [
      "profile.about",
      "profile.address",
    ]);
    expect(bodies).toEqual([{ profile: { about: "Hi there", address: null } }]);
    expect(standIn().state.senders.get(sid)!.profile).toMatchObject({
      about: "Hi there",
      address: null,
      vertical: "Restaurant",
    });
    expect(updated.outs?.profile).toEqual({ about: "Hi there", vertical: "Restaurant" });
  });

  test("a new logo file behind the same URL sends the URL again", async () => {
    const sid = standIn().seedSender({ number: "+14155550100" });
    const profile = { logoUrl: "https://cdn.example.com/logo.png", logoFile: images["logo.png"] };
    const { outs } = await create({ adopt: { sid }, profile });
    expect(outs.logoFileSha256).toMatch(/^[0-9a-f]{64}$/);
    standIn().resetCalls();
    const news = await checked(
      { adopt: { sid }, profile: { ...profile, logoFile: images["logo-v2.png"] } },
      outs,
    );
    expect(diffWhatsAppSender(outs, news).changed).toEqual(["profile.logoFile", "logoFileSha256"]);
    await provider.update!(sid, outs, news);
    expect(
      standIn()
        .writes()
        .map((c) => c.body),
    ).toEqual([{ profile: { logo_url: "https://cdn.example.com/logo.png" } }]);
  });
});

describe("WhatsAppSender: check refuses bad input before any call", () => {
  const sid = "XE" + "1".repeat(32);
  test.each([
    [{}, "adopt"],
    [{ adopt: { sid }, register }, "register"],
    [{ adopt: {} }, "adopt"],
    [{ adopt: { sid: "PN" + "1".repeat(32) } }, "adopt.sid"],
    [{ adopt: { number: "+0123" } }, "adopt.number"],
    [{ adopt: { number: "whatsapp:14155550100" } }, "adopt.number"],
    [{ register: { ...register, number: "4155550123" } }, "register.number"],
    [{ register: { ...register, verificationMethod: "fax" } }, "register.verificationMethod"],
    [{ register: { ...register, wabaId: "acme" } }, "register.wabaId"],
    [{ register: { ...register, verificationCode: "12-34" } }, "register.verificationCode"],
    [{ register: { ...register, displayName: "" } }, "register.displayName"],
    [{ adopt: { sid }, webhook: { callbackUrl: "http://example.com/in" } }, "webhook.callbackUrl"],
    [{ adopt: { sid }, webhook: { callbackMethod: "GET" } }, "webhook.callbackMethod"],
    [{ adopt: { sid }, profile: { about: "x".repeat(140) } }, "profile.about"],
    [{ adopt: { sid }, profile: { vertical: "Pirates" } }, "profile.vertical"],
    [
      {
        adopt: { sid },
        profile: { websites: ["https://a.example", "https://b.example", "https://c.example"] },
      },
      "profile.websites",
    ],
    [{ adopt: { sid }, profile: { websites: ["ftp://a.example"] } }, "profile.websites[0]"],
    [{ adopt: { sid }, profile: { emails: ["not-an-email"] } }, "profile.emails[0]"],
    [
      { adopt: { sid }, profile: { logoUrl: "http://cdn.example.com/logo.png" } },
      "profile.logoUrl",
    ],
    [
      {
        adopt: { sid },
        profile: { logoUrl: "https://cdn.example.com/l.png", logoFile: images["small.png"] },
      },
      "profile.logoFile",
    ],
    [
      {
        adopt: { sid },
        profile: { logoUrl: "https://cdn.example.com/l.gif", logoFile: images["logo.gif"] },
      },
      "profile.logoFile",
    ],
    [
      {
        adopt: { sid },
        profile: { logoUrl: "https://cdn.example.com/l.png", logoFile: "/nonexistent/logo.png" },
      },
      "profile.logoFile",
    ],
    [{ adopt: { sid }, profile: { logoFile: images["logo.png"] } }, "profile.logoUrl"],
    [{ adopt: { sid }, deleteOnDestroy: "yes" }, "deleteOnDestroy"],
  ])("%j fails on %s", async (news, property) => {
    const result = await provider.check!({}, news as WhatsAppSenderInputs);
    expect(result.failures?.map((f) => f.property)).toEqual([property]);
    expect(result.failures?.[0].reason).toMatch(new RegExp(property.split(".")[0]));
    expect(standIn().calls).toHaveLength(0);
  });

  test("a JPG of at least 640x640 passes; one a pixel too narrow does not", async () => {
    const logo = (file: string) =>
      provider.check!(
        {},
        {
          adopt: { sid },
          profile: { logoUrl: "https://cdn.example.com/logo.jpg", logoFile: file },
        },
      );
    expect((await logo(images["logo.jpg"])).failures).toEqual([]);
    expect((await logo(images["narrow.jpg"])).failures?.[0].reason).toMatch(/639x1200 pixels/);
  });

  test("the logo reasons say what is wrong with the file", async () => {
    const small = await provider.check!(
      {},
      {
        adopt: { sid },
        profile: { logoUrl: "https://x.example/l.png", logoFile: images["small.png"] },
      },
    );
    expect(small.failures?.[0].reason).toMatch(/320x320 pixels; WhatsApp needs at least 640x640/);
    const gif = await provider.check!(
      {},
      {
        adopt: { sid },
        profile: { logoUrl: "https://x.example/l.gif", logoFile: images["logo.gif"] },
      },
    );
    expect(gif.failures?.[0].reason).toMatch(/is GIF; WhatsApp takes a JPG or PNG/);
  });

  test("values unknown during preview pass check and count as changes", async () => {
    const news = {
      adopt: { sid },
      webhook: { ...webhook, callbackUrl: UNKNOWN },
    } as WhatsAppSenderInputs;
    expect((await provider.check!({}, news)).failures).toEqual([]);
    const olds = { adopt: { sid }, webhook, providerVersion: PROVIDER_VERSION };
    expect(diffWhatsAppSender(olds, { ...news, providerVersion: PROVIDER_VERSION })).toEqual({
      changed: ["webhook.callbackUrl"],
      replaces: [],
    });
    expect(
      diffWhatsAppSender(olds, { ...olds, adopt: UNKNOWN } as unknown as WhatsAppSenderInputs)
        .replaces,
    ).toEqual(["adopt"]);
  });

  test.each([
    ["register", { register: UNKNOWN }],
    ["register fields", { register: { ...register, number: UNKNOWN, wabaId: UNKNOWN } }],
    ["webhook and profile", { adopt: { sid }, webhook: UNKNOWN, profile: UNKNOWN }],
    [
      "profile lists and logo URL",
      {
        adopt: { number: UNKNOWN },
        profile: { websites: [UNKNOWN], emails: UNKNOWN, logoUrl: UNKNOWN, logoFile: UNKNOWN },
      },
    ],
  ])("check passes a whole unknown %s without any call", async (_what, news) => {
    const result = await provider.check!({}, news as WhatsAppSenderInputs);
    expect(result.failures).toEqual([]);
    expect(standIn().calls).toHaveLength(0);
  });
});

import { createTwilioStandIn, type TwilioStandIn } from "../helpers/twilio";
import type { CommandReport, ProgramRun, Step } from "./engine";
import { startStackAgainst, type StackCli } from "./stack";
import { programRun, type STACKS } from "./stacks";
import type { TwilioOverHttps } from "./twilioOverHttps";

/** The account SID the committed stack files name; the stand-in serves that account. */
const ACCOUNT_SID = "AC00000000000000000000000000000000";
/** The sender staging adopts by SID in Pulumi.staging.yaml. */
const STAGING_SENDER = "XE00000000000000000000000000000000";

type Json = Record<string, unknown>;

function twilioSteps(report: CommandReport): Step[] {
  return report.steps.filter((s) => s.type.startsWith("pulumi-nodejs:dynamic/"));
}

function ops(report: CommandReport, op: Step["op"]): string[] {
  return twilioSteps(report)
    .filter((s) => s.op === op)
    .map((s) => s.name);
}

/**
 * The lifecycle of one stack, from a fresh preview to destroy, through Pulumi's dynamic-provider
 * host and the Twilio stand-in over HTTPS. The tests run in order and share the stack's state, as
 * the commands of one stack's life do.
 */
export function describeLifecycle(entry: (typeof STACKS)[number]): void {
  const isProd = entry.stack === "prod";
  const adoptsStagingSender = entry.file === "staging" && !entry.review;

  describe(`the ${entry.stack} stack through Pulumi's dynamic-provider host`, () => {
    let standIn: TwilioStandIn;
    let https: TwilioOverHttps;
    let cli: StackCli;
    let overrides: Record<string, string> = {};
    let apiGeneration = 0;
    let providerVersion: number | undefined;
    const run = (): ProgramRun => ({
      ...programRun(entry, standIn, overrides, apiGeneration),
      providerVersion,
    });

    beforeAll(async () => {
      standIn = createTwilioStandIn({ accountSid: ACCOUNT_SID });
      if (adoptsStagingSender)
        standIn.seedSender({ sid: STAGING_SENDER, number: "+15005550006", status: "ONLINE" });
      ({ https, cli } = await startStackAgainst(() => standIn));
    });

    afterAll(async () => {
      cli?.stop();
      await https?.close();
    });

    afterEach(() => {
      expect(standIn.violations).toEqual([]);
      expect(https.refusedHosts).toEqual([]);
    });

    test("a fresh stack: the preview plans creates only with no Twilio call, then up creates them", async () => {
      const preview = await cli.preview(run());
      expect(twilioSteps(preview).length).toBeGreaterThan(0);
      expect(twilioSteps(preview).every((s) => s.op === "create")).toBe(true);
      expect(standIn.calls).toHaveLength(0);

      const up = await cli.up(run());
      expect(ops(up, "create")).toEqual(ops(preview, "create"));
      const services = [...standIn.state.services.values()];
      expect(services.map((s) => s.friendly_name)).toEqual([`whatsapp-bot-${entry.stack}`]);
      expect(String(services[0].inbound_request_url)).toMatch(
        /^https:\/\/[0-9a-f]{10}\.execute-api\.eu-west-1\.amazonaws\.com\/whatsapp\/incoming$/,
      );
      if (entry.stack === "dev" || entry.review) {
        // No sender until the user sets one: the first up succeeds without one.
        expect(up.steps.some((s) => s.type.endsWith(":WhatsAppSender"))).toBe(false);
      } else {
        const sid = adoptsStagingSender ? STAGING_SENDER : [...standIn.state.senders.keys()][0];
        expect([...(standIn.state.channelSenders.get(services[0].sid as string) ?? [])]).toEqual([
          sid,
        ]);
      }
      // The send path got one key of its own, created with the auth token.
      expect([...standIn.state.keys.values()].map((k) => k.friendly_name)).toEqual([
        `whatsapp-bot-${entry.stack} send path`,
      ]);
      // Every provider crossed the host as the serialized text the SDK produced.
      for (const text of Object.values(up.providers)) expect(text).toMatch(/exports\.handler = /);
    });

    test("a preview with no change shows 0 changes and makes 0 Twilio calls", async () => {
      standIn.resetCalls();
      const preview = await cli.preview(run());
      expect(twilioSteps(preview).filter((s) => s.op !== "same")).toEqual([]);
      expect(preview.steps.filter((s) => s.op !== "same")).toEqual([]);
      expect(standIn.calls).toHaveLength(0);
    });

    /** Previews then ups the current config; returns what the up wrote to Twilio per resource. */
    async function updatesOnly(): Promise<{ updated: string[]; writes: number }> {
      const preview = await cli.preview(run());
      expect(twilioSteps(preview).filter((s) => !["update", "same"].includes(s.op))).toEqual([]);
      expect(standIn.calls).toHaveLength(0);
      const updated = ops(preview, "update");
      const up = await cli.up(run());
      expect(ops(up, "update")).toEqual(updated);
      expect(standIn.writes().every((w) => w.method === "POST")).toBe(true);
      const writes = standIn.writes().length;
      standIn.resetCalls();
      return { updated, writes };
    }

    test("a new API endpoint: every webhook URL changes in place, one write per changed resource", async () => {
      standIn.resetCalls();
      apiGeneration = 1;
      const { updated, writes } = await updatesOnly();
      expect(updated).toContain(`whatsapp-bot-${entry.stack}-service`);
      if (isProd) expect(updated).toContain("whatsapp-bot-prod-sender");
      expect(writes).toBe(updated.length);
      const service = [...standIn.state.services.values()][0];
      expect(String(service.inbound_request_url)).toContain("whatsapp/incoming");
    });

    if (isProd) {
      test("the runbook's verificationCode step is one in-place write to the sender", async () => {
        const sender = JSON.parse(
          overrides["whatsapp-bot:sender"] ?? run().config["whatsapp-bot:sender"],
        ) as Json;
        overrides = {
          ...overrides,
          "whatsapp-bot:sender": JSON.stringify({ ...sender, verificationCode: "123456" }),
        };
        const { updated, writes } = await updatesOnly();
        expect(updated).toEqual(["whatsapp-bot-prod-sender"]);
        expect(writes).toBe(1);
      });

      test("a changed profile field is one in-place write to the sender", async () => {
        const sender = JSON.parse(overrides["whatsapp-bot:sender"]) as { profile: Json } & Json;
        overrides = {
          ...overrides,
          "whatsapp-bot:sender": JSON.stringify({
            ...sender,
            profile: { ...sender.profile, about: "Answers within the hour." },
          }),
        };
        const { updated, writes } = await updatesOnly();
        expect(updated).toEqual(["whatsapp-bot-prod-sender"]);
        expect(writes).toBe(1);
        const live = [...standIn.state.senders.values()][0].profile as Json;
        expect(live.about).toBe("Answers within the hour.");
      });
    }

    test("a provider version bump previews as in-place updates and writes nothing to Twilio", async () => {
      providerVersion = 2;
      const { updated, writes } = await updatesOnly();
      expect(updated.length).toBe(
        (await cli.state(run())).filter((e) => e.type.startsWith("pulumi-nodejs:dynamic/")).length,
      );
      expect(writes).toBe(0);
      const state = await cli.state(run());
      for (const e of state.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/")))
        expect(e.outputs.providerVersion).toBe(2);
    });

    test("drift: refresh shows each cleared or changed field and the next up repairs it with one write each", async () => {
      const service = [...standIn.state.services.values()][0];
      const want = { ...service };
      service.inbound_request_url = null;
      service.fallback_url = "https://elsewhere.example.com/whatsapp/fallback";
      service.status_callback = null;
      const drifted = [`whatsapp-bot-${entry.stack}-service`];
      let senderWant: Json | undefined;
      if (isProd) {
        const sender = [...standIn.state.senders.values()][0];
        senderWant = JSON.parse(JSON.stringify(sender)) as Json;
        (sender.webhook as Json).callback_url = null;
        (sender.webhook as Json).status_callback_url = "https://elsewhere.example.com/s";
        (sender.profile as Json).about = null;
        (sender.profile as Json).vertical = "Other";
        drifted.push("whatsapp-bot-prod-sender");
      }
      standIn.resetCalls();

      const refresh = await cli.refresh(run());
      expect(standIn.writes()).toHaveLength(0);
      const shown = refresh.drift.map((d) => `${d.name}:${d.property}`);
      expect(shown).toEqual(
        expect.arrayContaining([
          `whatsapp-bot-${entry.stack}-service:inboundRequestUrl`,
          `whatsapp-bot-${entry.stack}-service:fallbackUrl`,
          `whatsapp-bot-${entry.stack}-service:statusCallback`,
          ...(isProd
            ? [
                "whatsapp-bot-prod-sender:webhook.callbackUrl",
                "whatsapp-bot-prod-sender:webhook.statusCallbackUrl",
                "whatsapp-bot-prod-sender:profile.about",
                "whatsapp-bot-prod-sender:profile.vertical",
              ]
            : []),
        ]),
      );
      standIn.resetCalls();

      const { updated, writes } = await updatesOnly();
      expect(updated.sort()).toEqual(drifted.sort());
      expect(writes).toBe(drifted.length);
      const repaired = [...standIn.state.services.values()][0];
      for (const key of ["inbound_request_url", "fallback_url", "status_callback"])
        expect(repaired[key]).toBe(want[key]);
      if (senderWant) {
        const sender = [...standIn.state.senders.values()][0];
        expect(sender.webhook).toEqual(senderWant.webhook);
        expect((sender.profile as Json).about).toBe((senderWant.profile as Json).about);
        expect((sender.profile as Json).vertical).toBe((senderWant.profile as Json).vertical);
      }
    });

    test("destroy removes what the stack made; a sender stays, its webhook cleared only where it is still ours", async () => {
      if (isProd) {
        // Protection holds: destroy is refused until the user lifts it, as the README says.
        await expect(cli.destroy(run())).rejects.toThrow(/marked for protection/);
        overrides = { ...overrides, "whatsapp-bot:protect": "false" };
        standIn.resetCalls();
        const up = await cli.up(run());
        expect(twilioSteps(up).filter((s) => s.op !== "same")).toEqual([]);
        expect(standIn.calls).toHaveLength(0);
        // Another stack has since taken the sender's fallback URL: that one must survive.
        const sender = [...standIn.state.senders.values()][0];
        (sender.webhook as Json).fallback_url = "https://other-stack.example.com/whatsapp/fallback";
      }
      const sendersBefore = [...standIn.state.senders.keys()];
      await cli.destroy(run());
      expect(await cli.state(run())).toEqual([]);
      expect(standIn.state.services.size).toBe(0);
      expect(standIn.state.triggers.size).toBe(0);
      // The send path's API key is revoked with the stack.
      expect(standIn.state.keys.size).toBe(0);
      // Adopted or registered, the sender itself is never deleted (deleteOnDestroy is not set).
      expect([...standIn.state.senders.keys()]).toEqual(sendersBefore);
      if (isProd) {
        const webhook = [...standIn.state.senders.values()][0].webhook as Json;
        expect(webhook.callback_url).toBeNull();
        expect(webhook.status_callback_url).toBeNull();
        expect(webhook.fallback_url).toBe("https://other-stack.example.com/whatsapp/fallback");
      }
    });
  });
}

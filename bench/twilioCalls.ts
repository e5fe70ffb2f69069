import type * as pulumi from "@pulumi/pulumi";
import { apiKeyProvider } from "../infra/twilio/apiKey/provider";
import { configureTwilio } from "../infra/twilio/client";
import { contentTemplateProvider } from "../infra/twilio/contentTemplate/provider";
import { messagingServiceProvider } from "../infra/twilio/messagingService";
import { senderPoolMemberProvider } from "../infra/twilio/senderPoolMember";
import { usageTriggerProvider } from "../infra/twilio/usageTrigger";
import { whatsAppSenderProvider } from "../infra/twilio/whatsAppSender";
import { createTwilioStandIn, type TwilioStandIn } from "../tests/helpers/twilio";
import { configRequest, wireProvidersTo } from "../tests/helpers/twilio/wire";
import { loadProgramInChild, STACK, type RecordedDynamic } from "./program";
import { num, type Benchmark, type Target } from "./report";
import { median } from "./stats";

type Provider = pulumi.dynamic.ResourceProvider;
type Props = Record<string, unknown>;

/** The providers by the class name at the end of the resource type token. */
const PROVIDERS: Record<string, Provider> = {
  MessagingService: messagingServiceProvider as Provider,
  WhatsAppSender: whatsAppSenderProvider as Provider,
  SenderPoolMember: senderPoolMemberProvider as Provider,
  UsageTrigger: usageTriggerProvider as Provider,
  ApiKey: apiKeyProvider as Provider,
  ContentTemplate: contentTemplateProvider as Provider,
};

/** Raised when a provider refuses inputs, or the stand-in saw a request Twilio would reject. */
export class ProviderRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderRunError";
  }
}

/** A resource's state as the engine keeps it between updates. */
interface Live {
  id: string;
  inputs: Props;
  outs: Props;
}

/** One Twilio resource of the program: its provider and the inputs the program gave it. */
interface Declared {
  name: string;
  kind: string;
  provider: Provider;
  recorded: RecordedDynamic;
}

/** Replaces every string equal to a key of `map`, deeply (how Outputs of other resources flow in). */
function substitute(value: unknown, map: Map<string, string>): unknown {
  if (typeof value === "string") return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => substitute(v, map));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, map)]));
  }
  return value;
}

/**
 * The engine for one stack: keeps state, and maps the fake values the mocks computed (SIDs) to
 * the ones the stand-in really returned, so dependent inputs carry real SIDs.
 */
class Engine {
  readonly state = new Map<string, Live>();
  private readonly real = new Map<string, string>();

  constructor(private readonly declared: Declared[]) {}

  private learn(d: Declared, outs: Props): void {
    for (const [key, fake] of Object.entries(d.recorded.state)) {
      const actual = outs[key];
      if (typeof fake === "string" && typeof actual === "string" && fake !== actual)
        this.real.set(fake, actual);
    }
  }

  private async check(d: Declared, olds: Props, news: Props): Promise<Props> {
    const result = await d.provider.check!(olds, news);
    if (result.failures?.length)
      throw new ProviderRunError(`${d.name}: check failed: ${JSON.stringify(result.failures)}`);
    return result.inputs as Props;
  }

  /**
   * `pulumi up`: per resource in registration (dependency) order, check then diff against the
   * state (the preview), then create, update only when diff reported changes, or replace.
   * `rewrite` models a changed program input (e.g. a new URL). Returns how many resources changed.
   */
  async up(rewrite: Map<string, string> = new Map()): Promise<number> {
    let changed = 0;
    for (const d of this.declared) {
      const old = this.state.get(d.name);
      const wanted = substitute(substitute(d.recorded.inputs, rewrite), this.real) as Props;
      const news = await this.check(d, old?.inputs ?? {}, wanted);
      if (!old) {
        const created = await d.provider.create(news);
        this.learn(d, created.outs as Props);
        this.state.set(d.name, { id: created.id, inputs: news, outs: created.outs as Props });
        changed++;
        continue;
      }
      const diff = await d.provider.diff!(old.id, old.outs, news);
      if (!diff.changes) {
        this.state.set(d.name, { ...old, inputs: news });
        continue;
      }
      changed++;
      if (diff.replaces?.length) {
        if (diff.deleteBeforeReplace) await d.provider.delete!(old.id, old.outs);
        const created = await d.provider.create(news);
        if (!diff.deleteBeforeReplace) await d.provider.delete!(old.id, old.outs);
        this.learn(d, created.outs as Props);
        this.state.set(d.name, { id: created.id, inputs: news, outs: created.outs as Props });
      } else {
        const updated = await d.provider.update!(old.id, old.outs, news);
        this.state.set(d.name, {
          id: old.id,
          inputs: news,
          outs: (updated.outs ?? old.outs) as Props,
        });
      }
    }
    return changed;
  }

  /** `pulumi refresh`: read every resource. */
  async refresh(): Promise<number> {
    for (const d of this.declared) {
      const live = this.state.get(d.name)!;
      const read = await d.provider.read!(live.id, live.outs);
      if (!read.id) throw new ProviderRunError(`${d.name}: refresh found it gone`);
    }
    return 0;
  }

  /** `pulumi destroy`: delete in reverse dependency order. */
  async destroy(): Promise<number> {
    for (const d of [...this.declared].reverse()) {
      const live = this.state.get(d.name)!;
      await d.provider.delete!(live.id, live.outs);
      this.state.delete(d.name);
    }
    return this.declared.length;
  }
}

/** What already exists in the account before the first `up`: the sender the stack adopts. */
function seedAdoptedSenders(standIn: TwilioStandIn, declared: Declared[]): void {
  for (const d of declared) {
    const adopt = d.recorded.inputs.adopt as { number?: string; sid?: string } | undefined;
    if (d.kind === "WhatsAppSender" && adopt) {
      standIn.seedSender({ sid: adopt.sid, number: adopt.number ?? "+15005550006" });
    }
  }
}

interface PhaseCount {
  phase: string;
  changed: number;
  reads: number;
  writes: number;
  operations: string;
  /** The most writes the target allows. */
  maxWrites: number;
}

/** One full lifecycle against a fresh stand-in; returns the calls of each phase. */
async function lifecycle(
  declared: Declared[],
  urls: { base: string; incoming: string },
): Promise<PhaseCount[]> {
  const standIn = createTwilioStandIn();
  const unwire = await wireProvidersTo(standIn);
  // A stack that deploys always has twilio:authToken (the Lambda checks signatures with it), and
  // the send path's API key can only be created with it.
  await configureTwilio(
    configRequest({
      "twilio:accountSid": standIn.accountSid,
      "twilio:apiKey": standIn.credentials.apiKey,
      "twilio:apiSecret": standIn.credentials.apiSecret,
      "twilio:authToken": standIn.credentials.authToken,
    }),
  );
  try {
    seedAdoptedSenders(standIn, declared);
    const engine = new Engine(declared);
    const counts: PhaseCount[] = [];
    const phase = async (
      name: string,
      run: () => Promise<number>,
      maxWrites: (changed: number) => number,
    ) => {
      standIn.resetCalls();
      const changed = await run();
      const ops = new Map<string, number>();
      for (const c of standIn.calls) {
        const key = `${c.method} ${c.operationId ?? c.path}`;
        ops.set(key, (ops.get(key) ?? 0) + 1);
      }
      counts.push({
        phase: name,
        changed,
        reads: standIn.reads().length,
        writes: standIn.writes().length,
        operations: [...ops].map(([op, n]) => (n > 1 ? `${op} ×${n}` : op)).join(", ") || "none",
        maxWrites: maxWrites(changed),
      });
    };
    const onePerChanged = (changed: number) => changed;
    const newBase = "https://fed321cba9.execute-api.eu-west-1.amazonaws.com";
    const newIncoming = new Map([[urls.incoming, urls.incoming.replace(urls.base, newBase)]]);
    const everyUrl = (() => {
      const map = new Map<string, string>();
      for (const d of declared) {
        JSON.stringify(d.recorded.inputs, (_k, v: unknown) => {
          if (typeof v === "string" && v.startsWith(urls.base))
            map.set(v, newBase + v.slice(urls.base.length));
          return v;
        });
      }
      return map;
    })();
    // A template asked to be approved is created, then submitted: two writes by design.
    const approvals = declared.filter(
      (d) => d.kind === "ContentTemplate" && d.recorded.inputs.approval != null,
    ).length;
    await phase(
      "first `up` (create all)",
      () => engine.up(),
      (changed) => changed + approvals,
    );
    await phase(
      "`up` with no change",
      () => engine.up(),
      () => 0,
    );
    await phase(
      "`up` after one webhook URL change (incoming)",
      () => engine.up(newIncoming),
      onePerChanged,
    );
    await phase(
      "`up` after a new API endpoint (every URL)",
      () => engine.up(everyUrl),
      onePerChanged,
    );
    await phase(
      "`refresh`",
      () => engine.refresh(),
      () => 0,
    );
    await phase("`destroy`", () => engine.destroy(), onePerChanged);
    if (standIn.violations.length > 0) {
      throw new ProviderRunError(
        `requests Twilio's OpenAPI description rejects:\n${standIn.violations.join("\n")}`,
      );
    }
    return counts;
  } finally {
    unwire();
  }
}

/** The program's Twilio resources (from a load under mocks) with their providers. */
function declaredResources(root: string): { declared: Declared[]; base: string; incoming: string } {
  const { dynamic } = loadProgramInChild(root);
  const declared = dynamic.map((recorded) => {
    const kind = recorded.type.slice(recorded.type.lastIndexOf(":") + 1);
    const provider = PROVIDERS[kind];
    if (!provider)
      throw new ProviderRunError(
        `no provider known for ${recorded.type} (add it to bench/twilioCalls.ts)`,
      );
    return { name: recorded.name, kind, provider, recorded };
  });
  const service = declared.find((d) => d.kind === "MessagingService");
  const incoming = service?.recorded.inputs.inboundRequestUrl;
  if (typeof incoming !== "string")
    throw new ProviderRunError("the program declares no Messaging Service with an incoming URL");
  return { declared, base: new URL(incoming).origin, incoming };
}

/** Twilio API calls the dynamic providers make over a stack's life, from the stand-in's counters. */
export const twilioCalls: Benchmark = {
  id: "twilio-calls",
  title: "Twilio API calls made by the provider",
  async run(ctx) {
    const runs = ctx.quick ? 1 : 3;
    ctx.log("  loading the program under mocks for its Twilio resources");
    const { declared, base, incoming } = declaredResources(ctx.root);
    const all: PhaseCount[][] = [];
    for (let i = 0; i < runs; i++) all.push(await lifecycle(declared, { base, incoming }));
    const first = all[0];
    const stable = all.every((r) => JSON.stringify(r) === JSON.stringify(first));
    const figure = (i: number, pick: (c: PhaseCount) => number) =>
      median(all.map((r) => pick(r[i])));
    const withinTarget = (i: number) => all.every((r) => r[i].writes <= r[i].maxWrites);
    const rows = first.map((c, i) => [
      c.phase,
      num(figure(i, (x) => x.changed)),
      num(figure(i, (x) => x.reads)),
      num(figure(i, (x) => x.writes)),
      `≤ ${c.maxWrites}`,
      withinTarget(i) ? "yes" : "**no**",
      c.operations,
    ]);
    const targets: Target[] = [
      {
        what: "Twilio writes on `up` with no change",
        target: "0",
        measured: num(figure(1, (x) => x.writes)),
        met: withinTarget(1),
      },
      {
        what: "Twilio writes for one webhook URL change",
        target: `1 per changed resource (${first[2].changed} changed)`,
        measured: num(figure(2, (x) => x.writes)),
        met: withinTarget(2) && first[2].changed > 0,
      },
    ];
    return {
      method:
        "The Twilio resources are taken from the program itself: infra/index.ts is loaded under the " +
        `mocks with Pulumi.${STACK}.yaml (adopt the sender by number, manage its webhook), which gives ` +
        `each dynamic resource's type and inputs: ${declared.map((d) => d.kind).join(", ")}. Their ` +
        "providers (infra/twilio) then run against the Twilio REST stand-in (tests/helpers/twilio) " +
        "through the real twilio SDK, driven the way Pulumi's engine drives them: `check` then `diff` " +
        "against the stored state, `create` for new resources, `update` only when `diff` reports " +
        "changes, `read` on refresh, `delete` in reverse order on destroy. SIDs the mocks invented are " +
        "swapped for the stand-in's real ones as outputs flow into dependent inputs. GET is a read; " +
        "POST and DELETE are writes.",
      tables: [
        {
          headers: [
            "Phase",
            "Resources changed",
            "Reads",
            "Writes",
            "Write target",
            "Met",
            "Calls",
          ],
          rows,
        },
      ],
      targets,
      headline:
        `${num(figure(0, (x) => x.writes))} writes to create ${declared.length} resources, ` +
        `${num(figure(1, (x) => x.writes))} when nothing changed, ${num(figure(2, (x) => x.writes))} for one ` +
        `webhook URL (${first[2].changed} resources use it), ${num(figure(5, (x) => x.writes))} to destroy`,
      notes: [
        `The ${runs} lifecycle run${runs === 1 ? "" : "s"} gave ${stable ? "identical" : "DIFFERENT"} counts; figures are medians.`,
        "`pulumi up` previews first; check and diff make no API calls, so the preview adds nothing to the counts above.",
        "Every request matched Twilio's OpenAPI descriptions (the stand-in rejects and records any that does not).",
        "Adopting the sender looks it up by number (one read) and points its webhook at the API (one write).",
        "On destroy the adopted sender is detached (its webhook URLs cleared, one write), not deleted (`deleteOnDestroy: false`).",
      ],
    };
  },
};

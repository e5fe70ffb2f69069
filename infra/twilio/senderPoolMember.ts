import * as pulumi from "@pulumi/pulumi";
import {
  callTwilio,
  configureTwilio,
  isNotFound,
  twilioApiError,
  twilioClient,
  twilioErrorCode,
  type TwilioClient,
} from "./client";
import { changedProperties, PROVIDER_VERSION, type PropertyDiff } from "./state";
import { checkSid, type ValidationFailure } from "./validation";
import { validatingCheck } from "./providerParts";

/** A sender in a Messaging Service's sender pool. */
export interface SenderPoolMemberArgs {
  /** The Messaging Service (MG...). */
  readonly serviceSid: pulumi.Input<string>;
  /** The sender: a WhatsApp sender (XE...) or a phone number (PN...). */
  readonly senderSid: pulumi.Input<string>;
}

/** Resolved inputs, as stored in state. */
export interface SenderPoolMemberInputs {
  serviceSid: string;
  senderSid: string;
  providerVersion?: number;
}

/** Outputs: the inputs plus the membership SID (Twilio names it after the sender). */
export interface SenderPoolMemberOutputs extends SenderPoolMemberInputs {
  sid: string;
  /** The sender was already in the pool (a console-made service the stack adopted): destroy leaves it there. */
  preexisting?: boolean;
}

/** Twilio error: the sender is already in this very service. */
const ALREADY_IN_THIS_SERVICE = 21710;
/** Twilio error: the sender belongs to another service (a sender can be in one only). */
const IN_ANOTHER_SERVICE = 21712;

/** Checks pool membership inputs (no API call). */
export function validateSenderPoolMember(
  news: Partial<SenderPoolMemberInputs>,
): ValidationFailure[] {
  return [
    ...checkSid("serviceSid", news.serviceSid, ["MG"]),
    ...checkSid("senderSid", news.senderSid, ["XE", "PN"]),
  ];
}

/** Which properties changed; both identify the membership, so any change replaces it. */
export function diffSenderPoolMember(
  olds: SenderPoolMemberInputs,
  news: SenderPoolMemberInputs,
): PropertyDiff {
  const changed = changedProperties(olds, news, ["serviceSid", "senderSid", "providerVersion"]);
  return { changed, replaces: changed.filter((k) => k === "serviceSid" || k === "senderSid") };
}

/** The resource id: service and sender, e.g. `MG.../XE...`. */
function memberId(serviceSid: string, senderSid: string): string {
  return `${serviceSid}/${senderSid}`;
}

function isChannelSender(senderSid: string): boolean {
  return senderSid.startsWith("XE");
}

/** Fetches the membership; resolves to false when the sender is not in that service. */
async function isMember(
  client: TwilioClient,
  serviceSid: string,
  senderSid: string,
): Promise<boolean> {
  const service = client.messaging.v1.services(serviceSid);
  try {
    await callTwilio<unknown>(
      "fetch sender pool member",
      () =>
        isChannelSender(senderSid)
          ? service.channelSenders(senderSid).fetch()
          : service.phoneNumbers(senderSid).fetch(),
      { idempotent: true },
    );
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Finds which Messaging Service holds a sender (Twilio's error 21712 does not say). */
async function serviceHolding(
  client: TwilioClient,
  senderSid: string,
): Promise<{ sid: string; friendlyName: string } | undefined> {
  const services = await callTwilio(
    "list Messaging Services",
    () => client.messaging.v1.services.list({ limit: 1000 }),
    {
      idempotent: true,
    },
  );
  for (const service of services) {
    if (await isMember(client, service.sid, senderSid))
      return { sid: service.sid, friendlyName: service.friendlyName };
  }
  return undefined;
}

/** The dynamic provider for SenderPoolMember. */
export const senderPoolMemberProvider: pulumi.dynamic.ResourceProvider<
  SenderPoolMemberInputs,
  SenderPoolMemberOutputs
> = {
  configure: configureTwilio,
  check: validatingCheck<SenderPoolMemberInputs>(validateSenderPoolMember),

  async diff(_id, olds, news) {
    const { changed, replaces } = diffSenderPoolMember(olds, news);
    // The same sender moving to another service must leave the old pool first: Twilio keeps a
    // sender in one service at a time (error 21712).
    const deleteBeforeReplace = replaces.includes("serviceSid") && !replaces.includes("senderSid");
    return { changes: changed.length > 0, replaces, deleteBeforeReplace };
  },

  async create(inputs) {
    const client = twilioClient();
    const { serviceSid, senderSid } = inputs;
    const service = client.messaging.v1.services(serviceSid);
    let preexisting = false;
    try {
      await callTwilio<unknown>(
        "add sender to Messaging Service",
        () =>
          isChannelSender(senderSid)
            ? service.channelSenders.create({ sid: senderSid })
            : service.phoneNumbers.create({ phoneNumberSid: senderSid }),
        // Safe to re-send: if a failed attempt was applied after all, Twilio answers 21710 below.
        { idempotent: true },
      );
    } catch (err) {
      const code = twilioErrorCode(err);
      if (code === IN_ANOTHER_SERVICE) {
        const holder = await serviceHolding(client, senderSid);
        const where = holder
          ? `Messaging Service ${holder.sid} ("${holder.friendlyName}")`
          : "another Messaging Service";
        throw twilioApiError(
          `Sender ${senderSid} is already in ${where}; Twilio allows a sender in one Messaging Service at a time (error 21712). ` +
            `Remove it from that service's sender pool (Console > Messaging > Services > Sender Pool) or use that service, then run \`pulumi up\` again.`,
          { status: 400, code, hint: "remove the sender from the other service" },
        );
      }
      // Already in this service: the goal is reached. Either the pool of an adopted console-made
      // service already held it, which destroy must leave as it found it, or a retry of an add
      // Twilio had applied; then the membership outlives destroy only in a service the stack
      // deletes anyway, or in an adopted one, where keeping it is the lesser harm.
      if (code !== ALREADY_IN_THIS_SERVICE) throw err;
      preexisting = true;
    }
    const outs = {
      serviceSid,
      senderSid,
      providerVersion: PROVIDER_VERSION,
      sid: senderSid,
      preexisting,
    } satisfies SenderPoolMemberOutputs;
    return { id: memberId(serviceSid, senderSid), outs };
  },

  async read(id, props) {
    const [serviceSid, senderSid] =
      props?.serviceSid && props.senderSid ? [props.serviceSid, props.senderSid] : id.split("/");
    const client = twilioClient();
    if (!(await isMember(client, serviceSid, senderSid))) return {};
    const outs = {
      ...(props as SenderPoolMemberOutputs),
      serviceSid,
      senderSid,
      sid: senderSid,
    } satisfies SenderPoolMemberOutputs;
    return { id, props: outs };
  },

  async update(_id, olds, news) {
    // Only the provider version can change in place; nothing to send to Twilio.
    const outs = {
      serviceSid: news.serviceSid,
      senderSid: news.senderSid,
      providerVersion: PROVIDER_VERSION,
      sid: olds.sid ?? news.senderSid,
      preexisting: olds.preexisting === true,
    } satisfies SenderPoolMemberOutputs;
    return { outs };
  },

  async delete(id, props) {
    if (props?.preexisting === true) return;
    const [idService, idSender] = id.split("/");
    const serviceSid = props?.serviceSid ?? idService;
    const senderSid = props?.senderSid ?? props?.sid ?? idSender;
    const client = twilioClient();
    const service = client.messaging.v1.services(serviceSid);
    try {
      await callTwilio(
        "remove sender from Messaging Service",
        () =>
          isChannelSender(senderSid)
            ? service.channelSenders(senderSid).remove()
            : service.phoneNumbers(senderSid).remove(),
        { idempotent: true },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

/** A WhatsApp sender (XE...) or phone number (PN...) in a Messaging Service's sender pool. */
export class SenderPoolMember extends pulumi.dynamic.Resource {
  /** The membership SID (the sender's SID). */
  declare readonly sid: pulumi.Output<string>;
  /** The Messaging Service. */
  declare readonly serviceSid: pulumi.Output<string>;
  /** The sender in the pool. */
  declare readonly senderSid: pulumi.Output<string>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: SenderPoolMemberArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      senderPoolMemberProvider,
      name,
      { ...args, providerVersion: PROVIDER_VERSION, sid: undefined },
      opts,
      "twilio",
      "SenderPoolMember",
    );
  }
}

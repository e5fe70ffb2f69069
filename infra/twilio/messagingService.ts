import * as pulumi from "@pulumi/pulumi";
import {
  callTwilio,
  configureTwilio,
  createOrTakeOver,
  isNotFound,
  twilioApiError,
  twilioClient,
  type TwilioClient,
} from "./client";
import { changedProperties, PROVIDER_VERSION, sameValue, type PropertyDiff } from "./state";
import {
  checkBoolean,
  checkEnum,
  checkHttpsUrl,
  checkInteger,
  checkSid,
  checkString,
  type ValidationFailure,
} from "./validation";
import { propertyDiff, validatingCheck } from "./providerParts";

/** A Twilio Messaging Service (Messaging v1 `Services`); every field updates in place. */
export interface MessagingServiceArgs {
  /** Name shown in the Console, up to 64 characters (the stack uses `whatsapp-bot-<stack>`); required unless adopting. */
  readonly friendlyName?: pulumi.Input<string>;
  /** Adopt this existing service (MG…) instead of creating one; changing it replaces the resource. */
  readonly adoptSid?: pulumi.Input<string>;
  /** Delete an adopted service on destroy (default false: only the URLs still holding this stack's are cleared). */
  readonly deleteOnDestroy?: pulumi.Input<boolean>;
  /** URL Twilio calls for each incoming message (https). Removing it clears it. */
  readonly inboundRequestUrl?: pulumi.Input<string>;
  /** Method for `inboundRequestUrl`: GET or POST (Twilio's default POST). */
  readonly inboundMethod?: pulumi.Input<"GET" | "POST">;
  /** URL Twilio calls when the inbound request fails (https). Removing it clears it. */
  readonly fallbackUrl?: pulumi.Input<string>;
  /** Method for `fallbackUrl`: GET or POST. */
  readonly fallbackMethod?: pulumi.Input<"GET" | "POST">;
  /** URL Twilio posts message status updates to (https). Removing it clears it. */
  readonly statusCallback?: pulumi.Input<string>;
  /** Use each sender's own webhook instead of the service's. */
  readonly useInboundWebhookOnNumber?: pulumi.Input<boolean>;
  /** Keep sending to a recipient from the same sender. */
  readonly stickySender?: pulumi.Input<boolean>;
  /** Seconds a queued message stays valid, 1 to 36000. */
  readonly validityPeriod?: pulumi.Input<number>;
  /** Convert long SMS to MMS. */
  readonly mmsConverter?: pulumi.Input<boolean>;
  /** Replace Unicode look-alikes to stay in GSM-7. */
  readonly smartEncoding?: pulumi.Input<boolean>;
  /** Content scanning: inherit, enable or disable. */
  readonly scanMessageContent?: pulumi.Input<"inherit" | "enable" | "disable">;
  /** Obsolete short-code fallback flag, kept settable for completeness. */
  readonly fallbackToLongCode?: pulumi.Input<boolean>;
  /** Pick a sender with the recipient's area code. */
  readonly areaCodeGeomatch?: pulumi.Input<boolean>;
  /** Reserved by Twilio. */
  readonly synchronousValidation?: pulumi.Input<boolean>;
  /** Declared use case: notifications, marketing, verification, discussion, poll or undeclared. */
  readonly usecase?: pulumi.Input<string>;
}

/** Resolved inputs, as stored in state. */
export interface MessagingServiceInputs {
  friendlyName?: string;
  adoptSid?: string;
  deleteOnDestroy?: boolean;
  inboundRequestUrl?: string;
  inboundMethod?: "GET" | "POST";
  fallbackUrl?: string;
  fallbackMethod?: "GET" | "POST";
  statusCallback?: string;
  useInboundWebhookOnNumber?: boolean;
  stickySender?: boolean;
  validityPeriod?: number;
  mmsConverter?: boolean;
  smartEncoding?: boolean;
  scanMessageContent?: "inherit" | "enable" | "disable";
  fallbackToLongCode?: boolean;
  areaCodeGeomatch?: boolean;
  synchronousValidation?: boolean;
  usecase?: string;
  providerVersion?: number;
}

/** Outputs: the inputs plus the service SID (MG...). */
export interface MessagingServiceOutputs extends MessagingServiceInputs {
  sid: string;
}

/** The settable fields, named as in the SDK's create/update options. */
export const SERVICE_FIELDS = [
  "friendlyName",
  "inboundRequestUrl",
  "inboundMethod",
  "fallbackUrl",
  "fallbackMethod",
  "statusCallback",
  "useInboundWebhookOnNumber",
  "stickySender",
  "validityPeriod",
  "mmsConverter",
  "smartEncoding",
  "scanMessageContent",
  "fallbackToLongCode",
  "areaCodeGeomatch",
  "synchronousValidation",
  "usecase",
] as const;

type ServiceField = (typeof SERVICE_FIELDS)[number];

/** URL fields Twilio clears when sent empty; other removed fields are left as they are. */
const CLEARABLE: readonly ServiceField[] = ["inboundRequestUrl", "fallbackUrl", "statusCallback"];

/** Use cases the Services API documents. */
export const SERVICE_USECASES = [
  "notifications",
  "marketing",
  "verification",
  "discussion",
  "poll",
  "undeclared",
] as const;

/** Checks Messaging Service inputs (no API call). */
export function validateMessagingService(
  news: Partial<MessagingServiceInputs>,
): ValidationFailure[] {
  return [
    // "It can be up to 64 characters long." (twilio_messaging_v1.json, CreateService FriendlyName)
    ...checkString("friendlyName", news.friendlyName, { required: !news.adoptSid, max: 64 }),
    ...checkSid("adoptSid", news.adoptSid, ["MG"], false),
    ...checkBoolean("deleteOnDestroy", news.deleteOnDestroy),
    ...checkHttpsUrl("inboundRequestUrl", news.inboundRequestUrl),
    ...checkEnum("inboundMethod", news.inboundMethod, ["GET", "POST"]),
    ...checkHttpsUrl("fallbackUrl", news.fallbackUrl),
    ...checkEnum("fallbackMethod", news.fallbackMethod, ["GET", "POST"]),
    ...checkHttpsUrl("statusCallback", news.statusCallback),
    ...checkBoolean("useInboundWebhookOnNumber", news.useInboundWebhookOnNumber),
    ...checkBoolean("stickySender", news.stickySender),
    // "Can be an integer from 1 to 36,000." (ValidityPeriod)
    ...checkInteger("validityPeriod", news.validityPeriod, 1, 36000),
    ...checkBoolean("mmsConverter", news.mmsConverter),
    ...checkBoolean("smartEncoding", news.smartEncoding),
    ...checkEnum("scanMessageContent", news.scanMessageContent, ["inherit", "enable", "disable"]),
    ...checkBoolean("fallbackToLongCode", news.fallbackToLongCode),
    ...checkBoolean("areaCodeGeomatch", news.areaCodeGeomatch),
    ...checkBoolean("synchronousValidation", news.synchronousValidation),
    ...checkEnum("usecase", news.usecase, SERVICE_USECASES),
  ];
}

/** Which properties changed; only adopting another service forces a replacement. */
export function diffMessagingService(
  olds: MessagingServiceInputs,
  news: MessagingServiceInputs,
): PropertyDiff {
  const changed = changedProperties(olds, news, [
    ...SERVICE_FIELDS,
    "adoptSid",
    "deleteOnDestroy",
    "providerVersion",
  ]);
  // Another adopted service (or none) is another object: the only change that replaces.
  return { changed, replaces: changed.filter((k) => k === "adoptSid") };
}

/** The create/update parameters for the given fields (removed URLs are sent empty, to clear them). */
function serviceParams(
  news: MessagingServiceInputs,
  fields: readonly string[],
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of fields as ServiceField[]) {
    if (!SERVICE_FIELDS.includes(field)) continue;
    const value = news[field];
    if (value !== undefined && value !== null) params[field] = value;
    else if (CLEARABLE.includes(field)) params[field] = "";
  }
  return params;
}

function pickInputs(inputs: MessagingServiceInputs): MessagingServiceInputs {
  const out: Record<string, unknown> = {};
  for (const field of [...SERVICE_FIELDS, "adoptSid", "deleteOnDestroy"] as const)
    if (inputs[field] !== undefined) out[field] = inputs[field];
  return { ...(out as unknown as MessagingServiceInputs), providerVersion: PROVIDER_VERSION };
}

/** The live service's fields by name, or undefined when the account has no such service. */
async function fetchService(
  client: TwilioClient,
  sid: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return (await callTwilio(
      "fetch Messaging Service",
      () => client.messaging.v1.services(sid).fetch(),
      { idempotent: true },
    )) as unknown as Record<string, unknown>;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Takes over an existing service: only the managed fields that differ from it are written. */
async function adoptService(
  client: TwilioClient,
  inputs: MessagingServiceInputs,
  sid: string,
): Promise<{ id: string; outs: MessagingServiceOutputs }> {
  const live = await fetchService(client, sid);
  if (!live) {
    throw twilioApiError(
      `No Messaging Service ${sid} in this Twilio account: check whatsapp-bot:messagingService.sid ` +
        "(Console > Messaging > Services), or remove it to let the stack create its own service",
      { status: 404, code: 20404 },
    );
  }
  const fields = SERVICE_FIELDS.filter(
    (f) => inputs[f] !== undefined && !sameValue(live[f], inputs[f]),
  );
  const params = serviceParams(inputs, fields);
  if (Object.keys(params).length > 0)
    await callTwilio(
      "update Messaging Service",
      () => client.messaging.v1.services(sid).update(params),
      { idempotent: true },
    );
  return { id: sid, outs: { ...pickInputs(inputs), sid } satisfies MessagingServiceOutputs };
}

/**
 * Leaves an adopted service in place on destroy: its URLs are cleared only where Twilio still
 * holds this stack's, so a service someone has since pointed elsewhere keeps its webhooks.
 */
async function releaseService(
  client: TwilioClient,
  sid: string,
  props: MessagingServiceOutputs,
): Promise<void> {
  const live = await fetchService(client, sid);
  if (!live) return;
  const ours = CLEARABLE.filter((f) => props[f] !== undefined && live[f] === props[f]);
  if (ours.length === 0) return;
  const params = Object.fromEntries(ours.map((f) => [f, ""]));
  await callTwilio(
    "update Messaging Service",
    () => client.messaging.v1.services(sid).update(params),
    { idempotent: true },
  );
}

/** The dynamic provider for MessagingService. */
export const messagingServiceProvider: pulumi.dynamic.ResourceProvider<
  MessagingServiceInputs,
  MessagingServiceOutputs
> = {
  configure: configureTwilio,
  check: validatingCheck<MessagingServiceInputs>(validateMessagingService),
  diff: propertyDiff<MessagingServiceInputs, MessagingServiceOutputs>(diffMessagingService),

  async create(inputs) {
    const client = twilioClient();
    if (inputs.adoptSid) return adoptService(client, inputs, inputs.adoptSid);
    const params = serviceParams(
      inputs,
      SERVICE_FIELDS.filter((f) => inputs[f] !== undefined),
    );
    const service = await createOrTakeOver(
      "Messaging Service",
      inputs.friendlyName ?? "",
      () =>
        callTwilio(
          "create Messaging Service",
          () => client.messaging.v1.services.create(params as { friendlyName: string }),
          { idempotent: false },
        ),
      async () =>
        (
          await callTwilio(
            "list Messaging Services",
            () => client.messaging.v1.services.list({ limit: 1000 }),
            { idempotent: true },
          )
        ).filter((s) => s.friendlyName === inputs.friendlyName),
    );
    const outs = { ...pickInputs(inputs), sid: service.sid } satisfies MessagingServiceOutputs;
    return { id: service.sid, outs };
  },

  async read(id, props) {
    const live = await fetchService(twilioClient(), id);
    if (!live) return {};
    const managed: Record<string, unknown> = {};
    for (const field of SERVICE_FIELDS) {
      // Only fields the stack sets are compared, so Twilio's defaults do not show up as drift.
      // A cleared field is null, never undefined: outputs cross a protobuf Struct, which has no
      // undefined (the dynamic-provider host fails with "Unexpected struct type").
      if (props?.[field] !== undefined) managed[field] = live[field] ?? null;
    }
    const sid = live.sid as string;
    const outs = {
      ...(props as MessagingServiceOutputs),
      ...managed,
      sid,
    } satisfies MessagingServiceOutputs;
    return { id: sid, props: outs };
  },

  async update(id, olds, news) {
    const { changed } = diffMessagingService(olds, news);
    const params = serviceParams(news, changed);
    if (Object.keys(params).length > 0) {
      const client = twilioClient();
      await callTwilio(
        "update Messaging Service",
        () => client.messaging.v1.services(olds.sid ?? id).update(params),
        {
          idempotent: true,
        },
      );
    }
    const outs = { ...pickInputs(news), sid: olds.sid ?? id } satisfies MessagingServiceOutputs;
    return { outs };
  },

  async delete(id, props) {
    const client = twilioClient();
    if (props?.adoptSid && props.deleteOnDestroy !== true) {
      await releaseService(client, props.adoptSid, props);
      return;
    }
    try {
      await callTwilio(
        "delete Messaging Service",
        () => client.messaging.v1.services(props?.sid ?? id).remove(),
        {
          idempotent: true,
        },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

/** A Twilio Messaging Service managed by the stack. */
export class MessagingService extends pulumi.dynamic.Resource {
  /** The service SID (MG...). */
  declare readonly sid: pulumi.Output<string>;
  /** The service's name. */
  declare readonly friendlyName: pulumi.Output<string>;
  /** The incoming-message webhook. */
  declare readonly inboundRequestUrl: pulumi.Output<string | undefined>;
  /** The fallback webhook. */
  declare readonly fallbackUrl: pulumi.Output<string | undefined>;
  /** The status callback URL. */
  declare readonly statusCallback: pulumi.Output<string | undefined>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: MessagingServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      messagingServiceProvider,
      name,
      { ...args, providerVersion: PROVIDER_VERSION, sid: undefined },
      opts,
      "twilio",
      "MessagingService",
    );
  }
}

import type * as pulumi from "@pulumi/pulumi";
import type { ChannelsSenderInstance } from "twilio/lib/rest/messaging/v2/channelsSender";
import { callTwilio, configureTwilio, isNotFound, twilioClient } from "../client";
import type { WhatsAppSenderInputs, WhatsAppSenderOutputs, WhatsAppSenderWebhook } from "./types";
import { sameNumber, validateWhatsAppSender } from "./check";
import { diffWhatsAppSender } from "./diff";
import {
  definedKeys,
  adoptSender,
  liveProfile,
  liveWebhook,
  pickInputs,
  registerSender,
  updateBodyFor,
  updateSender,
  webhookBody,
  WEBHOOK_URLS,
} from "./api";

/** The dynamic provider for WhatsAppSender. */
export const whatsAppSenderProvider: pulumi.dynamic.ResourceProvider<
  WhatsAppSenderInputs,
  WhatsAppSenderOutputs
> = {
  configure: configureTwilio,

  async check(olds, news) {
    return validateWhatsAppSender(olds ?? {}, news);
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffWhatsAppSender(olds, news);
    // Re-registering the same number must delete the old sender first (one sender per number).
    return {
      changes: changed.length > 0,
      replaces,
      deleteBeforeReplace:
        replaces.length > 0 && sameNumber(olds.register?.number, news.register?.number),
    };
  },

  async create(inputs) {
    const client = twilioClient();
    const sender = inputs.register
      ? await registerSender(client, inputs)
      : await adoptSender(client, inputs);
    const outs = {
      ...pickInputs(inputs),
      sid: sender.sid,
      status: sender.status,
      senderId: sender.senderId,
    } satisfies WhatsAppSenderOutputs;
    return { id: sender.sid, outs };
  },

  async read(id, props) {
    const client = twilioClient();
    let live: ChannelsSenderInstance;
    try {
      live = await callTwilio(
        "fetch WhatsApp sender",
        () => client.messaging.v2.channelsSenders(id).fetch(),
        { idempotent: true },
      );
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
    const outs = {
      ...(props as WhatsAppSenderOutputs),
      sid: live.sid,
      status: live.status,
      senderId: live.senderId,
    } satisfies WhatsAppSenderOutputs;
    // Managed webhook and profile fields take their live values, so drift shows at the next up.
    const webhook = liveWebhook(live);
    const profile = liveProfile(live);
    if (props?.webhook)
      outs.webhook = Object.fromEntries(
        definedKeys(props.webhook).map((k) => [k, webhook[k as keyof WhatsAppSenderWebhook]]),
      );
    if (props?.profile) {
      outs.profile = Object.fromEntries(
        definedKeys(props.profile).map((k) => [
          k,
          k === "logoFile" ? props.profile?.logoFile : profile[k as keyof typeof profile],
        ]),
      );
    }
    return { id: live.sid, props: outs };
  },

  async update(id, olds, news) {
    const body = updateBodyFor(olds, news);
    const sid = olds.sid ?? id;
    let status = olds.status;
    let senderId = olds.senderId;
    if (body) {
      const sender = await updateSender(twilioClient(), sid, body);
      status = sender.status ?? status;
      senderId = sender.senderId ?? senderId;
    }
    const outs = { ...pickInputs(news), sid, status, senderId } satisfies WhatsAppSenderOutputs;
    return { outs };
  },

  async delete(id, props) {
    const client = twilioClient();
    const sid = props?.sid ?? id;
    try {
      if (props?.deleteOnDestroy === true) {
        await callTwilio(
          "delete WhatsApp sender",
          () => client.messaging.v2.channelsSenders(sid).remove(),
          { idempotent: true },
        );
        return;
      }
      // Detach only what is still this stack's: a webhook URL the stack set is cleared only while
      // Twilio still holds that URL, so a sender someone has since pointed elsewhere keeps its
      // webhook. The sender, its number and its profile stay.
      const urls = definedKeys(props?.webhook).filter((k) => WEBHOOK_URLS.includes(k));
      if (urls.length === 0) return;
      const live = liveWebhook(
        await callTwilio(
          "fetch WhatsApp sender",
          () => client.messaging.v2.channelsSenders(sid).fetch(),
          { idempotent: true },
        ),
      );
      const ours = urls.filter(
        (k) =>
          live[k as keyof WhatsAppSenderWebhook] ===
          props?.webhook?.[k as keyof WhatsAppSenderWebhook],
      );
      if (ours.length > 0)
        await updateSender(client, sid, { webhook: webhookBody(undefined, ours) });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

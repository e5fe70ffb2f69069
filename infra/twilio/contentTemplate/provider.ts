import type * as pulumi from "@pulumi/pulumi";
import { callTwilio, configureTwilio, isNotFound, twilioClient } from "../client";
import { containsUnknown } from "../validation";
import { approvalNameReuseReason, validateContentTemplate } from "./check";
import { diffContentTemplate } from "./diff";
import { createTemplate, deleteContent, fetchApproval, pickInputs, submitApproval } from "./api";
import type { ContentTemplateInputs, ContentTemplateOutputs } from "./types";

/**
 * The dynamic provider for ContentTemplate. A content change replaces the template, new one
 * first: names need not be unique in the Content API, and `check` makes a replacement that is
 * submitted for approval carry a new approval name, so old and new never clash in WhatsApp.
 */
export const contentTemplateProvider: pulumi.dynamic.ResourceProvider<
  ContentTemplateInputs,
  ContentTemplateOutputs
> = {
  configure: configureTwilio,

  async check(olds, news) {
    const failures = validateContentTemplate(news);
    const old = olds ?? {};
    const oldName = old.approval?.name;
    const { replaces } = diffContentTemplate(old, news);
    if (
      oldName &&
      replaces.length > 0 &&
      !containsUnknown(news) &&
      news.approval?.name === oldName
    ) {
      failures.push({ property: "approval.name", reason: approvalNameReuseReason(oldName) });
    }
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const { changed, replaces } = diffContentTemplate(olds, news);
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  },

  async create(inputs) {
    const { sid, approvalStatus } = await createTemplate(twilioClient(), inputs);
    const outs = {
      ...pickInputs(inputs),
      sid,
      approvalStatus,
      rejectionReason: null,
    } satisfies ContentTemplateOutputs;
    return { id: sid, outs };
  },

  async read(id, props) {
    const client = twilioClient();
    const sid = props?.sid ?? id;
    try {
      await callTwilio("fetch content template", () => client.content.v1.contents(sid).fetch(), {
        idempotent: true,
      });
      const approval = await fetchApproval(client, sid);
      const outs = { ...(props as ContentTemplateOutputs), sid, ...approval };
      return { id: sid, props: outs };
    } catch (err) {
      if (isNotFound(err)) return {};
      throw err;
    }
  },

  async update(id, olds, news) {
    const sid = olds.sid ?? id;
    let approvalStatus = olds.approvalStatus;
    let rejectionReason = olds.rejectionReason ?? null;
    // Diff makes every other approval change a replacement, so this is the first request.
    if (news.approval && !olds.approval) {
      approvalStatus = await submitApproval(twilioClient(), sid, news.approval);
      rejectionReason = null;
    }
    const outs = {
      ...pickInputs(news),
      sid,
      approvalStatus,
      rejectionReason,
    } satisfies ContentTemplateOutputs;
    return { outs };
  },

  async delete(id, props) {
    await deleteContent(twilioClient(), props?.sid ?? id);
  },
};

import { expect } from "@jest/globals";
import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import {
  contentTemplateProvider as provider,
  type ContentTemplateInputs,
  type ContentTemplateOutputs,
} from "../../../infra/twilio/contentTemplate";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";

const base: ContentTemplateInputs = {
  friendlyName: "appointment_reminder",
  language: "en",
  variables: { "1": "Ana", "2": "12 March at 10:00" },
  types: {
    "twilio/text": { body: "Hello {{1}}, your appointment is on {{2}}. Reply to change it." },
    "twilio/quick-reply": {
      body: "Hello {{1}}, your appointment is on {{2}}. Can you come?",
      actions: [
        { title: "Yes", id: "confirm" },
        { title: "Change it", id: "reschedule" },
      ],
    },
  },
  approval: { name: "appointment_reminder", category: "UTILITY" },
  providerVersion: PROVIDER_VERSION,
};

const standIn = useTwilioStandIn();
const create = (inputs: ContentTemplateInputs = base) =>
  createChecked<ContentTemplateInputs, ContentTemplateOutputs>(provider, inputs);
const contentPath = /^\/v1\/Content$/;

describe("ContentTemplate provider against the Twilio stand-in", () => {
  test("create posts the content in the API's wire format, then the approval request", async () => {
    const { id, outs } = await create();
    expect(id).toMatch(/^HX[0-9a-f]{32}$/);
    expect(
      standIn()
        .writes()
        .map((c) => `${c.method} ${c.path}`),
    ).toEqual([`POST /v1/Content`, `POST /v1/Content/${id}/ApprovalRequests/whatsapp`]);
    expect(standIn().writes()[0].body).toEqual({
      friendly_name: "appointment_reminder",
      language: "en",
      variables: { "1": "Ana", "2": "12 March at 10:00" },
      types: {
        "twilio/text": base.types["twilio/text"],
        "twilio/quick-reply": {
          body: base.types["twilio/quick-reply"]?.body,
          actions: [
            { type: "QUICK_REPLY", title: "Yes", id: "confirm" },
            { type: "QUICK_REPLY", title: "Change it", id: "reschedule" },
          ],
        },
      },
    });
    expect(standIn().writes()[1].body).toEqual({
      name: "appointment_reminder",
      category: "UTILITY",
    });
    expect(outs).toEqual({ ...base, sid: id, approvalStatus: "received", rejectionReason: null });
  });

  test("a template without approval is created alone and reads as unsubmitted", async () => {
    const { approval: _none, ...inputs } = base;
    const { id, outs } = await create(inputs);
    expect(standIn().writes()).toHaveLength(1);
    expect(outs.approvalStatus).toBe("unsubmitted");
    expect((await provider.read!(id, outs)).props).toEqual(outs);
  });

  test("refresh picks up WhatsApp's decision, with Meta's rejection reason", async () => {
    const { id, outs } = await create();
    standIn().setApproval(id, "approved");
    expect((await provider.read!(id, outs)).props).toMatchObject({
      approvalStatus: "approved",
      rejectionReason: null,
    });
    standIn().setApproval(id, "rejected", "INVALID_FORMAT");
    expect((await provider.read!(id, outs)).props).toMatchObject({
      approvalStatus: "rejected",
      rejectionReason: "INVALID_FORMAT",
    });
  });

  test("refresh of a template deleted outside the stack forgets it", async () => {
    const { id, outs } = await create();
    standIn().state.contents.delete(id);
    expect(await provider.read!(id, outs)).toEqual({});
  });

  test("asking for approval later is one approval request on the same template", async () => {
    const { approval, ...inputs } = base;
    const { id, outs } = await create(inputs);
    standIn().resetCalls();
    expect(await provider.diff!(id, outs, base)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const { outs: updated } = await provider.update!(id, outs, base);
    expect(
      standIn()
        .writes()
        .map((c) => c.path),
    ).toEqual([`/v1/Content/${id}/ApprovalRequests/whatsapp`]);
    expect(updated).toMatchObject({ sid: id, approval, approvalStatus: "received" });
  });

  test("an up with nothing changed makes no call", async () => {
    const { id, outs } = await create();
    standIn().resetCalls();
    expect(await provider.diff!(id, outs, { ...base })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    await provider.update!(id, outs, { ...base });
    expect(standIn().calls).toHaveLength(0);
  });

  test("a content change is a replace, new template first, under a new approval name", async () => {
    const { id, outs } = await create();
    const news: ContentTemplateInputs = {
      ...base,
      types: { "twilio/text": { body: "Hi {{1}}, see you on {{2}}. Reply to change it." } },
      approval: { name: "appointment_reminder_v2", category: "UTILITY" },
    };
    expect((await provider.check!(outs, news)).failures).toEqual([]);
    expect(await provider.diff!(id, outs, news)).toEqual({
      changes: true,
      replaces: ["types", "approval"],
      deleteBeforeReplace: false,
    });
    // The engine creates the replacement, then deletes the old template.
    const replacement = await provider.create(news);
    await provider.delete!(id, outs);
    expect([...standIn().state.contents.keys()]).toEqual([replacement.id]);
    expect(standIn().state.approvals.get(replacement.id)).toMatchObject({
      name: "appointment_reminder_v2",
    });
  });

  test("a replacement that keeps the approval name is refused at preview, naming the fix", async () => {
    const { outs } = await create();
    const news = { ...base, language: "es" };
    const { failures } = await provider.check!(outs, news);
    expect(failures).toEqual([
      {
        property: "approval.name",
        reason: expect.stringContaining("appointment_reminder_v2"),
      },
    ]);
    expect(failures?.[0].reason).toContain("needs WhatsApp approval again");
  });

  test("the stand-in refuses a second template of the same approval name, as WhatsApp does", async () => {
    await create();
    await expect(provider.create({ ...base, friendlyName: "another" })).rejects.toThrow(
      /already exists.*nothing was left behind/s,
    );
    expect(standIn().state.contents.size).toBe(1);
  });

  test("a failed approval request deletes the new content again: nothing half-created", async () => {
    standIn().failNext({ status: 500, match: { path: /ApprovalRequests/ } });
    await expect(provider.create(base)).rejects.toThrow(/nothing was left behind/);
    expect(standIn().state.contents.size).toBe(0);
    expect(standIn().state.approvals.size).toBe(0);
  });

  test("when the roll-back delete fails too, the error names the content SID to delete", async () => {
    standIn().failNext({ status: 500, match: { path: /ApprovalRequests/ } });
    standIn().failNext({ status: 500, times: 4, match: { method: "DELETE" } });
    const failure = provider.create(base);
    await expect(failure).rejects.toThrow(
      /Content template HX[0-9a-f]{32} was created but could not be deleted/,
    );
    const [sid] = [...standIn().state.contents.keys()];
    await expect(failure).rejects.toThrow(sid);
  });

  test("a create Twilio applied but answered with a 500 is taken over, not duplicated", async () => {
    standIn().failNext({
      status: 500,
      afterApply: true,
      match: { method: "POST", path: contentPath },
    });
    const { id } = await create();
    expect([...standIn().state.contents.keys()]).toEqual([id]);
    expect(standIn().state.approvals.get(id)).toMatchObject({ name: "appointment_reminder" });
  });

  test("rate limits on create are retried", async () => {
    standIn().failNext({ status: 429, times: 2, match: { path: contentPath } });
    const { id } = await create();
    expect(standIn().state.contents.has(id)).toBe(true);
  });

  test("delete removes the template; one already gone is fine", async () => {
    const { id, outs } = await create();
    await provider.delete!(id, outs);
    expect(standIn().state.contents.size).toBe(0);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });

  test("media and call-to-action templates pass the Content API's schema", async () => {
    const { id } = await create({
      friendlyName: "order_shipped",
      language: "en_US",
      variables: { "1": "4711", "2": "tracking/4711" },
      types: {
        "twilio/media": {
          body: "Order {{1}} is on its way.",
          media: ["https://example.com/img/parcel.png"],
        },
        "twilio/call-to-action": {
          body: "Order {{1}} is on its way. Track it below.",
          actions: [
            { type: "URL", title: "Track order", url: "https://example.com/{{2}}" },
            { type: "PHONE_NUMBER", title: "Call us", phone: "+14155550100" },
          ],
        },
      },
      approval: { name: "order_shipped", category: "UTILITY" },
      providerVersion: PROVIDER_VERSION,
    });
    expect(standIn().state.contents.get(id)?.types).toMatchObject({
      "twilio/call-to-action": { actions: [{ type: "URL" }, { type: "PHONE_NUMBER" }] },
    });
  });
});

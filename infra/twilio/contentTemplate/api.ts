import type { ContentCreateRequest } from "twilio/lib/rest/content/v1/content";
import type { ContentApprovalRequest } from "twilio/lib/rest/content/v1/content/approvalCreate";
import {
  callTwilio,
  createOrTakeOver,
  isNotFound,
  twilioApiError,
  type TwilioClient,
} from "../client";
import { PROVIDER_VERSION, sameValue } from "../state";
import type { ContentApproval, ContentTemplateInputs, ContentTypes } from "./types";

/** A Content API body (snake_case, as on the wire). */
export type Json = Record<string, unknown>;

/** Where approval stands before any request (what the API reports for an unsubmitted template). */
export const UNSUBMITTED = "unsubmitted";

/** The content types as the API takes them: quick-reply buttons carry `type: QUICK_REPLY`. */
export function wireTypes(types: ContentTypes): Json {
  const out: Json = { ...types };
  const quickReply = types["twilio/quick-reply"];
  if (quickReply)
    out["twilio/quick-reply"] = {
      ...quickReply,
      actions: quickReply.actions.map((a) => ({ type: "QUICK_REPLY", ...a })),
    };
  return out;
}

/** The `POST /v1/Content` body. */
export function createBody(inputs: ContentTemplateInputs): Json {
  return {
    friendly_name: inputs.friendlyName,
    language: inputs.language,
    variables: inputs.variables ?? {},
    types: wireTypes(inputs.types),
  };
}

/** The inputs kept in state, stamped with the provider version. */
export function pickInputs(inputs: ContentTemplateInputs): ContentTemplateInputs {
  const out: ContentTemplateInputs = {
    friendlyName: inputs.friendlyName,
    language: inputs.language,
    types: inputs.types,
    providerVersion: PROVIDER_VERSION,
  };
  if (inputs.variables !== undefined) out.variables = inputs.variables;
  if (inputs.approval !== undefined) out.approval = inputs.approval;
  return out;
}

/** The created content the provider keeps: its SID. */
interface Created {
  sid: string;
}

/**
 * Creates the content. A create Twilio applied but answered with a 5xx or a timeout is taken
 * over rather than orphaned: the content with the same friendly name, language and types is
 * looked up (two such are not guessed between).
 */
export async function createContent(
  client: TwilioClient,
  inputs: ContentTemplateInputs,
): Promise<Created> {
  const body = createBody(inputs);
  return createOrTakeOver<Created>(
    "content template",
    inputs.friendlyName,
    // The SDK sends the object as the JSON body unchanged, so it is built in the API's snake_case.
    () =>
      callTwilio(
        "create content template",
        () => client.content.v1.contents.create(body as unknown as ContentCreateRequest),
        { idempotent: false },
      ),
    async () => {
      const all = await callTwilio(
        "list content templates",
        () => client.content.v1.contents.list(),
        {
          idempotent: true,
        },
      );
      return all.filter(
        (c) =>
          c.friendlyName === inputs.friendlyName &&
          c.language === inputs.language &&
          sameValue(c.types, body.types),
      );
    },
  );
}

/** Submits content for WhatsApp approval; returns the status Twilio reports. */
export async function submitApproval(
  client: TwilioClient,
  sid: string,
  approval: ContentApproval,
): Promise<string> {
  const body = { name: approval.name, category: approval.category };
  const answer = await callTwilio(
    "submit content template for WhatsApp approval",
    () =>
      client.content.v1
        .contents(sid)
        .approvalCreate.create(body as unknown as ContentApprovalRequest),
    { idempotent: false },
  );
  return answer.status ?? UNSUBMITTED;
}

/** Where WhatsApp approval stands, and Meta's rejection reason (null when none). */
export async function fetchApproval(
  client: TwilioClient,
  sid: string,
): Promise<{ approvalStatus: string; rejectionReason: string | null }> {
  const answer = await callTwilio(
    "fetch content template approval",
    () => client.content.v1.contents(sid).approvalFetch().fetch(),
    { idempotent: true },
  );
  const whatsapp = (answer.whatsapp ?? {}) as Json;
  const status = typeof whatsapp.status === "string" ? whatsapp.status : UNSUBMITTED;
  const reason = typeof whatsapp.rejection_reason === "string" ? whatsapp.rejection_reason : "";
  return { approvalStatus: status, rejectionReason: reason === "" ? null : reason };
}

/** Deletes content; one already gone counts as deleted. */
export async function deleteContent(client: TwilioClient, sid: string): Promise<void> {
  try {
    await callTwilio("delete content template", () => client.content.v1.contents(sid).remove(), {
      idempotent: true,
    });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/**
 * Creates the content and, when asked, submits it for approval. If the approval request fails the
 * new content is deleted again, so a failed create leaves nothing behind; if even that delete
 * fails, the error names the SID to delete by hand.
 */
export async function createTemplate(
  client: TwilioClient,
  inputs: ContentTemplateInputs,
): Promise<{ sid: string; approvalStatus: string }> {
  const { sid } = await createContent(client, inputs);
  if (!inputs.approval) return { sid, approvalStatus: UNSUBMITTED };
  try {
    return { sid, approvalStatus: await submitApproval(client, sid, inputs.approval) };
  } catch (err) {
    const status = (err as { status?: number }).status;
    const code = (err as { code?: number }).code;
    try {
      await deleteContent(client, sid);
    } catch (cleanup) {
      throw twilioApiError(
        `${(err as Error).message}. Content template ${sid} was created but could not be deleted again ` +
          `(${(cleanup as Error).message}): delete it in the Twilio Console (Messaging > Content Template Builder), then run \`pulumi up\` again`,
        { status, code },
      );
    }
    throw twilioApiError(
      `${(err as Error).message}. The new content template was deleted again, so nothing was left behind; fix the cause and run \`pulumi up\` again`,
      { status, code },
    );
  }
}

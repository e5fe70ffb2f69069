import type * as pulumi from "@pulumi/pulumi";
import type { CALL_TO_ACTION_TYPES, CATEGORIES } from "./rules";

/** Resolved inputs as a provider receives them: every `Input` unwrapped, nothing readonly. */
type Resolved<T> = { -readonly [K in keyof T]: pulumi.Unwrap<T[K]> };

/** A WhatsApp template category. */
export type ContentCategory = (typeof CATEGORIES)[number];
/** A call-to-action button type. */
export type CallToActionType = (typeof CALL_TO_ACTION_TYPES)[number];

/** `twilio/text`: plain text. */
export interface TwilioTextArgs {
  /** The text, with `{{n}}` placeholders. */
  readonly body: pulumi.Input<string>;
}

/** `twilio/media`: a file with an optional caption. */
export interface TwilioMediaArgs {
  /** The caption. */
  readonly body?: pulumi.Input<string>;
  /** One public https URL of the file (a placeholder may end it). */
  readonly media: pulumi.Input<pulumi.Input<string>[]>;
}

/** A quick-reply button. */
export interface QuickReplyActionArgs {
  /** The button's text. */
  readonly title: pulumi.Input<string>;
  /** What the bot receives as `ButtonPayload` when tapped. */
  readonly id?: pulumi.Input<string>;
}

/** `twilio/quick-reply`: text with reply buttons. */
export interface TwilioQuickReplyArgs {
  /** The text above the buttons. */
  readonly body: pulumi.Input<string>;
  /** 1 to 10 buttons. */
  readonly actions: pulumi.Input<pulumi.Input<QuickReplyActionArgs>[]>;
}

/** A call-to-action button: a link, a phone number or a code to copy. */
export interface CallToActionActionArgs {
  /** URL, PHONE_NUMBER or COPY_CODE. */
  readonly type: pulumi.Input<CallToActionType>;
  /** The button's text. */
  readonly title: pulumi.Input<string>;
  /** For URL: the https link (a placeholder may end it). */
  readonly url?: pulumi.Input<string>;
  /** For PHONE_NUMBER: the E.164 number. */
  readonly phone?: pulumi.Input<string>;
  /** For COPY_CODE: the code. */
  readonly code?: pulumi.Input<string>;
}

/** `twilio/call-to-action`: text with link, phone or copy-code buttons. */
export interface TwilioCallToActionArgs {
  /** The text above the buttons. */
  readonly body: pulumi.Input<string>;
  /** Up to 2 URL, 1 PHONE_NUMBER and 1 COPY_CODE buttons. */
  readonly actions: pulumi.Input<pulumi.Input<CallToActionActionArgs>[]>;
}

/** The content types of a template, by Twilio's names; WhatsApp sends the richest one. */
export interface ContentTypesArgs {
  /** Plain text. */
  readonly "twilio/text"?: pulumi.Input<TwilioTextArgs>;
  /** A file with a caption. */
  readonly "twilio/media"?: pulumi.Input<TwilioMediaArgs>;
  /** Text with reply buttons. */
  readonly "twilio/quick-reply"?: pulumi.Input<TwilioQuickReplyArgs>;
  /** Text with link, phone or copy-code buttons. */
  readonly "twilio/call-to-action"?: pulumi.Input<TwilioCallToActionArgs>;
}

/** Submit the template for WhatsApp approval. */
export interface ContentApprovalArgs {
  /** The WhatsApp template name: lower-case words joined by underscores, unique per WABA and language. */
  readonly name: pulumi.Input<string>;
  /** UTILITY, MARKETING or AUTHENTICATION. */
  readonly category: pulumi.Input<ContentCategory>;
}

/** A content template (Content API `/v1/Content`), optionally submitted for WhatsApp approval. */
export interface ContentTemplateArgs {
  /** The name shown in the Console (not sent to users). */
  readonly friendlyName: pulumi.Input<string>;
  /** The template's language, e.g. `en` or `pt_BR`. */
  readonly language: pulumi.Input<string>;
  /** Each `{{n}}` placeholder's sample value, keyed "1", "2", ... (WhatsApp reviews them). */
  readonly variables?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The content, by type. */
  readonly types: pulumi.Input<ContentTypesArgs>;
  /** Submit for WhatsApp approval with this name and category. */
  readonly approval?: pulumi.Input<ContentApprovalArgs>;
}

/** Resolved `types`. */
export type ContentTypes = Resolved<{
  "twilio/text"?: Resolved<TwilioTextArgs>;
  "twilio/media"?: Resolved<TwilioMediaArgs>;
  "twilio/quick-reply"?: { body: string; actions: Resolved<QuickReplyActionArgs>[] };
  "twilio/call-to-action"?: { body: string; actions: Resolved<CallToActionActionArgs>[] };
}>;
/** Resolved `approval`. */
export type ContentApproval = Resolved<ContentApprovalArgs>;

/** Resolved inputs, as stored in state. */
export interface ContentTemplateInputs {
  friendlyName: string;
  language: string;
  variables?: Record<string, string>;
  types: ContentTypes;
  approval?: ContentApproval;
  providerVersion?: number;
}

/**
 * Outputs: the inputs plus the HX SID and where WhatsApp approval stands (`unsubmitted`,
 * `received`, `pending`, `approved`, `rejected`, `paused`, `disabled`), refreshed by
 * `pulumi refresh`; `rejectionReason` is Meta's reason, or null.
 */
export interface ContentTemplateOutputs extends ContentTemplateInputs {
  sid: string;
  approvalStatus: string;
  rejectionReason: string | null;
}

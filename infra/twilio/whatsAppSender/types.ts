import type * as pulumi from "@pulumi/pulumi";

/** Resolved inputs as a provider receives them: every `Input` unwrapped, nothing readonly. */
type Resolved<T> = { -readonly [K in keyof T]: pulumi.Unwrap<T[K]> };

/** Adopt an existing sender, by SID or by number (dynamic resources cannot be `pulumi import`ed). */
export interface WhatsAppSenderAdoptArgs {
  /** The sender's SID (XE...). */
  readonly sid?: pulumi.Input<string>;
  /** The sender's number, `whatsapp:+E164` or `+E164`. */
  readonly number?: pulumi.Input<string>;
}

/** Register a new sender with WhatsApp. */
export interface WhatsAppSenderRegisterArgs {
  /** The number to register, `whatsapp:+E164` or `+E164`. */
  readonly number: pulumi.Input<string>;
  /** The WhatsApp Business Account id (digits). */
  readonly wabaId: pulumi.Input<string>;
  /** How WhatsApp sends the verification code: sms or voice. */
  readonly verificationMethod: pulumi.Input<"sms" | "voice">;
  /** The code received; set it on a later `pulumi up`, once it has arrived. */
  readonly verificationCode?: pulumi.Input<string>;
  /** The display name; it cannot change after registration. */
  readonly displayName: pulumi.Input<string>;
}

/** The sender's own webhook (v2 `webhook`); methods are POST or PUT. */
export interface WhatsAppSenderWebhookArgs {
  /** URL for incoming messages (https). */
  readonly callbackUrl?: pulumi.Input<string>;
  /** Method for `callbackUrl`. */
  readonly callbackMethod?: pulumi.Input<"POST" | "PUT">;
  /** URL called when `callbackUrl` fails (https). */
  readonly fallbackUrl?: pulumi.Input<string>;
  /** Method for `fallbackUrl`. */
  readonly fallbackMethod?: pulumi.Input<"POST" | "PUT">;
  /** URL for message status callbacks (https). */
  readonly statusCallbackUrl?: pulumi.Input<string>;
  /** Method for `statusCallbackUrl`. */
  readonly statusCallbackMethod?: pulumi.Input<"POST" | "PUT" | "GET">;
}

/** The WhatsApp business profile shown to users. */
export interface WhatsAppSenderProfileArgs {
  /** "About" text, up to 139 characters. */
  readonly about?: pulumi.Input<string>;
  /** Business address, up to 256 characters. */
  readonly address?: pulumi.Input<string>;
  /** Business description, up to 512 characters. */
  readonly description?: pulumi.Input<string>;
  /** Business vertical, e.g. "Professional Services". */
  readonly vertical?: pulumi.Input<string>;
  /** Up to two https websites. */
  readonly websites?: pulumi.Input<pulumi.Input<string>[]>;
  /** Contact e-mail addresses. */
  readonly emails?: pulumi.Input<pulumi.Input<string>[]>;
  /** Public https URL of the logo (JPG or PNG, at least 640x640). */
  readonly logoUrl?: pulumi.Input<string>;
  /** Local copy of the logo published at `logoUrl`, checked before any call. */
  readonly logoFile?: pulumi.Input<string>;
}

/** A WhatsApp sender (Messaging v2 `Channels/Senders`): adopt or register, webhook, profile. */
export interface WhatsAppSenderArgs {
  /** Adopt an existing sender (exclusive with `register`). */
  readonly adopt?: pulumi.Input<WhatsAppSenderAdoptArgs>;
  /** Register a new sender (exclusive with `adopt`). */
  readonly register?: pulumi.Input<WhatsAppSenderRegisterArgs>;
  /** The sender's webhook; delete clears what was set here. */
  readonly webhook?: pulumi.Input<WhatsAppSenderWebhookArgs>;
  /** The WhatsApp business profile. */
  readonly profile?: pulumi.Input<WhatsAppSenderProfileArgs>;
  /** Delete the sender in Twilio on destroy (default false: only detach the webhook). */
  readonly deleteOnDestroy?: pulumi.Input<boolean>;
}

/** Resolved `adopt`. */
export type WhatsAppSenderAdopt = Resolved<WhatsAppSenderAdoptArgs>;
/** Resolved `register`. */
export type WhatsAppSenderRegister = Resolved<WhatsAppSenderRegisterArgs>;
/** Resolved `webhook`. */
export type WhatsAppSenderWebhook = Resolved<WhatsAppSenderWebhookArgs>;
/** Resolved `profile`. */
export type WhatsAppSenderProfile = Resolved<WhatsAppSenderProfileArgs>;

/** Resolved inputs, as stored in state. */
export interface WhatsAppSenderInputs {
  adopt?: WhatsAppSenderAdopt;
  register?: WhatsAppSenderRegister;
  webhook?: WhatsAppSenderWebhook;
  profile?: WhatsAppSenderProfile;
  deleteOnDestroy?: boolean;
  /** Digest of `profile.logoFile`, added by check, so a new file re-sends the logo URL. */
  logoFileSha256?: string;
  providerVersion?: number;
}

/** Outputs: the inputs plus the SID, the registration status and the sender id. */
export interface WhatsAppSenderOutputs extends WhatsAppSenderInputs {
  sid: string;
  status: string;
  senderId: string;
}

/**
 * The rules a content template follows, in one place: the provider's `check` enforces them at
 * preview and the `templates/` loader (infra/templates.ts) reports them per file, so the two never
 * disagree. Each value says where it comes from (Twilio's content type pages and Meta's template
 * rules, read 2026-12).
 */

/** The content types the resource declares (Twilio's names, as on the wire). */
export const CONTENT_TYPES = [
  "twilio/text",
  "twilio/media",
  "twilio/quick-reply",
  "twilio/call-to-action",
] as const;

/** WhatsApp template categories (Content API `ApprovalRequests/whatsapp` `category`). */
export const CATEGORIES = ["UTILITY", "MARKETING", "AUTHENTICATION"] as const;

/**
 * A WhatsApp template name: lower-case words (letters and digits) joined by single underscores.
 * Meta takes only lower-case alphanumerics and underscores; leading, trailing or doubled
 * underscores are refused here too, since they only ever come from a typo.
 */
export const APPROVAL_NAME_PATTERN = /^[a-z0-9]+(_[a-z0-9]+)*$/;

/** Meta's longest template name (WhatsApp Business Management API, message templates: 512). */
export const APPROVAL_NAME_MAX_LENGTH = 512;

/**
 * A language code: ISO 639-1 (`en`), optionally with a region as WhatsApp writes it (`en_US`,
 * `pt_BR`); the Content API documents `language` as the two-letter code.
 */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** A placeholder in content: `{{1}}`. Twilio numbers variables; `{{ 1 }}` is the same one. */
export const PLACEHOLDER_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** A variable's key: a positive whole number without a leading zero. */
export const VARIABLE_KEY_PATTERN = /^[1-9][0-9]*$/;

/** Limits per content type. */
export const LIMITS = {
  /**
   * twilio/text `body`: Twilio takes 1,600 characters (twilio.com/docs/content/twilio-text);
   * a WhatsApp template body holds at most 1,024 (Meta's template body limit), which applies
   * once the template is submitted for WhatsApp approval.
   */
  textBody: 1600,
  whatsAppTemplateBody: 1024,
  /** twilio/media `body`: a WhatsApp media caption, 1,024 characters (Meta's media template body). */
  mediaBody: 1024,
  /** twilio/media `media`: one URL; a WhatsApp template has one media header. */
  mediaUrls: 1,
  /** twilio/quick-reply `body`: 1,024 characters (twilio.com/docs/content/twilio-quick-reply). */
  quickReplyBody: 1024,
  /** twilio/quick-reply `actions`: 1 to 10 buttons (same page; 3 only for in-session sends). */
  quickReplyButtons: 10,
  /** A quick-reply button's title: 20 characters (WhatsApp reply button `title`, Meta). */
  quickReplyTitle: 20,
  /** A quick-reply button's id: 256 characters (WhatsApp reply button `id`, Meta). */
  quickReplyId: 256,
  /** twilio/call-to-action `body`: 640 characters (twilio.com/docs/content/twilio-call-to-action). */
  callToActionBody: 640,
  /** A call-to-action button's title: 25 characters (same page). */
  callToActionTitle: 25,
  /** Call-to-action URL buttons: up to 2 (same page). */
  callToActionUrls: 2,
  /** Call-to-action phone buttons: 1 (same page: one PHONE_NUMBER or VOICE_CALL). */
  callToActionPhones: 1,
  /** Call-to-action copy-code buttons: 1 (Meta: one COPY_CODE button per template). */
  callToActionCodes: 1,
  /** A copy-code button's code: 15 characters (Meta's coupon code limit). */
  copyCode: 15,
} as const;

/** The call-to-action button types this resource declares (VOICE_CALL is a Twilio private beta). */
export const CALL_TO_ACTION_TYPES = ["URL", "PHONE_NUMBER", "COPY_CODE"] as const;

/**
 * The rules a WhatsApp sender's fields follow, in one place: the stack config checks them when it
 * is loaded and the WhatsAppSender provider's `check` checks them again at preview, so the two can
 * never disagree. Each value says where it comes from.
 */

/**
 * An E.164 number: `+`, a country code that does not start with 0, at most 15 digits in all. This is
 * the pattern Twilio's E.164 guide gives (`^\+[1-9]\d{1,14}$`, twilio.com/docs/glossary/what-e164).
 */
export const E164_PATTERN = /^\+[1-9][0-9]{1,14}$/;

/** A sender's number as the Senders API names it (`whatsapp:+E164`) or as a bare E.164 number. */
export const WHATSAPP_NUMBER_PATTERN = /^(whatsapp:)?\+[1-9][0-9]{1,14}$/;

/**
 * The code Meta sends by SMS or voice. Twilio's OpenAPI types `configuration.verification_code` as a
 * plain string, and Meta documents a numeric string (its examples have 5 and 6 digits). Four to eight
 * digits takes every code Meta sends and still refuses a phone number pasted by mistake (which a
 * 10-digit bound let through).
 */
export const VERIFICATION_CODE_PATTERN = /^[0-9]{4,8}$/;

/**
 * The longest display name (`profile.name`) accepted. Twilio's OpenAPI sets no maxLength and Meta
 * reviews the name against its guidelines after registration, so this bound only guards against a
 * description pasted into the wrong field; it is the longest profile text Twilio takes
 * (`profile.description`, 512), so no name Twilio accepts is refused here.
 */
export const DISPLAY_NAME_MAX_LENGTH = 512;

/**
 * Business verticals the Senders API accepts: the list in the `twilio` SDK's
 * `MessagingV2ChannelsSenderProfile.vertical` (twilio 6.2), which is newer than the 17 values in
 * the OpenAPI description shipped with `@twilio-alpha/mcp` and contains all of them.
 */
export const VERTICALS = [
  "Alcohol",
  "Automotive",
  "Beauty, Spa and Salon",
  "Clothing and Apparel",
  "Education",
  "Entertainment",
  "Event Planning and Service",
  "Finance and Banking",
  "Food and Grocery",
  "Hotel and Lodging",
  "Matrimony Service",
  "Medical and Health",
  "Non-profit",
  "Online Gambling",
  "OTC Drugs",
  "Other",
  "Physical Gambling",
  "Professional Services",
  "Public Service",
  "Restaurant",
  "Shopping and Retail",
  "Travel and Transportation",
] as const;

/** A business vertical (one of {@link VERTICALS}). */
export type Vertical = (typeof VERTICALS)[number];

import { checkLogo } from "../logo";
import { DISPLAY_NAME_MAX_LENGTH, VERIFICATION_CODE_PATTERN, VERTICALS } from "../senderRules";
import {
  checkBoolean,
  checkEmail,
  checkEnum,
  checkHttpsUrl,
  checkSid,
  checkString,
  checkWhatsAppNumber,
  toSenderId,
  UNKNOWN,
  type ValidationFailure,
} from "../validation";
import type {
  WhatsAppSenderAdopt,
  WhatsAppSenderInputs,
  WhatsAppSenderProfile,
  WhatsAppSenderRegister,
  WhatsAppSenderWebhook,
} from "./types";

/** Why a display name is refused once registered. */
export function displayNameChangeReason(from: string, to: string): string {
  return (
    `register.displayName cannot change after registration (registered as ${JSON.stringify(from)}, now ${JSON.stringify(to)}): ` +
    `WhatsApp ties the display name to the approved sender. Put back ${JSON.stringify(from)}; to rename, request a display ` +
    `name change for the sender in the Twilio Console (Meta reviews it), or register a new sender.`
  );
}

/** Whether two known numbers are the same sender, with or without the `whatsapp:` prefix. */
export function sameNumber(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a === UNKNOWN || b === UNKNOWN)
    return false;
  return toSenderId(a) === toSenderId(b);
}

function checkAdopt(adopt: unknown): ValidationFailure[] {
  if (adopt === UNKNOWN) return [];
  if (adopt === null || typeof adopt !== "object")
    return [{ property: "adopt", reason: "adopt must be { sid } or { number }" }];
  const a = adopt as WhatsAppSenderAdopt;
  if (a.sid === undefined && a.number === undefined) {
    return [
      {
        property: "adopt",
        reason: "adopt needs the sender's sid (XE...) or its number (whatsapp:+E164)",
      },
    ];
  }
  return [
    ...checkSid("adopt.sid", a.sid, ["XE"], false),
    ...checkWhatsAppNumber("adopt.number", a.number, false),
  ];
}

function checkRegister(
  register: unknown,
  oldRegister: WhatsAppSenderRegister | undefined,
  oldDeleteOnDestroy: boolean | undefined,
): ValidationFailure[] {
  if (register === UNKNOWN) return [];
  if (register === null || typeof register !== "object")
    return [{ property: "register", reason: "register must be an object" }];
  const r = register as Partial<WhatsAppSenderRegister>;
  const failures = [
    ...checkWhatsAppNumber("register.number", r.number),
    ...checkEnum("register.verificationMethod", r.verificationMethod, ["sms", "voice"], true),
    ...checkString("register.displayName", r.displayName, {
      required: true,
      max: DISPLAY_NAME_MAX_LENGTH,
    }),
  ];
  if (r.wabaId !== UNKNOWN && (typeof r.wabaId !== "string" || !/^[0-9]{5,20}$/.test(r.wabaId))) {
    failures.push({
      property: "register.wabaId",
      reason:
        "register.wabaId must be the WhatsApp Business Account id: digits only, as shown in Meta Business Manager",
    });
  }
  if (
    r.verificationCode !== undefined &&
    r.verificationCode !== UNKNOWN &&
    (typeof r.verificationCode !== "string" || !VERIFICATION_CODE_PATTERN.test(r.verificationCode))
  ) {
    failures.push({
      property: "register.verificationCode",
      reason:
        "register.verificationCode must be the digits WhatsApp sent by SMS or voice (e.g. 123456)",
    });
  }
  const from = oldRegister?.displayName;
  if (
    from !== undefined &&
    typeof r.displayName === "string" &&
    r.displayName !== UNKNOWN &&
    r.displayName !== from
  ) {
    failures.push({
      property: "register.displayName",
      reason: displayNameChangeReason(from, r.displayName),
    });
  }
  // Another WABA for the same number replaces the sender, which only works if the old one is
  // deleted first (one sender per number), and destroy deletes only with deleteOnDestroy.
  if (
    oldRegister &&
    sameNumber(r.number, oldRegister.number) &&
    typeof r.wabaId === "string" &&
    r.wabaId !== UNKNOWN &&
    r.wabaId !== oldRegister.wabaId &&
    oldDeleteOnDestroy !== true
  ) {
    failures.push({
      property: "register.wabaId",
      reason:
        `register.wabaId changes from ${oldRegister.wabaId} for the same number, which means deleting the registered ` +
        "sender and registering it again: first run `pulumi up` with deleteOnDestroy: true (and the old wabaId), " +
        "then change wabaId",
    });
  }
  return failures;
}

function checkWebhook(webhook: unknown): ValidationFailure[] {
  if (webhook === undefined || webhook === null || webhook === UNKNOWN) return [];
  const w = webhook as WhatsAppSenderWebhook;
  return [
    ...checkHttpsUrl("webhook.callbackUrl", w.callbackUrl),
    // "Either POST or PUT." (twilio_messaging_v2.json, webhook.callback_method)
    ...checkEnum("webhook.callbackMethod", w.callbackMethod, ["POST", "PUT"]),
    ...checkHttpsUrl("webhook.fallbackUrl", w.fallbackUrl),
    ...checkEnum("webhook.fallbackMethod", w.fallbackMethod, ["POST", "PUT"]),
    ...checkHttpsUrl("webhook.statusCallbackUrl", w.statusCallbackUrl),
    ...checkEnum("webhook.statusCallbackMethod", w.statusCallbackMethod, ["POST", "PUT", "GET"]),
  ];
}

function checkProfile(profile: unknown): ValidationFailure[] {
  if (profile === undefined || profile === null || profile === UNKNOWN) return [];
  const p = profile as WhatsAppSenderProfile;
  // Limits of the WhatsApp business profile (Meta Cloud API, "Business Profiles" reference).
  const failures = [
    ...checkString("profile.about", p.about, { min: 1, max: 139 }),
    ...checkString("profile.address", p.address, { max: 256 }),
    ...checkString("profile.description", p.description, { max: 512 }),
    ...checkEnum("profile.vertical", p.vertical, VERTICALS),
  ];
  if (p.websites !== undefined && (p.websites as unknown) !== UNKNOWN) {
    if (!Array.isArray(p.websites) || p.websites.length > 2) {
      failures.push({
        property: "profile.websites",
        reason: "profile.websites takes at most 2 URLs (WhatsApp's limit)",
      });
    } else {
      p.websites.forEach((w, i) => {
        failures.push(
          ...checkHttpsUrl(`profile.websites[${i}]`, w, true),
          ...checkString(`profile.websites[${i}]`, w, { max: 256 }),
        );
      });
    }
  }
  if (p.emails !== undefined && (p.emails as unknown) !== UNKNOWN) {
    if (!Array.isArray(p.emails)) {
      failures.push({
        property: "profile.emails",
        reason: "profile.emails must be a list of e-mail addresses",
      });
    } else {
      p.emails.forEach((e, i) =>
        failures.push(
          ...checkEmail(`profile.emails[${i}]`, e),
          ...checkString(`profile.emails[${i}]`, e, { max: 128 }),
        ),
      );
    }
  }
  return failures;
}

/** Checks inputs (and reads the logo file) without calling Twilio; returns inputs with the logo digest. */
export async function validateWhatsAppSender(
  olds: Partial<WhatsAppSenderInputs>,
  news: WhatsAppSenderInputs,
): Promise<{ inputs: WhatsAppSenderInputs; failures: ValidationFailure[] }> {
  const failures: ValidationFailure[] = [];
  const hasAdopt = news.adopt !== undefined && news.adopt !== null;
  const hasRegister = news.register !== undefined && news.register !== null;
  if (hasAdopt === hasRegister) {
    failures.push({
      property: hasAdopt ? "register" : "adopt",
      reason: hasAdopt
        ? "set either adopt or register, not both"
        : "set adopt: { sid } or { number } to manage an existing sender, or register: { number, wabaId, verificationMethod, displayName } to register one",
    });
  }
  if (hasAdopt) failures.push(...checkAdopt(news.adopt));
  if (hasRegister) {
    failures.push(...checkRegister(news.register, olds.register, olds.deleteOnDestroy));
  }
  failures.push(
    ...checkWebhook(news.webhook),
    ...checkProfile(news.profile),
    ...checkBoolean("deleteOnDestroy", news.deleteOnDestroy),
  );
  const inputs: WhatsAppSenderInputs = { ...news };
  delete inputs.logoFileSha256;
  if (news.profile && news.profile !== (UNKNOWN as unknown)) {
    const logo = await checkLogo(news.profile.logoUrl, news.profile.logoFile);
    failures.push(...logo.failures);
    if (logo.sha256) inputs.logoFileSha256 = logo.sha256;
  }
  return { inputs, failures };
}

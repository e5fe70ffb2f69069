import { differs, type PropertyDiff } from "../state";
import { containsUnknown, toSenderId, UNKNOWN } from "../validation";
import type { WhatsAppSenderAdopt, WhatsAppSenderInputs, WhatsAppSenderOutputs } from "./types";
import { displayNameChangeReason, sameNumber } from "./check";

function nestedChanges(
  prefix: string,
  olds: object | undefined,
  news: object | undefined,
): string[] {
  if ((news as unknown) === UNKNOWN) return [prefix];
  const o = (olds ?? {}) as Record<string, unknown>;
  const n = (news ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])].sort();
  return keys.filter((k) => differs(o[k], n[k])).map((k) => `${prefix}.${k}`);
}

/**
 * Whether `adopt` names the sender the state already holds (by its SID, its number, or both),
 * judged from the state alone since diff makes no call. Naming it another way, or adopting the
 * sender the stack registered, is then no replacement: a replacement would adopt that same
 * sender, and the old resource's delete would then clear the webhook just set on it, or delete
 * the sender outright with deleteOnDestroy.
 */
function namesStateSender(olds: Partial<WhatsAppSenderOutputs>, adopt: unknown): boolean {
  if (!olds.sid || !olds.senderId || adopt === null || typeof adopt !== "object") return false;
  if (containsUnknown(adopt)) return false;
  const { sid, number } = adopt as WhatsAppSenderAdopt;
  if (sid === undefined && number === undefined) return false;
  return (
    (sid === undefined || sid === olds.sid) &&
    (number === undefined || toSenderId(number) === olds.senderId)
  );
}

/**
 * Which properties changed (nested, e.g. `webhook.callbackUrl`) and which replace the sender:
 * another adopt target, another registered number or WABA, or switching between adopt and
 * register, unless `adopt` names the very sender in the state. A display name change is an error.
 */
export function diffWhatsAppSender(
  olds: WhatsAppSenderInputs & Partial<WhatsAppSenderOutputs>,
  news: WhatsAppSenderInputs,
): PropertyDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  const sameSender = namesStateSender(olds, news.adopt);
  if (differs(olds.adopt, news.adopt)) {
    changed.push("adopt");
    if (!sameSender) replaces.push("adopt");
  }
  const oldReg = olds.register;
  const newReg = news.register;
  if (differs(oldReg, newReg)) {
    if (!oldReg || !newReg || newReg === (UNKNOWN as unknown)) {
      changed.push("register");
      // Adopting the sender the stack registered keeps managing it.
      if (!(sameSender && !newReg)) replaces.push("register");
    } else {
      if (
        typeof newReg.displayName === "string" &&
        newReg.displayName !== UNKNOWN &&
        newReg.displayName !== oldReg.displayName
      ) {
        throw new Error(displayNameChangeReason(oldReg.displayName, newReg.displayName));
      }
      const nested = nestedChanges("register", oldReg, newReg);
      changed.push(...nested);
      // The same number written with or without `whatsapp:` is the same sender.
      const numberMoved =
        nested.includes("register.number") && !sameNumber(oldReg.number, newReg.number);
      if (numberMoved) replaces.push("register.number");
      if (nested.includes("register.wabaId")) replaces.push("register.wabaId");
    }
  }
  changed.push(
    ...nestedChanges("webhook", olds.webhook, news.webhook),
    ...nestedChanges("profile", olds.profile, news.profile),
  );
  for (const key of ["logoFileSha256", "deleteOnDestroy", "providerVersion"] as const) {
    if (differs(olds[key], news[key])) changed.push(key);
  }
  return { changed, replaces };
}

/** Webhook URL fields: a removed one is cleared (null). */

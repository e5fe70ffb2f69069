import type { UsageTriggerCallback } from "./usageCallback";

/** One alert as published: a one-line subject and a plain-text body for e-mail readers. */
export interface SpendingAlert {
  /** Subject line (SNS: under 100 characters, no line breaks). */
  subject: string;
  /** Plain-text body. */
  message: string;
}

/** SNS refuses subjects of 100 characters or more. */
export const MAX_SUBJECT_LENGTH = 99;

const TWILIO_API = "https://api.twilio.com";

/** Unit words for a trigger's watched field; prices are in the account's billing currency. */
function unitOf(triggerBy: string | undefined): string {
  if (triggerBy === "price") return "spend";
  if (triggerBy === "count") return "count";
  return "usage";
}

function oneLine(text: string): string {
  // Control characters (line breaks included) make SNS reject the subject.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

/** The current value as a share of the threshold, e.g. `104% of the threshold`, when computable. */
function shareOfThreshold(current: string, threshold: string): string | undefined {
  const c = Number(current);
  const t = Number(threshold);
  if (!Number.isFinite(c) || !Number.isFinite(t) || t <= 0) return undefined;
  return `${Math.round((c / t) * 100)}% of the threshold`;
}

/**
 * Turns a fired usage trigger into an alert: which trigger, the current value against the
 * threshold, the category, and where to look. `source` names the stack or function that received
 * it, so alerts from several stacks sharing an inbox can be told apart.
 */
export function formatSpendingAlert(
  callback: UsageTriggerCallback,
  source?: string,
): SpendingAlert {
  const unit = unitOf(callback.triggerBy);
  const where = source ? ` [${source}]` : "";
  const subject = oneLine(
    `Twilio ${unit} alert${where}: ${callback.usageCategory} at ${callback.currentValue} ` +
      `(threshold ${callback.triggerValue})`,
  ).slice(0, MAX_SUBJECT_LENGTH);
  const share = shareOfThreshold(callback.currentValue, callback.triggerValue);
  const lines = [
    `A Twilio usage trigger fired${source ? ` for ${source}` : ""}.`,
    "",
    `Trigger:        ${callback.usageTriggerSid}`,
    `Category:       ${callback.usageCategory}`,
    `Watched field:  ${callback.triggerBy ?? "(not sent)"}`,
    `Current value:  ${callback.currentValue}${share ? ` (${share})` : ""}`,
    `Threshold:      ${callback.triggerValue}`,
    `Recurring:      ${callback.recurring ?? "(not sent)"}`,
    `Fired at:       ${callback.dateFired ?? "(not sent)"}`,
    `Account:        ${callback.accountSid}`,
  ];
  if (callback.usageRecordUri !== undefined) {
    const uri = callback.usageRecordUri.startsWith("/")
      ? `${TWILIO_API}${callback.usageRecordUri}`
      : callback.usageRecordUri;
    lines.push(`Usage record:   ${uri}`);
  }
  if (callback.triggerBy === "price") {
    lines.push("", "Values are in the Twilio account's billing currency.");
  }
  return { subject, message: lines.join("\n") + "\n" };
}

import {
  checkE164,
  checkEnum,
  checkHttpsUrl,
  checkString,
  containsUnknown,
  UNKNOWN,
  type ValidationFailure,
} from "../validation";
import {
  APPROVAL_NAME_MAX_LENGTH,
  APPROVAL_NAME_PATTERN,
  CALL_TO_ACTION_TYPES,
  CATEGORIES,
  CONTENT_TYPES,
  LANGUAGE_PATTERN,
  LIMITS,
  PLACEHOLDER_PATTERN,
  VARIABLE_KEY_PATTERN,
} from "./rules";
import type { ContentTemplateInputs } from "./types";

type Json = Record<string, unknown>;

/** A string field of the content, with its property path. */
interface Text {
  property: string;
  value: string;
  /** A body: WhatsApp refuses a body that starts or ends with a placeholder. */
  body?: boolean;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function typePath(type: string, field: string): string {
  return `types["${type}"].${field}`;
}

/** The placeholders in a text, as written (`1`, `name`, ...). */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1]);
}

function checkBody(
  type: string,
  value: unknown,
  max: number,
  texts: Text[],
  required = true,
): ValidationFailure[] {
  const property = typePath(type, "body");
  if (typeof value === "string" && value !== UNKNOWN) texts.push({ property, value, body: true });
  return checkString(property, value, { required, max });
}

function checkActions(
  property: string,
  actions: unknown,
  max: number,
): { failures: ValidationFailure[]; list: Json[] } {
  if (actions === UNKNOWN) return { failures: [], list: [] };
  if (!Array.isArray(actions) || actions.length === 0)
    return {
      failures: [{ property, reason: `${property} needs 1 to ${max} buttons` }],
      list: [],
    };
  const failures: ValidationFailure[] =
    actions.length > max
      ? [
          {
            property,
            reason: `${property} has ${actions.length} buttons; WhatsApp allows at most ${max}`,
          },
        ]
      : [];
  const list: Json[] = [];
  actions.forEach((a, i) => {
    if (isObject(a)) list.push(a);
    else failures.push({ property: `${property}[${i}]`, reason: "a button must be an object" });
  });
  return { failures, list };
}

function checkQuickReply(value: unknown, texts: Text[]): ValidationFailure[] {
  const type = "twilio/quick-reply";
  if (!isObject(value)) return [{ property: `types["${type}"]`, reason: "must be an object" }];
  const failures = checkBody(type, value.body, LIMITS.quickReplyBody, texts);
  const property = typePath(type, "actions");
  const { failures: shape, list } = checkActions(property, value.actions, LIMITS.quickReplyButtons);
  failures.push(...shape);
  const titles = new Set<string>();
  list.forEach((action, i) => {
    const at = `${property}[${i}]`;
    failures.push(
      ...checkString(`${at}.title`, action.title, { required: true, max: LIMITS.quickReplyTitle }),
      ...checkString(`${at}.id`, action.id, { max: LIMITS.quickReplyId }),
    );
    if (typeof action.title === "string") {
      texts.push({ property: `${at}.title`, value: action.title });
      // WhatsApp refuses two buttons with the same text (Meta's reply button `title`).
      if (titles.has(action.title))
        failures.push({
          property: `${at}.title`,
          reason: `${at}.title repeats ${JSON.stringify(action.title)}; each button needs its own title`,
        });
      titles.add(action.title);
    }
    if (typeof action.id === "string") texts.push({ property: `${at}.id`, value: action.id });
    for (const key of Object.keys(action))
      if (!["title", "id", "type"].includes(key))
        failures.push({
          property: `${at}.${key}`,
          reason: `a quick-reply button has title and id only`,
        });
  });
  return failures;
}

/** A URL whose only placeholder, if any, ends it (Twilio: "variables ... at the end of the url"). */
function checkTemplatedUrl(property: string, value: unknown, texts: Text[]): ValidationFailure[] {
  if (typeof value !== "string" || value === UNKNOWN) return checkHttpsUrl(property, value, true);
  texts.push({ property, value });
  const first = value.search(/\{\{/);
  if (first >= 0) {
    const rest = value.slice(first);
    if (!/^\{\{\s*[^{}]*?\s*\}\}$/.test(rest))
      return [
        {
          property,
          reason: `${property} may hold one placeholder, at its very end (e.g. https://example.com/orders/{{1}}); the part before it must stay fixed for WhatsApp's review`,
        },
      ];
    return checkHttpsUrl(property, `${value.slice(0, first)}x`, true);
  }
  return checkHttpsUrl(property, value, true);
}

function checkCallToAction(value: unknown, texts: Text[]): ValidationFailure[] {
  const type = "twilio/call-to-action";
  if (!isObject(value)) return [{ property: `types["${type}"]`, reason: "must be an object" }];
  const failures = checkBody(type, value.body, LIMITS.callToActionBody, texts);
  const property = typePath(type, "actions");
  const max = LIMITS.callToActionUrls + LIMITS.callToActionPhones + LIMITS.callToActionCodes;
  const { failures: shape, list } = checkActions(property, value.actions, max);
  failures.push(...shape);
  const counts: Record<string, number> = {};
  list.forEach((action, i) => {
    const at = `${property}[${i}]`;
    failures.push(
      ...checkEnum(`${at}.type`, action.type, CALL_TO_ACTION_TYPES, true),
      ...checkString(`${at}.title`, action.title, {
        required: true,
        max: LIMITS.callToActionTitle,
      }),
    );
    if (typeof action.title === "string" && placeholdersIn(action.title).length > 0)
      failures.push({
        property: `${at}.title`,
        reason: `${at}.title cannot hold a placeholder: Twilio does not support variables in call-to-action button titles`,
      });
    const kind = typeof action.type === "string" ? action.type : "";
    counts[kind] = (counts[kind] ?? 0) + 1;
    const fields: Record<string, string> = { URL: "url", PHONE_NUMBER: "phone", COPY_CODE: "code" };
    for (const key of ["url", "phone", "code"])
      if (action[key] !== undefined && fields[kind] !== key)
        failures.push({
          property: `${at}.${key}`,
          reason: `${at}.${key} belongs to a ${Object.keys(fields).find((k) => fields[k] === key)} button, not a ${kind || "typeless"} one`,
        });
    if (kind === "URL") failures.push(...checkTemplatedUrl(`${at}.url`, action.url, texts));
    if (kind === "PHONE_NUMBER") failures.push(...checkE164(`${at}.phone`, action.phone));
    if (kind === "COPY_CODE")
      failures.push(
        ...checkString(`${at}.code`, action.code, { required: true, max: LIMITS.copyCode }),
      );
  });
  const limits: [string, number][] = [
    ["URL", LIMITS.callToActionUrls],
    ["PHONE_NUMBER", LIMITS.callToActionPhones],
    ["COPY_CODE", LIMITS.callToActionCodes],
  ];
  for (const [kind, limit] of limits)
    if ((counts[kind] ?? 0) > limit)
      failures.push({
        property,
        reason: `${property} has ${counts[kind]} ${kind} buttons; WhatsApp allows at most ${limit}`,
      });
  return failures;
}

function checkMedia(value: unknown, texts: Text[]): ValidationFailure[] {
  const type = "twilio/media";
  if (!isObject(value)) return [{ property: `types["${type}"]`, reason: "must be an object" }];
  const failures = checkBody(type, value.body, LIMITS.mediaBody, texts, false);
  const property = typePath(type, "media");
  if (value.media === UNKNOWN) return failures;
  if (!Array.isArray(value.media) || value.media.length !== LIMITS.mediaUrls) {
    failures.push({
      property,
      reason: `${property} must list exactly ${LIMITS.mediaUrls} public https URL (a WhatsApp template has one media header)`,
    });
    return failures;
  }
  value.media.forEach((url: unknown, i: number) =>
    failures.push(...checkTemplatedUrl(`${property}[${i}]`, url, texts)),
  );
  return failures;
}

function checkTypes(types: unknown, texts: Text[]): ValidationFailure[] {
  if (types === UNKNOWN) return [];
  if (!isObject(types) || Object.keys(types).length === 0)
    return [
      { property: "types", reason: `types needs at least one of ${CONTENT_TYPES.join(", ")}` },
    ];
  const failures: ValidationFailure[] = [];
  for (const key of Object.keys(types)) {
    if (!(CONTENT_TYPES as readonly string[]).includes(key))
      failures.push({
        property: `types["${key}"]`,
        reason: `unknown content type ${JSON.stringify(key)}: use ${CONTENT_TYPES.join(", ")}`,
      });
  }
  const text = types["twilio/text"];
  if (text !== undefined) {
    if (!isObject(text))
      failures.push({ property: `types["twilio/text"]`, reason: "must be an object" });
    else failures.push(...checkBody("twilio/text", text.body, LIMITS.textBody, texts));
  }
  if (types["twilio/media"] !== undefined)
    failures.push(...checkMedia(types["twilio/media"], texts));
  if (types["twilio/quick-reply"] !== undefined)
    failures.push(...checkQuickReply(types["twilio/quick-reply"], texts));
  if (types["twilio/call-to-action"] !== undefined)
    failures.push(...checkCallToAction(types["twilio/call-to-action"], texts));
  return failures;
}

/**
 * Placeholders against declared variables: every `{{n}}` used needs a variable with a sample
 * (WhatsApp reviews the samples; Twilio: "a sample value for each variable is required"), every
 * variable must be used, and keys are numbered 1..n without gaps (WhatsApp numbers parameters so).
 */
function checkVariables(variables: unknown, texts: Text[], complete: boolean): ValidationFailure[] {
  if (variables === UNKNOWN) return [];
  if (variables !== undefined && variables !== null && !isObject(variables))
    return [{ property: "variables", reason: 'variables must map "1", "2", ... to sample values' }];
  const declared = variables ?? {};
  const failures: ValidationFailure[] = [];
  for (const [key, sample] of Object.entries(declared)) {
    const property = `variables["${key}"]`;
    if (!VARIABLE_KEY_PATTERN.test(key))
      failures.push({
        property,
        reason: `variable ${JSON.stringify(key)} must be numbered ("1", "2", ...), as Twilio's {{1}} placeholders are`,
      });
    if (sample === UNKNOWN) continue;
    if (typeof sample !== "string" || sample.trim() === "")
      failures.push({
        property,
        reason: `variable ${key} has no sample value: WhatsApp reviews each placeholder with a sample (e.g. "${key}": "Ana")`,
      });
  }
  const keys = Object.keys(declared).filter((k) => VARIABLE_KEY_PATTERN.test(k));
  const sorted = keys.map(Number).sort((a, b) => a - b);
  if (sorted.some((n, i) => n !== i + 1))
    failures.push({
      property: "variables",
      reason: `variables must be numbered 1 to ${sorted.length} without gaps, got ${sorted.join(", ")}`,
    });
  const used = new Set<string>();
  for (const text of texts) {
    for (const name of placeholdersIn(text.value)) {
      used.add(name);
      if (!VARIABLE_KEY_PATTERN.test(name))
        failures.push({
          property: text.property,
          reason: `placeholder {{${name}}} in ${text.property} must be a number such as {{1}}`,
        });
      else if (!(name in declared))
        failures.push({
          property: text.property,
          reason: `${text.property} uses {{${name}}} but variables has no "${name}": declare it with a sample value`,
        });
    }
  }
  // Unused variables can only be judged once every text is known.
  if (complete)
    for (const key of Object.keys(declared))
      if (!used.has(key))
        failures.push({
          property: `variables["${key}"]`,
          reason: `variable ${key} is declared but no text uses {{${key}}}: remove it or use it`,
        });
  return failures;
}

/**
 * What WhatsApp's review refuses in a body (twilio.com/docs/content/twilio-quick-reply: "If the
 * template body starts or ends with a variable, or if two variables appear adjacent to each
 * other, WhatsApp will reject the template"), and its 1,024-character template body.
 */
function checkForWhatsApp(texts: Text[]): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const text of texts.filter((t) => t.body)) {
    const value = text.value.trim();
    if (/^\{\{[^{}]*\}\}/.test(value) || /\{\{[^{}]*\}\}[.!?]?$/.test(value))
      failures.push({
        property: text.property,
        reason: `${text.property} starts or ends with a placeholder, which WhatsApp's review rejects: put fixed words before and after it`,
      });
    if (/\}\}\s*\{\{/.test(value))
      failures.push({
        property: text.property,
        reason: `${text.property} has two placeholders side by side, which WhatsApp's review rejects: put words between them`,
      });
    if (text.value.length > LIMITS.whatsAppTemplateBody)
      failures.push({
        property: text.property,
        reason: `${text.property} is ${text.value.length} characters long; a WhatsApp template body holds at most ${LIMITS.whatsAppTemplateBody}`,
      });
  }
  return failures;
}

function checkApproval(approval: unknown): ValidationFailure[] {
  if (approval === undefined || approval === null || approval === UNKNOWN) return [];
  if (!isObject(approval))
    return [{ property: "approval", reason: "approval must be { name, category }" }];
  const failures = [
    ...checkString("approval.name", approval.name, {
      required: true,
      max: APPROVAL_NAME_MAX_LENGTH,
    }),
    ...checkEnum("approval.category", approval.category, CATEGORIES, true),
  ];
  if (
    typeof approval.name === "string" &&
    approval.name !== UNKNOWN &&
    approval.name !== "" &&
    !APPROVAL_NAME_PATTERN.test(approval.name)
  )
    failures.push({
      property: "approval.name",
      reason: `approval.name must be lower-case words joined by underscores (e.g. appointment_reminder), as WhatsApp template names are; got ${JSON.stringify(approval.name)}`,
    });
  return failures;
}

/** Checks a content template's inputs against what Twilio and WhatsApp accept (no API call). */
export function validateContentTemplate(news: Partial<ContentTemplateInputs>): ValidationFailure[] {
  const texts: Text[] = [];
  const failures: ValidationFailure[] = [
    ...checkString("friendlyName", news.friendlyName, { required: true, max: 256 }),
  ];
  if (
    news.language !== UNKNOWN &&
    (typeof news.language !== "string" || !LANGUAGE_PATTERN.test(news.language))
  )
    failures.push({
      property: "language",
      reason: `language must be a language code such as en or pt_BR, got ${JSON.stringify(news.language)}`,
    });
  failures.push(...checkTypes(news.types, texts));
  failures.push(...checkVariables(news.variables, texts, !containsUnknown(news.types)));
  if (isObject(news.approval)) failures.push(...checkForWhatsApp(texts));
  failures.push(...checkApproval(news.approval));
  return failures;
}

/**
 * Why a replacement must not reuse the approval name: the new template is created before the old
 * one is deleted, and WhatsApp keeps one template per name and language in a WABA (and blocks a
 * deleted approved template's name for 30 days), so the new one's approval request would fail.
 */
export function approvalNameReuseReason(name: string): string {
  return (
    `approval.name must change when the template's content changes: Twilio cannot edit content in place, ` +
    `so this change replaces the template with a new one that needs WhatsApp approval again, and WhatsApp ` +
    `refuses a name already in use (and a deleted approved template's name for 30 days). Set approval.name ` +
    `to a new name such as ${name}_v2; the bot keeps using the template by its file name.`
  );
}

import { differs, type PropertyDiff } from "../state";
import type { ContentTemplateInputs } from "./types";

/** The properties that make up the content; Twilio cannot change them in place. */
export const CONTENT_PROPERTIES = ["friendlyName", "language", "variables", "types"] as const;

/**
 * Which properties changed and which replace the template. Any content change is a replacement
 * (the Content API has no update), and so is another approval name or category for a template
 * already submitted. Asking for approval later is an in-place update (one approval request);
 * dropping `approval` forgets it in the state only, since a submission cannot be withdrawn.
 */
export function diffContentTemplate(
  olds: Partial<ContentTemplateInputs>,
  news: ContentTemplateInputs,
): PropertyDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const key of CONTENT_PROPERTIES) {
    if (differs(olds[key], news[key])) {
      changed.push(key);
      replaces.push(key);
    }
  }
  if (differs(olds.approval, news.approval)) {
    changed.push("approval");
    if (olds.approval && news.approval) replaces.push("approval");
  }
  if (differs(olds.providerVersion, news.providerVersion)) changed.push("providerVersion");
  return { changed, replaces };
}

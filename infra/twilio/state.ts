import { containsUnknown } from "./validation";

/**
 * State helpers shared by the Twilio providers: the provider version written into every
 * resource's state, and the property comparison `diff` and `update` rely on.
 */

/**
 * The version of the providers' state shape. Pulumi does not diff provider code, so a code change
 * that needs old state migrated bumps this: every resource then shows an in-place update, and
 * `update`/`delete` can tell old state from new. Version 1 is the first shape; state without the
 * field predates it.
 */
export const PROVIDER_VERSION = 1;

/** Canonical JSON (sorted keys, undefined dropped) so equal values compare equal. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Whether two input values are the same (undefined and null count as absent). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Whether a property differs; a value unknown during preview always counts as a change. */
export function differs(a: unknown, b: unknown): boolean {
  return containsUnknown(b) || !sameValue(a, b);
}

/** The listed properties whose value differs between old and new inputs. */
export function changedProperties<T extends object>(
  olds: T,
  news: T,
  keys: readonly (keyof T & string)[],
): string[] {
  return keys.filter((k) => differs(olds[k], news[k]));
}

/** A diff summary: which properties changed, and which of those force a replacement. */
export interface PropertyDiff {
  changed: string[];
  replaces: string[];
}

import * as policySdk from "@pulumi/policy";

/**
 * @pulumi/policy exports UnknownValueError at runtime, but its published typings strip it
 * (proxy.d.ts is empty), so it is reached through this narrow cast.
 */
const UnknownValueError = (
  policySdk as unknown as { UnknownValueError: new (...args: never[]) => Error }
).UnknownValueError;

/**
 * Reads a property that may be unknown during a preview (the analyzer's proxy throws
 * UnknownValueError on access). Unknown reads as undefined: `pulumi up` validates the resource
 * again once its inputs are resolved, so skipping it in a preview loses nothing.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownValueError) return undefined;
    throw err;
  }
}

/** A plain object's entries, leaving out those whose value is unknown during a preview. */
export function knownEntries(value: unknown): [string, unknown][] {
  if (typeof value !== "object" || value === null) return [];
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    const v = known(() => (value as Record<string, unknown>)[key]);
    if (v !== undefined) entries.push([key, v]);
  }
  return entries;
}

/** Whether reading this property hits a value that is unknown during a preview. */
export function isUnknown(read: () => unknown): boolean {
  try {
    read();
    return false;
  } catch (err) {
    if (err instanceof UnknownValueError) return true;
    throw err;
  }
}

import type * as pulumi from "@pulumi/pulumi";
import type { PropertyDiff } from "./state";
import type { ValidationFailure } from "./validation";

/**
 * A `check` that only validates: no Twilio call, so `pulumi preview` needs no credentials, and a
 * failure names the property and the fix before anything is created.
 */
export function validatingCheck<I>(
  validate: (news: I) => ValidationFailure[],
): NonNullable<pulumi.dynamic.ResourceProvider<I>["check"]> {
  return async (_olds, news) => ({ inputs: news, failures: validate(news) });
}

/** A `diff` that reports what a pure diff function finds changed and which changes replace. */
export function propertyDiff<I, O>(
  diff: (olds: O, news: I) => PropertyDiff,
): NonNullable<pulumi.dynamic.ResourceProvider<I, O>["diff"]> {
  return async (_id, olds, news) => {
    const { changed, replaces } = diff(olds, news);
    return { changes: changed.length > 0, replaces };
  };
}

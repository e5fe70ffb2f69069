import type * as pulumi from "@pulumi/pulumi";
import { createTwilioStandIn, type TwilioStandIn } from "./index";
import { wireProvidersTo } from "./wire";

/**
 * Gives every test in the calling file a fresh stand-in wired to the Twilio providers, and fails
 * the test if any request or response broke Twilio's OpenAPI description. Call it at the top of a
 * test file (or describe block); `seed` runs after wiring, for objects each test starts from.
 * Returns a getter, since the stand-in only exists once `beforeEach` has run.
 */
export function useTwilioStandIn(
  seed?: (standIn: TwilioStandIn) => void | Promise<void>,
): () => TwilioStandIn {
  let standIn: TwilioStandIn | undefined;
  let unwire: (() => void) | undefined;
  beforeEach(async () => {
    standIn = createTwilioStandIn();
    unwire = await wireProvidersTo(standIn);
    await seed?.(standIn);
  });
  afterEach(() => {
    unwire?.();
    unwire = undefined;
    expect(standIn?.violations).toEqual([]);
  });
  return () => {
    if (!standIn) throw new Error("useTwilioStandIn: the stand-in exists only inside a test");
    return standIn;
  };
}

/** Runs `check` as the engine would, expecting no failures; returns the checked inputs. */
export async function checkedInputs<I>(
  provider: pulumi.dynamic.ResourceProvider<I>,
  news: I,
  olds: Partial<I> = {},
): Promise<I> {
  const checked = await provider.check!(olds as I, news);
  expect(checked.failures ?? []).toEqual([]);
  return checked.inputs as I;
}

/** `check` then `create`, as the engine does for a new resource; returns the id and outputs. */
export async function createChecked<I, O>(
  provider: pulumi.dynamic.ResourceProvider<I, O>,
  news: I,
): Promise<{ id: string; outs: O }> {
  const result = await provider.create(await checkedInputs(provider, news));
  return { id: result.id, outs: result.outs as O };
}

/** A `pulumi up` with nothing changed: `diff` finds no change and `update` calls Twilio not once. */
export async function expectNoOpUp<I, O>(
  provider: pulumi.dynamic.ResourceProvider<I, O>,
  live: { id: string; outs: O },
  news: I,
  standIn: TwilioStandIn,
): Promise<void> {
  standIn.resetCalls();
  expect(await provider.diff!(live.id, live.outs, news)).toEqual({
    changes: false,
    replaces: [],
    deleteBeforeReplace: false,
  });
  await provider.update!(live.id, live.outs, news);
  expect(standIn.calls).toHaveLength(0);
}

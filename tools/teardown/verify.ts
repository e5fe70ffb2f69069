import type { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import type twilio from "twilio";
import { findTaggedResources } from "./awsLeftovers";
import { Leftover } from "./leftover";
import { findTwilioLeftovers } from "./twilioLeftovers";

/** What the check needs: the stack, where to look, and clients to look with. */
export interface VerifyOptions {
  /** Stack name (short form, as in `whatsapp-bot-<stack>` and the `stack` tag). */
  readonly stack: string;
  /** Value of the `project` tag. */
  readonly project: string;
  /** AWS regions to search. */
  readonly regions: readonly string[];
  /** A Twilio client for the account the stack used. */
  readonly twilio: twilio.Twilio;
  /** A tagging API client for a region. */
  readonly tagging: (region: string) => ResourceGroupsTaggingAPIClient;
  /** Keep re-checking for this long while something is left (the tagging index lags deletions). */
  readonly waitMs?: number;
  /** Pause between re-checks. */
  readonly intervalMs?: number;
  /** Sleeps; injectable so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Reports progress between attempts. */
  readonly log?: (line: string) => void;
}

/** The result of the check. */
export interface TeardownReport {
  /** The stack checked. */
  readonly stack: string;
  /** Everything that still exists; empty when the teardown is complete. */
  readonly leftovers: readonly Leftover[];
  /** How many times the check ran. */
  readonly attempts: number;
}

async function checkOnce(options: VerifyOptions): Promise<Leftover[]> {
  const leftovers: Leftover[] = [];
  for (const item of await findTwilioLeftovers(options.twilio, options.stack)) {
    leftovers.push({ system: "twilio", kind: item.kind, id: item.sid, detail: item.detail });
  }
  for (const region of options.regions) {
    const tagged = await findTaggedResources(options.tagging(region), {
      project: options.project,
      stack: options.stack,
    });
    for (const resource of tagged) {
      leftovers.push({
        system: "aws",
        kind: resource.kind,
        id: resource.arn,
        detail: `tagged project=${options.project} stack=${options.stack} in ${region}`,
      });
    }
  }
  return leftovers;
}

/**
 * Checks that nothing of a destroyed stack is left in Twilio or AWS. Read-only: it reports and
 * never deletes, so a leftover is for a person (or another `pulumi destroy`) to deal with.
 */
export async function verifyTeardown(options: VerifyOptions): Promise<TeardownReport> {
  const waitMs = options.waitMs ?? 0;
  const intervalMs = options.intervalMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waited = 0;
  let attempts = 1;
  let leftovers = await checkOnce(options);
  while (leftovers.length > 0 && waited < waitMs) {
    options.log?.(`${leftovers.length} left; checking again in ${Math.round(intervalMs / 1000)} s`);
    await sleep(intervalMs);
    waited += intervalMs;
    attempts += 1;
    leftovers = await checkOnce(options);
  }
  return { stack: options.stack, leftovers, attempts };
}

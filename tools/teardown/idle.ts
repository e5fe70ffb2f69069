/** One entry of `pulumi stack ls --json`. */
export interface StackListEntry {
  /** Stack name, possibly qualified (`org/project/stack`). */
  readonly name: string;
  /** Time of the last update (UTC), absent when never updated or while one runs. */
  readonly lastUpdate?: string;
  /** Whether an update is running now. */
  readonly updateInProgress?: boolean;
  /** Resources in the stack's state. */
  readonly resourceCount?: number;
}

/** How idle stacks are chosen. */
export interface IdleRules {
  /** Now. */
  readonly now: Date;
  /** Stacks whose last update is older than this are idle. */
  readonly maxIdleHours: number;
  /** Narrows the candidates further (matched against the short stack name). */
  readonly pattern: RegExp;
}

/**
 * The only stacks this automation may ever tear down, whatever pattern it is given: staging
 * (and staging-<suffix>) and review stacks. dev and prod are never candidates.
 */
export const TEARDOWN_ALLOWED = /^(staging(-[A-Za-z0-9_-]+)?|pr-[0-9]+)$/;

/** `pulumi stack ls` prints `2024-01-02T03:04:05.000Z`; accept a `+0000` offset too. */
function parseTime(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
}

/**
 * The short names of the stacks to tear down: allowed, matching the pattern, not updating
 * right now, holding resources, and last updated more than maxIdleHours ago. A stack without a
 * lastUpdate is skipped: its age cannot be told.
 */
export function selectIdleStacks(stacks: readonly StackListEntry[], rules: IdleRules): string[] {
  const cutoff = rules.now.getTime() - rules.maxIdleHours * 3_600_000;
  const selected: string[] = [];
  for (const entry of stacks) {
    const name = entry.name.split("/").pop() ?? entry.name;
    if (!TEARDOWN_ALLOWED.test(name) || !rules.pattern.test(name)) continue;
    if (entry.updateInProgress === true || entry.resourceCount === 0) continue;
    if (entry.lastUpdate === undefined) continue;
    const updated = parseTime(entry.lastUpdate);
    if (Number.isNaN(updated) || updated >= cutoff) continue;
    selected.push(name);
  }
  return selected;
}

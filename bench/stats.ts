/** Small order statistics for the benchmarks: every figure they report is a median or a percentile. */

/** Thrown when a statistic is asked of no samples (a benchmark that measured nothing). */
export class EmptySampleError extends Error {
  constructor(what: string) {
    super(`${what}: no samples`);
    this.name = "EmptySampleError";
  }
}

function sorted(values: readonly number[], what: string): number[] {
  if (values.length === 0) throw new EmptySampleError(what);
  return [...values].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks (the method numpy and
 * spreadsheets use by default), so p50 of an even-sized sample is the mean of the middle two.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  return percentileOfSorted(sorted(values, `p${p}`), p);
}

/** Like {@link percentile}, for a sample already sorted ascending (saves re-sorting large ones). */
export function percentileOfSorted(ascending: readonly number[], p: number): number {
  if (ascending.length === 0) throw new EmptySampleError(`p${p}`);
  const rank = (p / 100) * (ascending.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return ascending[lo] + (ascending[hi] - ascending[lo]) * (rank - lo);
}

/** The median (p50). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** A sample's size and the figures the report shows. */
export interface Summary {
  /** Number of samples. */
  n: number;
  /** Smallest sample. */
  min: number;
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 99th percentile. */
  p99: number;
  /** Largest sample. */
  max: number;
}

/** Summarises a sample (sorting it once). */
export function summarize(values: readonly number[]): Summary {
  const s = sorted(values, "summary");
  return {
    n: s.length,
    min: s[0],
    p50: percentileOfSorted(s, 50),
    p90: percentileOfSorted(s, 90),
    p99: percentileOfSorted(s, 99),
    max: s[s.length - 1],
  };
}

/** Nanoseconds from a `process.hrtime.bigint()` start until now, as milliseconds. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Raised when an attempt runs out of its time budget before it has an answer. */
export class AttemptTimeoutError extends Error {
  constructor(budgetMs: number) {
    super(`no answer within the attempt's ${budgetMs} ms budget`);
    this.name = "AttemptTimeoutError";
  }
}

/** Runs a promise against the attempt's deadline: settles with it, or rejects once time is up. */
export type Deadline = <T>(work: Promise<T>) => Promise<T>;

/**
 * A deadline `budgetMs` from now. Lambda freezes a function at its time limit without running any
 * more of its code, so the handler gives up a little earlier on its own: it then answers 500 at
 * once (Twilio moves on to the fallback URL) and logs why, instead of vanishing. The work itself
 * is not cancelled; a write it sent may still land, which the stored answer accounts for.
 */
export function deadlineIn(budgetMs: number, now: () => number = Date.now): Deadline {
  const end = now() + budgetMs;
  return <T>(work: Promise<T>): Promise<T> => {
    if (!Number.isFinite(budgetMs)) return work;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AttemptTimeoutError(budgetMs)), Math.max(0, end - now()));
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
  };
}

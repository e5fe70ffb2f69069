/** Something of a destroyed stack that still exists. */
export interface Leftover {
  /** Where it lives. */
  readonly system: "twilio" | "aws";
  /** What it is, e.g. "Messaging Service" or "lambda:function". */
  readonly kind: string;
  /** Its SID or ARN. */
  readonly id: string;
  /** Why it belongs to the stack (name, tags, region). */
  readonly detail: string;
}

/** One line per leftover, in the order found. */
export function formatLeftovers(leftovers: readonly Leftover[]): string {
  return leftovers.map((l) => `  - [${l.system}] ${l.kind} ${l.id} (${l.detail})`).join("\n");
}

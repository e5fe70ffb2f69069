/** The verify-teardown command line. */
export interface TeardownArgs {
  /** The stack to check. */
  readonly stack: string;
  /** AWS regions given with --region (may be empty: the caller falls back). */
  readonly regions: string[];
  /** The `project` tag value. */
  readonly project: string;
  /** Seconds to keep re-checking while something is left. */
  readonly waitSeconds: number;
  /** `--account-id`: the account whose budgets are read (else AWS_ACCOUNT_ID, else IAM). */
  readonly accountId?: string;
}

/** A command line that cannot be run; the message says how to fix it. */
export class TeardownArgsError extends Error {
  constructor(message: string) {
    super(
      `${message}\nUsage: npm run verify-teardown -- --stack <name> [--region <r>]... [--project whatsapp-bot] [--wait-seconds N] [--account-id <12 digits>]`,
    );
    this.name = "TeardownArgsError";
  }
}

const STACK = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Parses `--stack`, `--region` (repeatable), `--project`, `--wait-seconds`, `--account-id`;
 * `--x=y` works too.
 */
export function parseTeardownArgs(argv: readonly string[]): TeardownArgs {
  let stack: string | undefined;
  const regions: string[] = [];
  let project = "whatsapp-bot";
  let waitSeconds = 0;
  let accountId: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new TeardownArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--stack":
        // A fully qualified org/project/stack name: the resources carry the short name.
        stack = value().split("/").pop();
        break;
      case "--region": {
        const region = value();
        if (!REGION.test(region))
          throw new TeardownArgsError(`--region "${region}" is not an AWS region`);
        regions.push(region);
        break;
      }
      case "--project":
        project = value();
        break;
      case "--wait-seconds": {
        const raw = value();
        waitSeconds = Number(raw);
        if (!/^\d+$/.test(raw))
          throw new TeardownArgsError(`--wait-seconds "${raw}" is not a whole number`);
        break;
      }
      case "--account-id": {
        const id = value();
        if (!/^\d{12}$/.test(id))
          throw new TeardownArgsError(`--account-id "${id}" is not a 12-digit AWS account id`);
        accountId = id;
        break;
      }
      default:
        throw new TeardownArgsError(`unknown argument "${argv[i]}"`);
    }
  }
  if (stack === undefined) throw new TeardownArgsError("--stack is required");
  if (!STACK.test(stack)) throw new TeardownArgsError(`--stack "${stack}" is not a stack name`);
  return { stack, regions, project, waitSeconds, ...(accountId ? { accountId } : {}) };
}

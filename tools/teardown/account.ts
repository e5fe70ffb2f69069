/** The AWS account (and partition) whose global resources, budgets, are checked. */
export interface AwsAccount {
  /** The 12-digit account id. */
  readonly id: string;
  /** `aws`, `aws-cn` or `aws-us-gov`: budget ARNs need it. */
  readonly partition: string;
  /** Where the id came from, for the report. */
  readonly source: string;
}

/** The account cannot be told, or two sources disagree. */
export class AwsAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AwsAccountError";
  }
}

const ACCOUNT_ID = /^\d{12}$/;

/** Whether a value is a 12-digit AWS account id. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** The partition a region belongs to (what the SDK's endpoint rules also derive). */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** What resolveAccount chooses from. */
export interface AccountSources {
  /** `--account-id`. */
  readonly flag?: string;
  /** `AWS_ACCOUNT_ID` from the environment. */
  readonly env?: string;
  /** The ARN of any IAM role ListRoles returned: roles live in the caller's own account. */
  readonly roleArn?: string;
  /** The region the clients use (partition fallback). */
  readonly region: string;
}

/**
 * The account to read budgets from: `--account-id`, else `AWS_ACCOUNT_ID`, else the account in
 * the ARN of the IAM roles the credentials just listed (STS GetCallerIdentity would be the usual
 * way, but the STS client is not a dependency). A given id must match the roles' account: budgets
 * of another account are not the caller's to read, and a clean report about the wrong account
 * would be a false all-clear.
 */
export function resolveAccount(sources: AccountSources): AwsAccount {
  const [, partitionOfRole, , , accountOfRole] = sources.roleArn?.split(":") ?? [];
  const fromRoles = accountOfRole && isAccountId(accountOfRole) ? accountOfRole : undefined;
  const partition = partitionOfRole || partitionOfRegion(sources.region);
  const given =
    sources.flag !== undefined
      ? { id: sources.flag, source: "--account-id" }
      : sources.env
        ? { id: sources.env, source: "AWS_ACCOUNT_ID" }
        : undefined;
  if (given !== undefined) {
    if (!isAccountId(given.id)) {
      throw new AwsAccountError(`${given.source} "${given.id}" is not a 12-digit AWS account id`);
    }
    if (fromRoles !== undefined && fromRoles !== given.id) {
      throw new AwsAccountError(
        `${given.source} is ${given.id}, but the AWS credentials are for account ${fromRoles} ` +
          `(from the ARNs of its IAM roles); use credentials of ${given.id} or fix ${given.source}`,
      );
    }
    return { id: given.id, partition, source: given.source };
  }
  if (fromRoles !== undefined) return { id: fromRoles, partition, source: "IAM role ARNs" };
  throw new AwsAccountError(
    "cannot tell the AWS account to read budgets from: the account has no IAM role to read it " +
      "from; pass --account-id <12 digits> or set AWS_ACCOUNT_ID",
  );
}

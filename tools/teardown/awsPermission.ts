/** An AWS call was refused: the role running the check lacks the permission this names. */
export class AwsPermissionError extends Error {
  /** The IAM action the caller needs, e.g. `iam:ListRoles`. */
  readonly permission: string;

  constructor(permission: string, cause: Error) {
    super(
      `AWS denied ${permission}: give the role that runs verify-teardown the ${permission} ` +
        `permission (docs/environments.md lists every permission the check needs). ` +
        `AWS said: ${cause.message}`,
    );
    this.name = "AwsPermissionError";
    this.permission = permission;
  }
}

/**
 * Error names AWS uses for a refused call: IAM (query protocol) says `AccessDenied`, JSON
 * services such as Budgets and the Tagging API say `AccessDeniedException`.
 */
const ACCESS_DENIED = new Set(["AccessDenied", "AccessDeniedException"]);

/** Whether an SDK error means the caller is not allowed to make the call. */
export function isAccessDenied(err: unknown): boolean {
  return err instanceof Error && ACCESS_DENIED.has(err.name);
}

/** Whether an SDK error has one of these names (e.g. a resource gone between two calls). */
export function isNamed(err: unknown, ...names: string[]): boolean {
  return err instanceof Error && names.includes(err.name);
}

/** Runs an AWS call; a refusal becomes an AwsPermissionError naming the permission it needs. */
export async function requiring<T>(permission: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isAccessDenied(err)) throw new AwsPermissionError(permission, err as Error);
    throw err;
  }
}

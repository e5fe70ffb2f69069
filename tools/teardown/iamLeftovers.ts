import { type IAMClient, ListRolesCommand, ListRoleTagsCommand } from "@aws-sdk/client-iam";
import type { StackTags } from "./awsLeftovers";
import { isNamed, requiring } from "./awsPermission";

/** An IAM role that carries the stack's tags. */
export interface TaggedRole {
  /** Its ARN. */
  readonly arn: string;
  /** Its name. */
  readonly name: string;
}

/** What one pass over the account's IAM roles found. */
export interface RoleScan {
  /** Roles tagged `project=<project>` and `stack=<stack>`. */
  readonly roles: TaggedRole[];
  /** ARN of any role listed (all live in the caller's account); undefined when there is none. */
  readonly sampleArn?: string;
}

/**
 * Whether a role is worth a ListRoleTags call: its name carries `<project>-<stack>`, which every
 * role the stack creates does (`whatsapp-bot-<stack>-role-<suffix>` under Pulumi's default
 * autonaming, and any autonaming pattern that keeps the logical name). The tags decide; the name
 * only spares one call per unrelated role. Case-insensitive, as IAM role names are.
 */
export function mayBelongToStack(roleName: string, tags: StackTags): boolean {
  return roleName.toLowerCase().includes(`${tags.project}-${tags.stack}`.toLowerCase());
}

/** The role's tags, all pages; undefined when the role was deleted since it was listed. */
async function roleTags(
  client: IAMClient,
  roleName: string,
): Promise<Map<string, string> | undefined> {
  const tags = new Map<string, string>();
  let marker: string | undefined;
  do {
    let page;
    try {
      page = await requiring("iam:ListRoleTags", () =>
        client.send(new ListRoleTagsCommand({ RoleName: roleName, Marker: marker })),
      );
    } catch (err) {
      // A destroy running alongside can delete the role between ListRoles and this call.
      if (isNamed(err, "NoSuchEntity", "NoSuchEntityException")) return undefined;
      throw err;
    }
    for (const tag of page.Tags ?? []) {
      if (tag.Key !== undefined) tags.set(tag.Key, tag.Value ?? "");
    }
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return tags;
}

/**
 * The IAM roles still tagged `project=<project>` and `stack=<stack>`. IAM is global and the
 * Resource Groups Tagging API does not return roles, so this lists every role (ListRoles, all
 * pages) and reads the tags (ListRoleTags; ListRoles leaves tags out) of those named after the
 * stack. Read-only.
 */
export async function findTaggedRoles(client: IAMClient, tags: StackTags): Promise<RoleScan> {
  const candidates: { name: string; arn: string }[] = [];
  let sampleArn: string | undefined;
  let marker: string | undefined;
  do {
    const page = await requiring("iam:ListRoles", () =>
      client.send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 })),
    );
    for (const role of page.Roles ?? []) {
      sampleArn ??= role.Arn;
      if (role.RoleName && role.Arn && mayBelongToStack(role.RoleName, tags))
        candidates.push({ name: role.RoleName, arn: role.Arn });
    }
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);

  const roles: TaggedRole[] = [];
  for (const role of candidates) {
    const found = await roleTags(client, role.name);
    if (found?.get("project") === tags.project && found.get("stack") === tags.stack) {
      roles.push(role);
    }
  }
  return { roles, sampleArn };
}

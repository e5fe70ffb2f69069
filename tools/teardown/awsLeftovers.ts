import {
  GetResourcesCommand,
  type ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { requiring } from "./awsPermission";

/** The tags every AWS resource of the stack carries. */
export interface StackTags {
  /** Value of the `project` tag. */
  readonly project: string;
  /** Value of the `stack` tag. */
  readonly stack: string;
}

/** A tagged AWS resource that still exists. */
export interface TaggedResource {
  /** Its ARN. */
  readonly arn: string;
  /** `service:type` read from the ARN, e.g. `lambda:function`. */
  readonly kind: string;
}

/** `service:resource-type` of an ARN (`arn:partition:service:region:account:type/...`). */
export function kindOfArn(arn: string): string {
  const parts = arn.split(":");
  const service = parts[2] ?? "unknown";
  const resource = parts.slice(5).join(":");
  const type = resource.split(/[/:]/)[0];
  return type === "" || type === resource ? service : `${service}:${type}`;
}

/**
 * Every resource in the client's region tagged `project=<project>` and `stack=<stack>`, through
 * the Resource Groups Tagging API, following PaginationToken until it comes back empty. The API
 * does not return IAM roles or users (see the AWS docs on GetResources), nor budgets (global):
 * globalLeftovers.ts checks those. It can keep returning a resource for a while after its
 * deletion.
 */
export async function findTaggedResources(
  client: ResourceGroupsTaggingAPIClient,
  tags: StackTags,
): Promise<TaggedResource[]> {
  const found: TaggedResource[] = [];
  let token: string | undefined;
  do {
    const page = await requiring("tag:GetResources", () =>
      client.send(
        new GetResourcesCommand({
          TagFilters: [
            { Key: "stack", Values: [tags.stack] },
            { Key: "project", Values: [tags.project] },
          ],
          ResourcesPerPage: 100,
          PaginationToken: token,
        }),
      ),
    );
    for (const mapping of page.ResourceTagMappingList ?? []) {
      if (mapping.ResourceARN)
        found.push({ arn: mapping.ResourceARN, kind: kindOfArn(mapping.ResourceARN) });
    }
    token = page.PaginationToken === "" ? undefined : page.PaginationToken;
  } while (token !== undefined);
  return found;
}

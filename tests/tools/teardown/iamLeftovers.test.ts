import {
  IAMClient,
  IAMServiceException,
  ListRolesCommand,
  ListRoleTagsCommand,
  NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { AwsPermissionError } from "../../../tools/teardown/awsPermission";
import { findTaggedRoles, mayBelongToStack } from "../../../tools/teardown/iamLeftovers";

const iamMock = mockClient(IAMClient);
const TAGS = { project: "whatsapp-bot", stack: "pr-7" };
const ACCOUNT = "123456789012";

/** A role as ListRoles returns it (no tags: ListRoles leaves them out). */
function role(name: string) {
  return {
    Path: "/",
    RoleName: name,
    RoleId: `AROA${name.length}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    CreateDate: new Date(0),
  };
}

/** The stack's tags as ListRoleTags returns them. */
function stackTags(stack: string) {
  return [
    { Key: "project", Value: "whatsapp-bot" },
    { Key: "stack", Value: stack },
    { Key: "environment", Value: "review" },
  ];
}

/** An error as the SDK raises it for an IAM error code it has no class for. */
function iamError(name: string, message: string) {
  return new IAMServiceException({
    name,
    $fault: "client",
    $metadata: { httpStatusCode: 403 },
    message,
  });
}

beforeEach(() => {
  iamMock.reset();
  iamMock.on(ListRolesCommand).resolves({ Roles: [], IsTruncated: false });
  iamMock.on(ListRoleTagsCommand).resolves({ Tags: [], IsTruncated: false });
});

describe("findTaggedRoles", () => {
  test("reports the stack's execution role, found on the second ListRoles page", async () => {
    iamMock
      .on(ListRolesCommand)
      .resolvesOnce({ Roles: [role("admin")], IsTruncated: true, Marker: "m-1" })
      .resolvesOnce({ Roles: [role("whatsapp-bot-pr-7-role-1a2b3c4")], IsTruncated: false });
    iamMock
      .on(ListRoleTagsCommand, { RoleName: "whatsapp-bot-pr-7-role-1a2b3c4" })
      .resolves({ Tags: stackTags("pr-7"), IsTruncated: false });

    const scan = await findTaggedRoles(new IAMClient({ region: "eu-west-1" }), TAGS);

    expect(scan.roles).toEqual([
      {
        name: "whatsapp-bot-pr-7-role-1a2b3c4",
        arn: `arn:aws:iam::${ACCOUNT}:role/whatsapp-bot-pr-7-role-1a2b3c4`,
      },
    ]);
    expect(scan.sampleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/admin`);
    expect(iamMock.commandCalls(ListRolesCommand).map((c) => c.args[0].input.Marker)).toEqual([
      undefined,
      "m-1",
    ]);
  });

  test("decides by tags: another stack's role named with this stack's prefix is not reported", async () => {
    iamMock.on(ListRolesCommand).resolves({
      Roles: [
        role("whatsapp-bot-pr-70-role-aaaaaaa"),
        role("whatsapp-bot-pr-7-role-bbbbbbb"),
        role("whatsapp-bot-pr-7-untagged"),
      ],
      IsTruncated: false,
    });
    iamMock
      .on(ListRoleTagsCommand, { RoleName: "whatsapp-bot-pr-70-role-aaaaaaa" })
      .resolves({ Tags: stackTags("pr-70"), IsTruncated: false });
    iamMock
      .on(ListRoleTagsCommand, { RoleName: "whatsapp-bot-pr-7-role-bbbbbbb" })
      .resolves({ Tags: stackTags("pr-7"), IsTruncated: false });

    const scan = await findTaggedRoles(new IAMClient({ region: "eu-west-1" }), TAGS);

    expect(scan.roles.map((r) => r.name)).toEqual(["whatsapp-bot-pr-7-role-bbbbbbb"]);
    // The pr-70 role's name carries "whatsapp-bot-pr-7": it was looked at; its tags ruled it out.
    expect(iamMock.commandCalls(ListRoleTagsCommand).map((c) => c.args[0].input.RoleName)).toEqual([
      "whatsapp-bot-pr-70-role-aaaaaaa",
      "whatsapp-bot-pr-7-role-bbbbbbb",
      "whatsapp-bot-pr-7-untagged",
    ]);
  });

  test("reads every page of a role's tags", async () => {
    iamMock.on(ListRolesCommand).resolves({
      Roles: [role("whatsapp-bot-pr-7-role-ccccccc")],
      IsTruncated: false,
    });
    iamMock
      .on(ListRoleTagsCommand)
      .resolvesOnce({
        Tags: [{ Key: "project", Value: "whatsapp-bot" }],
        IsTruncated: true,
        Marker: "t-1",
      })
      .resolvesOnce({ Tags: [{ Key: "stack", Value: "pr-7" }], IsTruncated: false });

    const scan = await findTaggedRoles(new IAMClient({ region: "eu-west-1" }), TAGS);

    expect(scan.roles).toHaveLength(1);
    expect(iamMock.commandCalls(ListRoleTagsCommand).map((c) => c.args[0].input.Marker)).toEqual([
      undefined,
      "t-1",
    ]);
  });

  test("skips a role deleted between ListRoles and ListRoleTags", async () => {
    iamMock.on(ListRolesCommand).resolves({
      Roles: [role("whatsapp-bot-pr-7-role-ddddddd")],
      IsTruncated: false,
    });
    iamMock
      .on(ListRoleTagsCommand)
      .rejects(new NoSuchEntityException({ message: "role not found", $metadata: {} }));

    const scan = await findTaggedRoles(new IAMClient({ region: "eu-west-1" }), TAGS);

    expect(scan.roles).toEqual([]);
  });

  test("calls no ListRoleTags for roles unrelated to the stack, and has no sample ARN without roles", async () => {
    const client = new IAMClient({ region: "eu-west-1" });
    iamMock.on(ListRolesCommand).resolves({ Roles: [role("admin")], IsTruncated: false });
    await findTaggedRoles(client, TAGS);
    expect(iamMock.commandCalls(ListRoleTagsCommand)).toEqual([]);

    iamMock.on(ListRolesCommand).resolves({ Roles: [], IsTruncated: false });
    expect((await findTaggedRoles(client, TAGS)).sampleArn).toBeUndefined();
  });

  test.each([
    ["ListRoles", "iam:ListRoles", (e: Error) => iamMock.on(ListRolesCommand).rejects(e)],
    ["ListRoleTags", "iam:ListRoleTags", (e: Error) => iamMock.on(ListRoleTagsCommand).rejects(e)],
  ])("a refused %s call names the permission it needs", async (_, permission, refuse) => {
    iamMock.on(ListRolesCommand).resolves({
      Roles: [role("whatsapp-bot-pr-7-role-eeeeeee")],
      IsTruncated: false,
    });
    refuse(iamError("AccessDenied", `User: x is not authorized to perform: ${permission}`));

    const failure = findTaggedRoles(new IAMClient({ region: "eu-west-1" }), TAGS);

    await expect(failure).rejects.toThrow(AwsPermissionError);
    await expect(failure).rejects.toMatchObject({ permission });
  });

  test("passes other errors through unchanged", async () => {
    iamMock.on(ListRolesCommand).rejects(iamError("ServiceFailure", "try later"));
    await expect(
      findTaggedRoles(new IAMClient({ region: "eu-west-1" }), TAGS),
    ).rejects.toMatchObject({ name: "ServiceFailure" });
  });
});

describe("mayBelongToStack", () => {
  test.each([
    ["whatsapp-bot-pr-7-role-1a2b3c4", true],
    ["WhatsApp-Bot-PR-7-role", true],
    ["whatsapp-bot-pr-70-role-1a2b3c4", true],
    ["whatsapp-bot-pr-8-role-1a2b3c4", false],
    ["OrganizationAccountAccessRole", false],
  ])("%s -> %p", (name, expected) => {
    expect(mayBelongToStack(name, TAGS)).toBe(expected);
  });
});

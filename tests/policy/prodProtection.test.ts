import { prodProtection, stackOfUrn } from "../../policy/prodProtection";
import { AWS_TYPES, TWILIO_TYPES } from "../../policy/resourceTypes";
import { policyResource, stackViolationsOf } from "./harness";

/** The resources of a stack: the Twilio binding plus one tagged AWS resource. */
function stackResources(stack: string, environment: string, protect: boolean) {
  return [
    policyResource({
      type: TWILIO_TYPES.messagingService,
      name: "service",
      stack,
      protect,
      props: { friendlyName: `whatsapp-bot-${stack}` },
    }),
    policyResource({
      type: TWILIO_TYPES.senderPoolMember,
      name: "sender-binding",
      stack,
      protect,
      props: {
        serviceSid: "MG0123456789abcdef0123456789abcdef",
        senderSid: "XE0123456789abcdef0123456789abcdef",
      },
    }),
    policyResource({
      type: AWS_TYPES.logGroup,
      name: "logs",
      stack,
      props: { retentionInDays: 14, tags: { project: "whatsapp-bot", stack, environment } },
    }),
  ];
}

describe("prod-protects-twilio-binding", () => {
  test("passes a prod stack whose Messaging Service and sender binding are protected", async () => {
    expect(await stackViolationsOf(prodProtection, stackResources("prod", "prod", true))).toEqual(
      [],
    );
  });

  test("reports each unprotected Twilio resource of the prod stack, naming its URN", async () => {
    const resources = stackResources("prod", "prod", false);
    const found = await stackViolationsOf(prodProtection, resources);
    expect(found.map((v) => v.urn)).toEqual([resources[0].urn, resources[1].urn]);
    expect(found[0].message).toContain("protect: true");
  });

  test("treats a stack of another name as prod when its resources are tagged environment=prod", async () => {
    const found = await stackViolationsOf(
      prodProtection,
      stackResources("production-eu", "prod", false),
    );
    expect(found).toHaveLength(2);
    expect(found[0].message).toContain("environment=prod");
  });

  test("follows the prodStacks policy config", async () => {
    const resources = stackResources("live", "staging", false);
    expect(await stackViolationsOf(prodProtection, resources)).toEqual([]);
    expect(
      await stackViolationsOf(prodProtection, resources, { prodStacks: ["live"] }),
    ).toHaveLength(2);
  });

  test.each([
    ["dev", "dev"],
    ["staging", "staging"],
    ["pr-42", "review"],
  ])("does not require protection on the %s stack", async (stack, environment) => {
    expect(
      await stackViolationsOf(prodProtection, stackResources(stack, environment, false)),
    ).toEqual([]);
  });

  test("reads the stack name out of a URN", () => {
    expect(
      stackOfUrn(`urn:pulumi:prod::whatsapp-bot::${TWILIO_TYPES.messagingService}::service`),
    ).toBe("prod");
    expect(stackOfUrn("not-a-urn")).toBeUndefined();
  });
});

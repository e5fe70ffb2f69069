import { usageTriggerName } from "../../../infra/spendingAlerts";
import { carriesStack, stackTriggerPrefix } from "../../../tools/teardown/twilioLeftovers";

describe("carriesStack", () => {
  test.each([
    ["whatsapp-bot-pr-7-spending 80% of 50 USD", "pr-7", true],
    ["whatsapp-bot-pr-71-spending 80% of 50 USD", "pr-7", false],
    ["whatsapp-bot-staging-spending 100% of 50 USD", "staging", true],
    ["whatsapp-bot-staging-eu-spending 100% of 50 USD", "staging", false],
    ["whatsapp-bot-staging-spending 100% of 50 USD", "staging-eu", false],
    ["whatsapp-bot-staging-eu-spending 100% of 50 USD", "staging-eu", true],
    ["whatsapp-bot-staging-spending", "staging", true],
    ["whatsapp-bot-staging-spending-spending 50% of 10 USD", "staging", false],
    ["alert for whatsapp-bot-staging-spending 50% of 10 USD", "staging", false],
    ["whatsapp-bot-dev-spending 50% of 10 USD", "bot", false],
    ["whatsapp-bot-dev 50% of 10 USD", "dev", false],
    ["pr-7 spending", "pr-7", false],
    ["whatsapp-bot-a.b-spending 1% of 1 USD", "a.b", true],
    ["whatsapp-bot-aXb-spending 1% of 1 USD", "a.b", false],
  ])("%j belongs to stack %s: %s", (name, stack, expected) => {
    expect(carriesStack(name, stack)).toBe(expected);
  });

  test("matches the names the stack program gives its triggers, and only its own stack's", () => {
    // The longest stack name config allows (32), the largest budget and threshold.
    for (const stack of ["staging", "staging-eu", "pr-7", "pr-71", "s".repeat(32)]) {
      const name = usageTriggerName(stackTriggerPrefix(stack), 1000, 1_000_000);
      expect(name.length).toBeLessThanOrEqual(64);
      expect(carriesStack(name, stack)).toBe(true);
      for (const other of ["staging", "staging-eu", "pr-7", "pr-71"].filter((s) => s !== stack)) {
        expect({ name, other, found: carriesStack(name, other) }).toEqual({
          name,
          other,
          found: false,
        });
      }
    }
  });
});

import { carriesStack } from "../../../tools/teardown/twilioLeftovers";

describe("carriesStack", () => {
  test.each([
    ["whatsapp-bot-pr-7-spending 80% of 50 USD", "pr-7", true],
    ["whatsapp-bot-pr-71-spending 80% of 50 USD", "pr-7", false],
    ["whatsapp-bot-dev", "dev", true],
    ["alert for whatsapp-bot-staging", "staging", true],
    ["whatsapp-bot-staging2 alert", "staging", false],
    ["whatsapp-bot-dev-spending 50% of 10 USD", "bot", false],
    ["pr-7 spending", "pr-7", false],
    ["whatsapp-bot-a.b", "a.b", true],
    ["whatsapp-bot-aXb", "a.b", false],
  ])("%j carries stack %s: %s", (name, stack, expected) => {
    expect(carriesStack(name, stack)).toBe(expected);
  });
});

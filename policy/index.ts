import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

export { policies };

/** The pack `pulumi preview|up --policy-pack policy` runs; constructing it starts the analyzer. */
export const pack = new PolicyPack("whatsapp-bot-guardrails", {
  description: "Guardrails for the WhatsApp bot stack on Twilio and AWS.",
  enforcementLevel: "mandatory",
  policies,
});

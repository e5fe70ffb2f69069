import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_VERSION } from "../state";
import { whatsAppSenderProvider } from "./provider";
import type { WhatsAppSenderArgs } from "./types";

/** A WhatsApp sender (adopted or registered) with its webhook and business profile. */
export class WhatsAppSender extends pulumi.dynamic.Resource {
  /** The sender SID (XE...). */
  declare readonly sid: pulumi.Output<string>;
  /** Registration status, e.g. PENDING_VERIFICATION, VERIFYING, ONLINE. */
  declare readonly status: pulumi.Output<string>;
  /** The sender's address, `whatsapp:+E164`. */
  declare readonly senderId: pulumi.Output<string>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: WhatsAppSenderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      whatsAppSenderProvider,
      name,
      {
        ...args,
        providerVersion: PROVIDER_VERSION,
        sid: undefined,
        status: undefined,
        senderId: undefined,
      },
      opts,
      "twilio",
      "WhatsAppSender",
    );
  }
}

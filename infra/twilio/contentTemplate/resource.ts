import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_VERSION } from "../state";
import { contentTemplateProvider } from "./provider";
import type { ContentTemplateArgs } from "./types";

/**
 * A WhatsApp content template (Twilio Content API), optionally submitted for WhatsApp approval.
 * A content change is a replacement, and the new template needs approval again.
 */
export class ContentTemplate extends pulumi.dynamic.Resource {
  /** The content SID (HX...), what a send passes as `ContentSid`. */
  declare readonly sid: pulumi.Output<string>;
  /** Where WhatsApp approval stands, e.g. unsubmitted, received, pending, approved, rejected. */
  declare readonly approvalStatus: pulumi.Output<string>;
  /** Meta's reason for a rejection, or null. */
  declare readonly rejectionReason: pulumi.Output<string | null>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: ContentTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      contentTemplateProvider,
      name,
      {
        ...args,
        providerVersion: PROVIDER_VERSION,
        sid: undefined,
        approvalStatus: undefined,
        rejectionReason: undefined,
      },
      opts,
      "twilio",
      "ContentTemplate",
    );
  }
}

import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_VERSION } from "../state";
import { apiKeyProvider } from "./provider";
import type { ApiKeyArgs } from "./types";

/**
 * A Standard API key of the stack's own, created with the auth token and revoked on delete (a
 * replacement creates the new key before revoking the old one, so sending never stops). Rotate
 * it with `pulumi up --replace <its URN>`.
 */
export class ApiKey extends pulumi.dynamic.Resource {
  /** The key's SID (SK…). */
  declare readonly sid: pulumi.Output<string>;
  /** The key's secret, a secret Output (encrypted in state). */
  declare readonly secret: pulumi.Output<string>;
  /** The account (AC…) the key belongs to. */
  declare readonly accountSid: pulumi.Output<string>;
  /** The provider state version this resource was written with. */
  declare readonly providerVersion: pulumi.Output<number>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      apiKeyProvider,
      name,
      {
        ...args,
        providerVersion: PROVIDER_VERSION,
        sid: undefined,
        secret: undefined,
        accountSid: undefined,
      },
      {
        ...opts,
        additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "secret"],
      },
      "twilio",
      "ApiKey",
    );
  }
}

import type * as pulumi from "@pulumi/pulumi";

/** A Standard API key (api v2010 `Accounts/{sid}/Keys`): what the stack's send path calls Twilio with. */
export interface ApiKeyArgs {
  /** Name shown in the Console (API keys), up to 64 characters. */
  readonly friendlyName: pulumi.Input<string>;
}

/** Resolved inputs, as stored in state. */
export interface ApiKeyInputs {
  friendlyName: string;
  providerVersion?: number;
}

/** Outputs: the inputs plus the key's SID, its secret and the account it belongs to. */
export interface ApiKeyOutputs extends ApiKeyInputs {
  /** The key's SID (SK…). */
  sid: string;
  /**
   * The key's secret. Twilio returns it once, at creation: the state is its only copy, kept
   * encrypted there (the resource marks it an additional secret output).
   */
  secret: string;
  /** The account (AC…) the key was created in. */
  accountSid: string;
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "./twilio";

/** What the send path's credentials need. */
export interface SendPathArgs {
  /** The API key's name in the Twilio Console (up to 64 characters). */
  readonly keyName: string;
  /** Tags for the secret. */
  readonly tags: Record<string, string>;
}

/** The component's type token. */
export const SEND_PATH_TYPE = "whatsapp-bot:index:SendPath";

/**
 * The credentials of the bot's send path (lambda/outbound/): a Twilio API key of the stack's own
 * and one Secrets Manager secret holding, as JSON, `{accountSid, apiKeySid, apiKeySecret,
 * messagingServiceSid}`, which the Lambda reads by ARN at its first send.
 *
 * Built in two steps to keep the graph acyclic: the constructor makes the key and the (empty)
 * secret, whose ARN the function gets; {@link connect} writes the secret's value once the
 * Messaging Service exists, since the service's webhook URLs depend on the function (API → routes
 * → integration → function). For the same reason the function gets no version id of this secret
 * (it reads the current one, and again when Twilio refuses a key).
 *
 * Neither the key nor the secret is protected, and the secret has no recovery window: both are
 * made again by `pulumi up`, and `pulumi destroy` revokes the key and leaves nothing behind.
 */
export class SendPath extends pulumi.ComponentResource {
  /** The secret's ARN (`OUTBOUND_SECRET_ARN`). */
  declare readonly secretArn: pulumi.Output<string>;
  /** The API key's SID (SK…). */
  declare readonly apiKeySid: pulumi.Output<string>;
  /** The secret, for {@link connect}. */
  declare private readonly secret: aws.secretsmanager.Secret;
  /** The key, for {@link connect}. */
  declare private readonly key: ApiKey;
  /** The component's name, for {@link connect}'s child. */
  declare private readonly baseName: string;

  constructor(name: string, args: SendPathArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SEND_PATH_TYPE, name, {}, opts);
    this.baseName = name;
    this.key = new ApiKey(`${name}-key`, { friendlyName: args.keyName }, { parent: this });
    this.secret = new aws.secretsmanager.Secret(
      `${name}-credentials`,
      {
        description: `Twilio API key and Messaging Service of ${args.keyName}: the bot sends messages with them`,
        recoveryWindowInDays: 0,
        tags: args.tags,
      },
      { parent: this },
    );
    this.secretArn = this.secret.arn;
    this.apiKeySid = this.key.sid;
  }

  /** Writes the secret's value, now that the stack's Messaging Service exists. Call it once. */
  connect(messagingServiceSid: pulumi.Input<string>): this {
    new aws.secretsmanager.SecretVersion(
      `${this.baseName}-credentials`,
      {
        secretId: this.secret.id,
        secretString: pulumi.secret(
          pulumi
            .all([this.key.accountSid, this.key.sid, this.key.secret, messagingServiceSid])
            .apply(([accountSid, apiKeySid, apiKeySecret, serviceSid]) =>
              JSON.stringify({
                accountSid,
                apiKeySid,
                apiKeySecret,
                messagingServiceSid: serviceSid,
              }),
            ),
        ),
      },
      { parent: this },
    );
    this.registerOutputs({ secretArn: this.secretArn, apiKeySid: this.apiKeySid });
    return this;
  }
}

import * as pulumi from "@pulumi/pulumi";
import { type SenderConfig } from "./config";
import { type MessagingServiceConfig } from "./configSchema";
import { type WebhookUrls } from "./routes";
import { MessagingService, SenderPoolMember, WhatsAppSender } from "./twilio";

/** The Twilio side of one stack. */
export interface TwilioSideArgs {
  /** The Messaging Service's friendly name (`whatsapp-bot-<stack>`). */
  readonly friendlyName: string;
  /** The deployed API's webhook URLs. */
  readonly webhookUrls: WebhookUrls;
  /** Which sender, if any, to adopt or register and bind to the service. */
  readonly sender: SenderConfig;
  /** An existing Messaging Service to adopt (by MG… SID) instead of creating one. */
  readonly messagingService?: MessagingServiceConfig;
  /** Protect the service, the sender and its pool membership from accidental deletion. */
  readonly protect: boolean;
}

/**
 * The Messaging Service whose incoming, fallback and status-callback URLs are the API's routes,
 * and, unless the stack runs without one, the WhatsApp sender (adopted or registered, with its own
 * webhook and profile where configured) bound to the service's sender pool. Credentials reach the
 * dynamic providers through their `configure` (stack config), never through these inputs.
 */
export class TwilioSide extends pulumi.ComponentResource {
  /** The Messaging Service SID (MG…). */
  declare readonly messagingServiceSid: pulumi.Output<string>;
  /** The WhatsApp sender SID (XE…), when the stack has a sender. */
  declare readonly senderSid: pulumi.Output<string> | undefined;
  /** The sender's status (e.g. ONLINE, PENDING_VERIFICATION), when the stack has a sender. */
  declare readonly senderStatus: pulumi.Output<string> | undefined;
  /** The sender's address, `whatsapp:+E164`, when the stack has a sender. */
  declare readonly senderId: pulumi.Output<string> | undefined;

  constructor(name: string, args: TwilioSideArgs, opts?: pulumi.ComponentResourceOptions) {
    super("whatsapp-bot:index:TwilioSide", name, {}, opts);
    const urls = args.webhookUrls;

    const service = new MessagingService(
      `${name}-service`,
      {
        // An adopted service keeps its own name; the stack manages its URLs from then on.
        ...(args.messagingService?.sid
          ? {
              adoptSid: args.messagingService.sid,
              deleteOnDestroy: args.messagingService.deleteOnDestroy,
            }
          : { friendlyName: args.friendlyName }),
        inboundRequestUrl: urls.incoming,
        inboundMethod: "POST",
        fallbackUrl: urls.fallback,
        fallbackMethod: "POST",
        statusCallback: urls.status,
        // The service's URLs, not each sender's, decide where incoming messages go.
        useInboundWebhookOnNumber: false,
      },
      { parent: this, protect: args.protect },
    );
    this.messagingServiceSid = service.id;

    const sender = args.sender;
    if (sender.mode !== "none") {
      const whatsAppSender = new WhatsAppSender(
        `${name}-sender`,
        {
          ...(sender.mode === "adopt"
            ? { adopt: { sid: sender.sid, number: sender.number } }
            : {
                register: {
                  number: sender.number,
                  wabaId: sender.wabaId,
                  verificationMethod: sender.verificationMethod,
                  verificationCode: sender.verificationCode,
                  displayName: sender.displayName,
                },
              }),
          webhook: sender.webhook
            ? {
                callbackUrl: urls.incoming,
                callbackMethod: "POST",
                fallbackUrl: urls.fallback,
                fallbackMethod: "POST",
                statusCallbackUrl: urls.status,
                statusCallbackMethod: "POST",
              }
            : undefined,
          profile: sender.profile,
          deleteOnDestroy: sender.deleteOnDestroy,
        },
        { parent: this, protect: args.protect },
      );
      // Wired by `.id`, never by an output-only property: a provider without preview support
      // hands back an updated resource's new inputs as its outputs during a preview, so `sid` is
      // unknown there and the member would plan a replace (refused in prod, where it is
      // protected), while the engine keeps the id (pulumi/pulumi pkg/resource/deploy/step.go).
      new SenderPoolMember(
        `${name}-sender-pool`,
        { serviceSid: service.id, senderSid: whatsAppSender.id },
        { parent: this, protect: args.protect },
      );
      this.senderSid = whatsAppSender.id;
      this.senderStatus = whatsAppSender.status;
      this.senderId = whatsAppSender.senderId;
    }

    this.registerOutputs({
      messagingServiceSid: this.messagingServiceSid,
      senderSid: this.senderSid,
      senderStatus: this.senderStatus,
    });
  }
}

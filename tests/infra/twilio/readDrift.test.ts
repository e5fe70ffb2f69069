import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import { messagingServiceProvider } from "../../../infra/twilio/messagingService";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { whatsAppSenderProvider } from "../../../infra/twilio/whatsAppSender";

const urls = {
  incoming: "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/incoming",
  fallback: "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/fallback",
  status: "https://abc123.execute-api.eu-west-1.amazonaws.com/whatsapp/status",
};

const standIn = useTwilioStandIn();

// `read` serves `pulumi refresh`; its outputs cross a protobuf Struct in the dynamic-provider host,
// which refuses undefined ("Unexpected struct type"), so a field Twilio reports cleared is null.
describe("read after drift clears a managed field", () => {
  test("the Messaging Service's cleared URLs read back as null and convert to a Struct", async () => {
    const { id, outs } = await createChecked(messagingServiceProvider, {
      friendlyName: "whatsapp-bot-dev",
      inboundRequestUrl: urls.incoming,
      fallbackUrl: urls.fallback,
      statusCallback: urls.status,
      providerVersion: PROVIDER_VERSION,
    });
    const live = standIn().state.services.get(id)!;
    live.inbound_request_url = null;
    live.status_callback = null;

    const read = await messagingServiceProvider.read!(id, outs);
    expect(read.props).toMatchObject({
      inboundRequestUrl: null,
      statusCallback: null,
      fallbackUrl: urls.fallback,
    });
    expect(() => Struct.fromJavaScript(read.props as never)).not.toThrow();
  });

  test("an adopted sender's cleared webhook and profile fields read back as null and convert", async () => {
    const sid = standIn().seedSender({
      number: "+15551230001",
      profile: { name: "Example", about: "Hi", vertical: "Other" },
    });
    const { outs } = await createChecked(whatsAppSenderProvider, {
      adopt: { sid },
      webhook: { callbackUrl: urls.incoming, statusCallbackUrl: urls.status },
      profile: { about: "Hello", vertical: "Shopping and Retail" },
      providerVersion: PROVIDER_VERSION,
    });
    const sender = standIn().state.senders.get(sid)!;
    sender.webhook = null;
    sender.profile = { name: "Example" };

    const read = await whatsAppSenderProvider.read!(sid, outs);
    expect(read.props).toMatchObject({
      webhook: { callbackUrl: null, statusCallbackUrl: null },
      profile: { about: null, vertical: null },
    });
    expect(() => Struct.fromJavaScript(read.props as never)).not.toThrow();
  });
});

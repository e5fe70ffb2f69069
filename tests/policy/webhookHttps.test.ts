import { webhookHttps } from "../../policy/webhookHttps";
import { AWS_TYPES, TWILIO_TYPES } from "../../policy/resourceTypes";
import { previewProps, resourceArgs, UNKNOWN_STRING, violationsOf } from "./harness";

const API = "https://abc123.execute-api.eu-west-1.amazonaws.com";

describe("webhook-urls-https", () => {
  test("passes a Messaging Service whose three webhooks are https", async () => {
    const args = resourceArgs({
      type: TWILIO_TYPES.messagingService,
      props: {
        friendlyName: "whatsapp-bot-dev",
        inboundRequestUrl: `${API}/whatsapp/incoming`,
        inboundMethod: "POST",
        fallbackUrl: `${API}/whatsapp/fallback`,
        statusCallback: `${API}/whatsapp/status`,
      },
    });
    expect(await violationsOf(webhookHttps, args)).toEqual([]);
  });

  test.each([
    ["inboundRequestUrl", { inboundRequestUrl: "http://example.com/whatsapp/incoming" }],
    ["fallbackUrl", { fallbackUrl: "http://example.com/whatsapp/fallback" }],
    ["statusCallback", { statusCallback: "http://example.com/whatsapp/status" }],
  ])("reports a Messaging Service whose %s is plain http", async (field, props) => {
    const args = resourceArgs({
      type: TWILIO_TYPES.messagingService,
      props: { friendlyName: "x", ...props },
    });
    const found = await violationsOf(webhookHttps, args);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain(field);
    expect(found[0].message).toContain("https");
  });

  test("reports an http URL nested in a WhatsApp sender's webhook block", async () => {
    const args = resourceArgs({
      type: TWILIO_TYPES.whatsAppSender,
      props: {
        adopt: { number: "+15005550006" },
        webhook: {
          callbackUrl: `${API}/whatsapp/incoming`,
          statusCallbackUrl: "http://example.com/status",
        },
      },
    });
    const found = await violationsOf(webhookHttps, args);
    expect(found.map((v) => v.message)).toEqual([
      'webhook.statusCallbackUrl must be an https URL (got "http://example.com/status").',
    ]);
  });

  test("reports a usage trigger calling back over http and passes one over https", async () => {
    const props = {
      friendlyName: "t",
      triggerValue: "10",
      usageCategory: "totalprice",
      recurring: "daily",
    };
    const bad = resourceArgs({
      type: TWILIO_TYPES.usageTrigger,
      props: { ...props, callbackUrl: "http://x.test/u" },
    });
    const good = resourceArgs({
      type: TWILIO_TYPES.usageTrigger,
      props: { ...props, callbackUrl: `${API}/twilio/usage` },
    });
    expect(await violationsOf(webhookHttps, bad)).toHaveLength(1);
    expect(await violationsOf(webhookHttps, good)).toEqual([]);
  });

  test("checks the Lambda's PUBLIC_BASE_URL, the base of the URL it verifies signatures against", async () => {
    const lambda = (base: string) =>
      resourceArgs({
        type: AWS_TYPES.lambdaFunction,
        props: { environment: { variables: { PUBLIC_BASE_URL: base } } },
      });
    expect(await violationsOf(webhookHttps, lambda(API))).toEqual([]);
    expect(await violationsOf(webhookHttps, lambda("http://abc.example.com"))).toHaveLength(1);
  });

  test("leaves other resource types alone", async () => {
    const args = resourceArgs({
      type: "aws:s3/bucket:Bucket",
      props: { websiteUrl: "http://example.com" },
    });
    expect(await violationsOf(webhookHttps, args)).toEqual([]);
  });

  test("skips a URL that is unknown during a preview instead of failing the preview", async () => {
    const args = resourceArgs({
      type: TWILIO_TYPES.messagingService,
      props: previewProps({
        friendlyName: "x",
        inboundRequestUrl: UNKNOWN_STRING,
        fallbackUrl: "http://x.test/f",
      }),
    });
    const found = await violationsOf(webhookHttps, args);
    expect(found.map((v) => v.message)).toEqual([
      'fallbackUrl must be an https URL (got "http://x.test/f").',
    ]);
  });
});

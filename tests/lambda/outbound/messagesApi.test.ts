import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { TwilioSendError } from "../../../lambda/outbound/errors";
import { createMessage, errorFromTwilio, messageForm } from "../../../lambda/outbound/messagesApi";

const CREDENTIALS = {
  accountSid: `AC${"1".repeat(32)}`,
  apiKeySid: `SK${"2".repeat(32)}`,
  apiKeySecret: "s3cr3t-value-of-the-key-0123456",
  messagingServiceSid: `MG${"3".repeat(32)}`,
};
const PARAMS = { to: "whatsapp:+34600111222", statusCallback: "https://x.example/whatsapp/status" };

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("messageForm", () => {
  test("a template sends ContentSid and ContentVariables and never Body or MediaUrl", () => {
    const form = messageForm(
      {
        ...PARAMS,
        contentSid: `HX${"a".repeat(32)}`,
        contentVariables: '{"1":"x"}',
        body: "ignored",
        mediaUrls: ["https://e.x/a.jpg"],
      },
      CREDENTIALS.messagingServiceSid,
    );
    expect([...form.keys()].sort()).toEqual(
      ["ContentSid", "ContentVariables", "MessagingServiceSid", "StatusCallback", "To"].sort(),
    );
  });

  test("free-form text repeats MediaUrl once per URL and leaves From to the Messaging Service", () => {
    const form = messageForm(
      { ...PARAMS, body: "hola", mediaUrls: ["https://e.x/a", "https://e.x/b"] },
      "MGx",
    );
    expect(form.getAll("MediaUrl")).toEqual(["https://e.x/a", "https://e.x/b"]);
    expect(form.get("Body")).toBe("hola");
    expect(form.has("From")).toBe(false);
  });
});

describe("errorFromTwilio", () => {
  test.each([
    [429, 20429, "TwilioSendError", true],
    [503, 20503, "TwilioSendError", true],
    [500, 20500, "TwilioSendError", false],
    [400, 21211, "TwilioSendError", false],
    [400, 21610, "OptedOutError", false],
    [400, 63016, "WindowClosedError", false],
  ])("HTTP %i with error %i is a %s (retryable: %s)", (status, code, name, retryable) => {
    const error = errorFromTwilio(status, { code, message: "m", status });
    expect(error).toMatchObject({ name, code, retryable, refusedBy: "twilio" });
    expect(error.message).toContain(`https://www.twilio.com/docs/errors/${code}`);
  });

  test("an answer without Twilio's error body still names the HTTP status", () => {
    expect(errorFromTwilio(502, undefined).message).toContain("HTTP 502");
  });
});

describe("createMessage over the network", () => {
  test("a refused connection (nothing was sent) is retryable", async () => {
    const port = await closedPort();
    const error = await createMessage(
      CREDENTIALS,
      { ...PARAMS, body: "x" },
      {
        baseUrl: `http://127.0.0.1:${port}`,
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TwilioSendError);
    expect(error).toMatchObject({ retryable: true, refusedBy: "twilio" });
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  test("a 2xx answer without a message SID is an error that is not retried", async () => {
    const fetchStub = (async () =>
      new Response("<html>ok</html>", { status: 200 })) as typeof fetch;
    await expect(
      createMessage(CREDENTIALS, { ...PARAMS, body: "x" }, { fetch: fetchStub }),
    ).rejects.toMatchObject({ name: "TwilioSendError", retryable: false, status: 200 });
  });

  test("sends Basic auth with the API key, to the account's Messages.json", async () => {
    let seen: { url: string; auth: string | null } | undefined;
    const fetchStub = (async (url: string, init: RequestInit) => {
      seen = { url, auth: new Headers(init.headers).get("authorization") };
      return new Response(JSON.stringify({ sid: `SM${"0".repeat(32)}`, status: "accepted" }), {
        status: 201,
      });
    }) as unknown as typeof fetch;
    await createMessage(CREDENTIALS, { ...PARAMS, body: "x" }, { fetch: fetchStub });
    expect(seen?.url).toBe(
      `https://api.twilio.com/2010-04-01/Accounts/${CREDENTIALS.accountSid}/Messages.json`,
    );
    expect(Buffer.from(String(seen?.auth).replace("Basic ", ""), "base64").toString()).toBe(
      `${CREDENTIALS.apiKeySid}:${CREDENTIALS.apiKeySecret}`,
    );
  });
});

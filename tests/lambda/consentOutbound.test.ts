import { createMenuBot } from "../../lambda/bot";
import { createHandler } from "../../lambda/handler";
import { readTwimlReplies } from "../../lambda/local/twimlText";
import { OptedOutError } from "../../lambda/outbound/errors";
import { staticOutboundCredentials } from "../../lambda/outbound/credentials";
import { createTwilioOutbound } from "../../lambda/outbound/twilioOutbound";
import { MemoryStore } from "../../lambda/store/memory";
import { createTwilioStandIn } from "../helpers/twilio";
import {
  TEST_AUTH_TOKEN,
  TEST_BASE_URL,
  USER_ADDRESS,
  signedTwilioEvent,
  textParams,
} from "../helpers/events";

const NOW = new Date("2026-12-02T10:00:00Z");

/** The webhook records consent; the send path (lambda/outbound/) reads it from the same store. */
async function setup() {
  const standIn = createTwilioStandIn();
  const serviceSid = standIn.seedService("whatsapp-bot-test");
  const key = await standIn
    .client()
    .api.v2010.accounts(standIn.accountSid)
    .newKeys.create({ friendlyName: "whatsapp-bot-test send" });
  const store = new MemoryStore();
  const handler = createHandler({
    store,
    authToken: async () => TEST_AUTH_TOKEN,
    bot: createMenuBot(),
    publicBaseUrl: TEST_BASE_URL,
    clock: () => NOW,
  });
  const outbound = createTwilioOutbound({
    credentials: staticOutboundCredentials({
      accountSid: standIn.accountSid,
      apiKeySid: key.sid,
      apiKeySecret: key.secret,
      messagingServiceSid: serviceSid,
    }),
    conversations: store,
    statusCallbackUrl: `${TEST_BASE_URL}/whatsapp/status`,
    clock: () => NOW,
    api: { fetch: standIn.fetch },
  });
  const say = async (body: string) => {
    const result = await handler(signedTwilioEvent({ params: textParams(body) }));
    return readTwimlReplies(result.body ?? "").map((r) => r.body);
  };
  const messagesCalls = () => standIn.calls.filter((c) => c.path.includes("/Messages.json")).length;
  return { standIn, say, outbound, messagesCalls };
}

describe("consent recorded by the webhook, honoured by the send path", () => {
  test("after BAJA nothing is sent to the user and Twilio is never called; after ALTA sends resume", async () => {
    const s = await setup();
    await s.say("hola");
    await s.outbound.send({ to: USER_ADDRESS, body: "Tu pedido ha salido" });
    expect(s.messagesCalls()).toBe(1);

    expect(await s.say("BAJA")).toHaveLength(1);
    await expect(s.outbound.send({ to: USER_ADDRESS, body: "¿Algo más?" })).rejects.toThrow(
      OptedOutError,
    );
    expect(s.messagesCalls()).toBe(1);

    expect(await s.say("ALTA")).toHaveLength(1);
    await s.outbound.send({ to: USER_ADDRESS, body: "Bienvenido" });
    expect(s.messagesCalls()).toBe(2);
    expect(s.standIn.violations).toEqual([]);
  });
});

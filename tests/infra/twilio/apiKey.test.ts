import { expect } from "@jest/globals";
import {
  apiKeyProvider as provider,
  diffApiKey,
  type ApiKeyInputs,
  type ApiKeyOutputs,
} from "../../../infra/twilio/apiKey";
import { configureTwilio } from "../../../infra/twilio/client";
import { PROVIDER_VERSION } from "../../../infra/twilio/state";
import { createChecked, useTwilioStandIn } from "../../helpers/twilio/lifecycle";
import { configRequest } from "../../helpers/twilio/wire";

const base: ApiKeyInputs = {
  friendlyName: "whatsapp-bot-dev send path",
  providerVersion: PROVIDER_VERSION,
};

const standIn = useTwilioStandIn();

/** Stack config as `pulumi up` has it: the account, a Standard API key and the auth token. */
async function withAuthToken(): Promise<void> {
  await configureTwilio(
    configRequest({
      "twilio:accountSid": standIn().accountSid,
      "twilio:apiKey": standIn().credentials.apiKey,
      "twilio:apiSecret": standIn().credentials.apiSecret,
      "twilio:authToken": standIn().credentials.authToken,
    }),
  );
}

describe("ApiKey provider against the Twilio stand-in", () => {
  beforeEach(withAuthToken);

  test("create makes one key with the auth token and keeps its secret, which then authenticates", async () => {
    const { id, outs } = await createChecked<ApiKeyInputs, ApiKeyOutputs>(provider, base);
    expect(id).toMatch(/^SK[0-9a-f]{32}$/);
    expect(outs).toEqual({
      ...base,
      sid: id,
      secret: standIn().state.keys.get(id)?.secret,
      accountSid: standIn().accountSid,
    });
    expect(
      standIn()
        .writes()
        .map((c) => c.path),
    ).toEqual([`/2010-04-01/Accounts/${standIn().accountSid}/Keys.json`]);
    const client = standIn().clientFactory({
      accountSid: outs.accountSid,
      apiKey: outs.sid,
      apiSecret: outs.secret,
    });
    await expect(client.messaging.v1.services.list()).resolves.toEqual([]);
  });

  test("read keeps the secret from state (Twilio never returns it again) and picks up a renamed key", async () => {
    const { id, outs } = await createChecked<ApiKeyInputs, ApiKeyOutputs>(provider, base);
    standIn().state.keys.get(id)!.friendly_name = "renamed in the Console";
    const read = await provider.read!(id, outs);
    expect(read.props).toEqual({ ...outs, friendlyName: "renamed in the Console" });
  });

  test("a key revoked outside the stack reads as gone, so refresh forgets it and up makes a new one", async () => {
    const { id, outs } = await createChecked<ApiKeyInputs, ApiKeyOutputs>(provider, base);
    standIn().state.keys.delete(id);
    expect(await provider.read!(id, outs)).toEqual({});
  });

  test("an up with nothing changed makes no call; a new name is one in-place write", async () => {
    const { id, outs } = await createChecked<ApiKeyInputs, ApiKeyOutputs>(provider, base);
    standIn().resetCalls();
    expect(await provider.diff!(id, outs, { ...base })).toEqual({ changes: false, replaces: [] });
    await provider.update!(id, outs, { ...base });
    expect(standIn().calls).toHaveLength(0);
    const news = { ...base, friendlyName: "whatsapp-bot-dev sends" };
    expect(await provider.diff!(id, outs, news)).toEqual({ changes: true, replaces: [] });
    const { outs: updated } = await provider.update!(id, outs, news);
    expect(updated).toEqual({ ...outs, friendlyName: "whatsapp-bot-dev sends" });
    expect(
      standIn()
        .writes()
        .map((c) => c.body),
    ).toEqual([{ FriendlyName: "whatsapp-bot-dev sends" }]);
  });

  test("delete revokes the key: its secret stops working; a second delete is a no-op", async () => {
    const { id, outs } = await createChecked<ApiKeyInputs, ApiKeyOutputs>(provider, base);
    await provider.delete!(id, outs);
    expect(standIn().state.keys.size).toBe(0);
    const client = standIn().clientFactory({
      accountSid: outs.accountSid,
      apiKey: outs.sid,
      apiSecret: outs.secret,
    });
    await expect(client.messaging.v1.services.list()).rejects.toMatchObject({ status: 401 });
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });

  test("a create that failed with a 500 is not retried (a second key would be made)", async () => {
    standIn().failNext({ status: 500, match: { path: "/Keys.json" } });
    await expect(provider.create(base)).rejects.toMatchObject({
      name: "TwilioApiError",
      status: 500,
    });
    expect(standIn().writes({ path: "/Keys.json" })).toHaveLength(1);
  });
});

describe("ApiKey provider without the auth token", () => {
  test("a Standard API key alone is refused, and the error says to set twilio:authToken", async () => {
    const error = await provider.create(base).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "TwilioApiError", status: 401, code: 20003 });
    expect((error as Error).message).toContain("pulumi config set --secret twilio:authToken");
    expect((error as Error).message).not.toContain(standIn().credentials.apiSecret);
    expect(standIn().state.keys.size).toBe(0);
  });
});

describe("ApiKey check and diff", () => {
  test.each([
    [{ friendlyName: "" }, "friendlyName"],
    [{ friendlyName: "x".repeat(65) }, "friendlyName"],
    [{}, "friendlyName"],
  ])("refuses %j at preview, naming the property", async (news, property) => {
    const { failures } = await provider.check!({} as ApiKeyInputs, news as ApiKeyInputs);
    expect(failures?.map((f) => f.property)).toEqual([property]);
  });

  test("nothing replaces a key: a rotation is an explicit `pulumi up --replace`", () => {
    expect(diffApiKey(base, { ...base, friendlyName: "other" })).toEqual({
      changed: ["friendlyName"],
      replaces: [],
    });
    expect(diffApiKey({ friendlyName: "a" }, { ...base, friendlyName: "a" })).toEqual({
      changed: ["providerVersion"],
      replaces: [],
    });
  });
});

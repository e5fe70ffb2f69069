import type * as pulumi from "@pulumi/pulumi";
import {
  accountSidOf,
  callTwilio,
  configureTwilio,
  describeTwilioError,
  isNotFound,
  twilioAccountClient,
  twilioApiError,
  twilioErrorCode,
  type TwilioClient,
} from "../client";
import { PROVIDER_VERSION } from "../state";
import { propertyDiff, validatingCheck } from "../providerParts";
import { diffApiKey, validateApiKey } from "./check";
import type { ApiKeyInputs, ApiKeyOutputs } from "./types";

/** Twilio refuses key management to a Standard key: say which credential it needs instead. */
function keyManagementError(operation: string, err: unknown): Error {
  const described = describeTwilioError(operation, err);
  if (twilioErrorCode(err) !== 20003 && described.status !== 401 && described.status !== 403) {
    return described;
  }
  return twilioApiError(
    `${described.message}. Creating and revoking API keys takes the auth token (or a Main API key): ` +
      "set it with `pulumi config set --secret twilio:authToken <auth token>`; a Standard key given " +
      "as twilio:apiKey cannot manage keys",
    { status: described.status, code: described.code, hint: described.hint },
  );
}

async function manageKeys<T>(operation: string, call: () => Promise<T>, idempotent: boolean) {
  try {
    return await callTwilio(operation, call, { idempotent });
  } catch (err) {
    throw keyManagementError(operation, err);
  }
}

function keys(client: TwilioClient) {
  return client.api.v2010.accounts(accountSidOf(client));
}

/** The dynamic provider for ApiKey. */
export const apiKeyProvider: pulumi.dynamic.ResourceProvider<ApiKeyInputs, ApiKeyOutputs> = {
  configure: configureTwilio,
  check: validatingCheck<ApiKeyInputs>(validateApiKey),
  diff: propertyDiff<ApiKeyInputs, ApiKeyOutputs>(diffApiKey),

  async create(inputs) {
    const client = twilioAccountClient();
    // Not retried after a 5xx or a timeout: the secret comes back only in this answer, so a key
    // created without it reaching the state could never be used, and a second one would be made.
    const key = await manageKeys(
      "create API key",
      () => keys(client).newKeys.create({ friendlyName: inputs.friendlyName }),
      false,
    );
    const outs = {
      friendlyName: inputs.friendlyName,
      providerVersion: PROVIDER_VERSION,
      sid: key.sid,
      secret: key.secret,
      accountSid: accountSidOf(client),
    } satisfies ApiKeyOutputs;
    return { id: key.sid, outs };
  },

  async read(id, props) {
    const client = twilioAccountClient();
    try {
      const live = await manageKeys("fetch API key", () => keys(client).keys(id).fetch(), true);
      const outs = {
        ...(props as ApiKeyOutputs),
        friendlyName: live.friendlyName,
        sid: live.sid,
      } satisfies ApiKeyOutputs;
      return { id: live.sid, props: outs };
    } catch (err) {
      // A revoked key is gone with its secret: refresh forgets it and the next up makes a new one.
      if (isNotFound(err)) return {};
      throw err;
    }
  },

  async update(id, olds, news) {
    const sid = olds.sid ?? id;
    if (olds.friendlyName !== news.friendlyName) {
      const client = twilioAccountClient();
      await manageKeys(
        "update API key",
        () => keys(client).keys(sid).update({ friendlyName: news.friendlyName }),
        true,
      );
    }
    const outs = {
      ...olds,
      friendlyName: news.friendlyName,
      providerVersion: PROVIDER_VERSION,
    } satisfies ApiKeyOutputs;
    return { outs };
  },

  async delete(id, props) {
    const client = twilioAccountClient();
    try {
      // Deleting the key revokes it: requests signed with its secret fail from then on.
      await manageKeys(
        "delete API key",
        () =>
          keys(client)
            .keys(props?.sid ?? id)
            .remove(),
        true,
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

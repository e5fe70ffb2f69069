import {
  clearConfiguredCredentials,
  configureTwilio,
  setRetryPolicy,
  setTwilioClientFactory,
} from "../../../infra/twilio/client";
import type { TwilioStandIn } from "./index";

/** Stack config as a dynamic provider's `configure` receives it. */
export function configRequest(values: Record<string, string>): {
  config: { get(key: string): string | undefined; require(key: string): string };
} {
  return {
    config: {
      get: (key) => values[key],
      require: (key) => {
        const v = values[key];
        if (v === undefined) throw new Error(`Missing required configuration key: ${key}`);
        return v;
      },
    },
  };
}

/**
 * Points the Twilio providers at a stand-in: the SDK client is built by the stand-in's factory,
 * credentials come from stack config (`twilio:accountSid`, `twilio:apiKey`, `twilio:apiSecret`)
 * and retries wait a millisecond. Returns a function that undoes it all.
 */
export async function wireProvidersTo(standIn: TwilioStandIn): Promise<() => void> {
  setTwilioClientFactory((credentials) => standIn.clientFactory(credentials));
  setRetryPolicy({ attempts: 4, baseDelayMs: 1, maxDelayMs: 2 });
  await configureTwilio(
    configRequest({
      "twilio:accountSid": standIn.accountSid,
      "twilio:apiKey": standIn.credentials.apiKey,
      "twilio:apiSecret": standIn.credentials.apiSecret,
    }),
  );
  return () => {
    setTwilioClientFactory(undefined);
    setRetryPolicy(undefined);
    clearConfiguredCredentials();
  };
}

import { changedProperties, type PropertyDiff } from "../state";
import { checkString, type ValidationFailure } from "../validation";
import type { ApiKeyInputs } from "./types";

/** Checks API key inputs (no API call). */
export function validateApiKey(news: Partial<ApiKeyInputs>): ValidationFailure[] {
  // "It can be up to 64 characters long." (twilio_api_v2010.json, CreateNewKey FriendlyName)
  return checkString("friendlyName", news.friendlyName, { required: true, max: 64 });
}

/** Which properties changed; the name is updated in place, nothing replaces the key. */
export function diffApiKey(olds: ApiKeyInputs, news: ApiKeyInputs): PropertyDiff {
  return {
    changed: changedProperties(olds, news, ["friendlyName", "providerVersion"]),
    replaces: [],
  };
}

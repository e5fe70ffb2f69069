import { type Policies } from "@pulumi/policy";
import { apiAccessLogs } from "./apiAccessLogs";
import { apiThrottling } from "./apiThrottling";
import { bucketsPrivate } from "./bucketsPrivate";
import { lambdaEnvSecrets } from "./lambdaEnvSecrets";
import { lambdaPermissionScoped } from "./lambdaPermissionScoped";
import { logRetention } from "./logRetention";
import { prodProtection } from "./prodProtection";
import { webhookHttps } from "./webhookHttps";

/** Every policy of the pack, importable without starting the analyzer (tests call them directly). */
export const policies: Policies = [
  webhookHttps,
  lambdaEnvSecrets,
  logRetention,
  apiThrottling,
  apiAccessLogs,
  lambdaPermissionScoped,
  prodProtection,
  bucketsPrivate,
];

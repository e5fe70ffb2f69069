import type { BotBackendArgs } from "../../infra/botBackend";
import { MOCK_ACCOUNT, MOCK_REGION } from "./pulumiMocks";

/** The BotBackend's name in component tests. */
export const BACKEND_NAME = "whatsapp-bot-unit";

/** BotBackend args every component test starts from (no token: tests add it where they need it). */
export const BACKEND_ARGS: Omit<BotBackendArgs, "authToken"> = {
  codePath: "/srv/bundle",
  workerCodePath: "/srv/worker",
  memoryMb: 512,
  timeoutSeconds: 12,
  logRetentionDays: 30,
  throttleRateLimit: 7,
  throttleBurstLimit: 9,
  api4xxAlarmThreshold: 12,
  pointInTimeRecovery: true,
  botLanguage: "en",
  logLevel: "debug",
  tags: { project: "whatsapp-bot", stack: "unit", environment: "dev" },
  protect: false,
};

/** The ARN the send path's secret gets in component tests. */
export const OUTBOUND_SECRET_ARN = `arn:aws:secretsmanager:${MOCK_REGION}:${MOCK_ACCOUNT}:secret:${BACKEND_NAME}-send-credentials-AbCdEf`;

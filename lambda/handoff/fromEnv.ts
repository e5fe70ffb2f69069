import { snsHandoffPublisher } from "./publisher";
import { cloudWatchLogsUrl, readHandoffEnv, type HandoffSettings } from "./settings";

/**
 * The hand-off settings from the function's environment, or undefined without a topic; the webhook
 * and the worker run the same turn, so they build them the same way.
 */
export function handoffFromEnv(
  env: NodeJS.ProcessEnv,
  publicBaseUrl: string,
): HandoffSettings | undefined {
  const handoffEnv = readHandoffEnv(env);
  if (!handoffEnv.topicArn) return undefined;
  // Lambda sets both; the link is best effort, the event says null without them.
  const region = env.AWS_REGION;
  const logGroup = env.AWS_LAMBDA_LOG_GROUP_NAME;
  return {
    publisher: snsHandoffPublisher(handoffEnv.topicArn),
    timeoutMs: handoffEnv.timeoutMs,
    publicBaseUrl,
    logsUrl:
      region && logGroup
        ? (messageSid) => cloudWatchLogsUrl(region, logGroup, messageSid)
        : undefined,
  };
}

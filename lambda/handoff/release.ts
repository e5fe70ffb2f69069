import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { BadRequestError, ForbiddenError } from "../errors";
import { silentLogger, type Logger } from "../logger";
import type { VerifiedRequest } from "../request";
import type { Store } from "../store/store";

/**
 * The release request: form fields signed with the stack's auth token in Twilio's
 * X-Twilio-Signature scheme, so the webhook's own `verifyTwilioRequest` checks them.
 */
export interface ReleaseRequest {
  /** `To`: the user's WhatsApp address, `whatsapp:+E164`. */
  to: string;
  /** `Timestamp`: epoch seconds when the agent's tool signed it. */
  timestamp: number;
}

/** How far a release's signed timestamp may be from the Lambda's clock: a captured request expires. */
export const RELEASE_MAX_SKEW_SECONDS = 300;

const ADDRESS = /^whatsapp:\+[1-9][0-9]{6,14}$/;

function field(params: VerifiedRequest["params"], name: string): string {
  const value = params[name];
  if (typeof value !== "string" || value === "") {
    throw new BadRequestError(`${name} is required (exactly once)`);
  }
  return value;
}

/** Parses the release fields; 400 names the field and its shape. */
export function parseReleaseRequest(params: VerifiedRequest["params"]): ReleaseRequest {
  const to = field(params, "To").trim();
  if (!ADDRESS.test(to)) {
    throw new BadRequestError(`To must be a WhatsApp address like whatsapp:+34600111222`);
  }
  const timestamp = Number(field(params, "Timestamp"));
  if (!Number.isInteger(timestamp)) {
    throw new BadRequestError("Timestamp must be whole epoch seconds");
  }
  return { to, timestamp };
}

/** What {@link handleHandoffRelease} needs. */
export interface ReleaseDeps {
  /** Where the hand-off is recorded. */
  store: Pick<Store, "releaseHandoff">;
  /** Clock, for the timestamp check. */
  clock?: () => Date;
  /** Structured logger. */
  logger?: Logger;
}

/**
 * `POST /handoff/release`, already verified: ends the conversation's hand-off so the bot answers
 * its next message. 200 with `{"released": true}`, or `false` when no hand-off was recorded (already
 * released, or never asked for). A timestamp more than five minutes off is refused (403), so a
 * captured request cannot be replayed later to end some other hand-off.
 */
export async function handleHandoffRelease(
  { params }: VerifiedRequest,
  deps: ReleaseDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const logger = deps.logger ?? silentLogger;
  const now = (deps.clock ?? (() => new Date()))();
  const request = parseReleaseRequest(params);
  if (Math.abs(now.getTime() / 1000 - request.timestamp) > RELEASE_MAX_SKEW_SECONDS) {
    throw new ForbiddenError(
      `Timestamp is more than ${RELEASE_MAX_SKEW_SECONDS} s from the server's clock; sign a new request`,
    );
  }
  // Conversations are keyed by WaId (the number without "+"), which WhatsApp always sends; the
  // address is the key only for a message that came without one.
  const byWaId = `wa:${request.to.slice("whatsapp:+".length)}`;
  let conversationId = byWaId;
  let released = await deps.store.releaseHandoff(byWaId, now);
  if (!released) {
    conversationId = request.to;
    released = await deps.store.releaseHandoff(request.to, now);
  }
  if (!released) conversationId = byWaId;
  // The id is the user's number: kept out of info lines, like message content.
  logger.info("hand-off release", { released });
  logger.debug("hand-off release detail", { conversationId });
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ released, conversationId }),
  };
}

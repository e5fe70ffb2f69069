import { OutboundError, InvalidOutboundMessageError, TwilioSendError } from "../outbound/errors";
import type { Outbound, OutboundMessage } from "../outbound/outbound";
import type { LocalRestResponse } from "./twilioRest";

/**
 * `POST /local/send` on the local server: a JSON {@link OutboundMessage} in, sent through the
 * server's own send path (so the window and consent are checked against the conversations the
 * local chat made), `{ messageSid, status }` or the refusal out. `npm run send` uses it.
 */

/** The local server's send route. */
export const LOCAL_SEND_PATH = "/local/send";

/** A refused or failed send as JSON: the error's class, message and details. */
export function outboundErrorBody(err: OutboundError): Record<string, unknown> {
  return {
    error: err.name,
    message: err.message,
    refusedBy: err.refusedBy,
    retryable: err.retryable,
    ...(err.code !== undefined ? { code: err.code } : {}),
    ...(err instanceof InvalidOutboundMessageError ? { field: err.field } : {}),
  };
}

/** Answers `POST /local/send`, or returns undefined for any other path. */
export async function answerLocalSend(
  req: { method: string; url: string; body: Buffer },
  outbound: Outbound,
): Promise<LocalRestResponse | undefined> {
  if (new URL(req.url, "http://localhost").pathname !== LOCAL_SEND_PATH) return undefined;
  if (req.method.toUpperCase() !== "POST") {
    return { status: 405, body: { error: "MethodNotAllowed", message: "POST a JSON message" } };
  }
  let message: OutboundMessage;
  try {
    message = JSON.parse(req.body.toString("utf8")) as OutboundMessage;
  } catch {
    return { status: 400, body: { error: "BadRequest", message: "the body must be JSON" } };
  }
  if (message === null || typeof message !== "object") {
    return {
      status: 400,
      body: { error: "BadRequest", message: "the body must be a JSON object" },
    };
  }
  try {
    return { status: 201, body: await outbound.send(message) };
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err;
    const status =
      err instanceof InvalidOutboundMessageError ? 400 : err instanceof TwilioSendError ? 502 : 422;
    return { status, body: outboundErrorBody(err) };
  }
}

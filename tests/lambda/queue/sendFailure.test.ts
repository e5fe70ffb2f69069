import {
  InvalidOutboundMessageError,
  OptedOutError,
  OutboundCredentialsError,
  TwilioSendError,
  WindowClosedError,
} from "../../../lambda/outbound/errors";
import { classifySendFailure } from "../../../lambda/queue/sendFailure";

describe("classifySendFailure", () => {
  test.each([
    ["an opt-out found by the bot", new OptedOutError("x", { refusedBy: "bot" }), "refused"],
    ["Twilio's 21610", new OptedOutError("x", { refusedBy: "twilio", code: 21610 }), "refused"],
    [
      "a closed window",
      new WindowClosedError("x", { refusedBy: "twilio", code: 63016 }),
      "refused",
    ],
    ["a malformed message", new InvalidOutboundMessageError("body", "empty"), "refused"],
    ["Twilio's 429", new TwilioSendError("x", { status: 429, retryable: true }), "retry"],
    ["Twilio's 503", new TwilioSendError("x", { status: 503, retryable: true }), "retry"],
    ["a refused connection", new TwilioSendError("x", { retryable: true }), "retry"],
    ["Twilio's 400", new TwilioSendError("x", { status: 400, retryable: false }), "retry"],
    ["missing credentials", new OutboundCredentialsError("x"), "retry"],
    ["a store error before the send", new Error("DynamoDB throttled"), "retry"],
    ["a timeout", new TwilioSendError("x", { retryable: false }), "unknown"],
    ["Twilio's 500", new TwilioSendError("x", { status: 500, retryable: false }), "unknown"],
    ["an unreadable 201", new TwilioSendError("x", { status: 201, retryable: false }), "unknown"],
  ])("%s: %s", (_what, err, expected) => {
    expect(classifySendFailure(err)).toBe(expected);
  });
});

/** A request the bot refuses, with the HTTP status that says why; the handler maps it in one place. */
export class HttpError extends Error {
  /** HTTP status code sent back to the caller. */
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = "HttpError";
    this.statusCode = statusCode;
  }
}

/** 400: the form body or one of its fields is malformed or missing. */
export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
    this.name = "BadRequestError";
  }
}

/** 403: the X-Twilio-Signature header is missing or does not match. */
export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, message);
    this.name = "ForbiddenError";
  }
}

/** 404: no route at this path. */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
    this.name = "NotFoundError";
  }
}

/** 405: the route exists but not for this method. */
export class MethodNotAllowedError extends HttpError {
  constructor(message: string) {
    super(405, message);
    this.name = "MethodNotAllowedError";
  }
}

/** 413: the body is larger than any Twilio webhook would send. */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string) {
    super(413, message);
    this.name = "PayloadTooLargeError";
  }
}

/** 415: Twilio always posts application/x-www-form-urlencoded; anything else is refused. */
export class UnsupportedMediaTypeError extends HttpError {
  constructor(message: string) {
    super(415, message);
    this.name = "UnsupportedMediaTypeError";
  }
}

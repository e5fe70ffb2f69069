/** Log levels in increasing severity; `LOG_LEVEL` picks the lowest one written. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Fields attached to one log line; keep message bodies out of info-level fields. */
export type LogFields = Record<string, unknown>;

/** A structured logger: one JSON object per line. */
export interface Logger {
  /** Diagnostic detail; the only level that may carry message bodies. */
  debug(msg: string, fields?: LogFields): void;
  /** Normal operation: one line per handled request. */
  info(msg: string, fields?: LogFields): void;
  /** Refused or unusual requests. */
  warn(msg: string, fields?: LogFields): void;
  /** Failures of the bot's own dependencies. */
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Parses `LOG_LEVEL`, falling back to `info` for anything unknown. */
export function parseLogLevel(value: string | undefined): LogLevel {
  const v = (value ?? "").trim().toLowerCase();
  return v === "debug" || v === "warn" || v === "error" ? v : "info";
}

/** Options for {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /** Lowest level written. */
  level?: LogLevel;
  /** Where lines go; stdout by default (Lambda ships stdout to CloudWatch Logs). */
  write?: (line: string) => void;
  /** Clock for the `time` field. */
  now?: () => Date;
  /** Strings that must never appear in a line (the auth token); each is replaced by `[redacted]`. */
  redact?: () => readonly string[];
}

function errorFields(value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message };
  }
  return value;
}

/**
 * An error as it may be logged above debug: its name, and the HTTP status for AWS SDK errors. The
 * message stays out because it can quote the user's text (the TwiML builder's do, and so may a
 * bot's); log it at debug with {@link logFailure}.
 */
export function errorSummary(value: unknown): Record<string, unknown> {
  if (!(value instanceof Error)) return { name: typeof value };
  const status = (value as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === "number"
    ? { name: value.name, httpStatus: status }
    : { name: value.name };
}

/** Logs a failure: its summary at error level, its message (which may hold content) at debug. */
export function logFailure(logger: Logger, msg: string, fields: LogFields, error: unknown): void {
  logger.error(msg, { ...fields, error: errorSummary(error) });
  logger.debug(`${msg}: detail`, { ...fields, error });
}

/** Builds a logger writing JSON lines; errors are reduced to name and message (no stack of secrets). */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = RANK[options.level ?? "info"];
  const write = options.write ?? ((line: string) => void process.stdout.write(line + "\n"));
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (RANK[level] < min) return;
    const record: LogFields = { level, time: now().toISOString(), msg };
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) record[key] = errorFields(value);
    }
    let line = JSON.stringify(record);
    for (const secret of options.redact?.() ?? []) {
      if (secret.length >= 8) line = line.split(secret).join("[redacted]");
    }
    write(line);
  };
  return {
    debug: (msg, fields) => log("debug", msg, fields),
    info: (msg, fields) => log("info", msg, fields),
    warn: (msg, fields) => log("warn", msg, fields),
    error: (msg, fields) => log("error", msg, fields),
  };
}

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

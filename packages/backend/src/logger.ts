/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small logger this package writes to: a message that does not change, and fields.
 * apps/server adapts pino to it; the default drops everything.
 */
export interface BackendLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** A logger that drops everything: the default. */
export const noopLogger: BackendLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

// The structured logger shape shared by every orc package (ADR 0002); no-op by default.

/** Facts of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A structured logger: constant messages, facts in fields. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * Drops everything.
 *
 * @example
 * buildApi({ ...deps, logger: noopLogger });
 */
export const noopLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

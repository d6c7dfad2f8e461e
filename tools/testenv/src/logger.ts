/** Structured fields of one log record. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger port `@orc/testenv` writes to, the same shape as every orc package's `Logger` (ADR
 * 0002): constant messages, facts in fields. No-op by default; pass one to see what a start does.
 *
 * @example
 * ```ts
 * const log = (msg: string, fields?: LogFields) => console.error(msg, fields);
 * const logger: Logger = { debug() {}, info: log, warn: log, error: log };
 * await startMariaDb({ logger });
 * ```
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A logger that drops everything.
 *
 * @example
 * ```ts
 * await startZooKeeper({ logger: noopLogger });
 * ```
 */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

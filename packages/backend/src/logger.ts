// The logger port of ADR 0002, declared here so this package depends on no other @orc package.

/**
 * Structured fields attached to a log line: facts go here, the message stays constant.
 *
 * @example
 * ```ts
 * const fields: LogFields = { dialect: 'mysql', schemaVersion: 1 };
 * logger.info('backend open', fields);
 * ```
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small logger this package writes to: a message that does not change, and fields.
 * apps/server adapts pino to it; the default drops everything.
 *
 * @example
 * ```ts
 * const logger: Logger = {
 *   debug: (msg, fields) => pino.debug(fields, msg),
 *   info: (msg, fields) => pino.info(fields, msg),
 *   warn: (msg, fields) => pino.warn(fields, msg),
 *   error: (msg, fields) => pino.error(fields, msg),
 * };
 * const backend = new Backend(config, { logger });
 * ```
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A logger that drops everything: the default.
 *
 * @example
 * ```ts
 * const backend = new Backend(config, { logger: noopLogger });
 * ```
 */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small structured logger @orc/topology writes to: the `Logger` shape every orc package
 * declares (ADR 0002). apps/server adapts pino to it; the default drops everything. Messages are
 * constant strings; what varies goes in `fields`.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug: () => {}, info: (m, f) => pino.info(f, m), warn: (m, f) => pino.warn(f, m), error: (m, f) => pino.error(f, m) };
 * ```
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const noop = (): void => {};

/**
 * A logger that discards every line: the default.
 *
 * @example
 * ```ts
 * new OrcTopology({ config, logger: noopLogger });
 * ```
 */
export const noopLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

// The Logger port of ADR 0002, declared here (same shape in every orc package).

/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small structured logger @orc/kv writes to. Messages are constant strings; facts go in
 * `fields`. The default drops everything; apps/server passes a pino-backed one.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug() {}, info: (m, f) => console.log(m, f), warn: (m, f) => console.warn(m, f), error: (m, f) => console.error(m, f) };
 * const zk = new ZooKeeperKvStore({ connectString: 'zk1:2181', logger });
 * ```
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A logger that drops every line (the default).
 *
 * @example
 * ```ts
 * const fanout = new KvFanout({ stores, logger: noopLogger });
 * ```
 */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

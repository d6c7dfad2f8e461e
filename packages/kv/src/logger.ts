/** Structured fields attached to a log line. */
export type KvLogFields = Readonly<Record<string, unknown>>;

/**
 * The small structured logger @orc/kv writes to. Messages are constant strings; facts go in
 * `fields`. The default drops everything.
 *
 * @example
 * ```ts
 * const logger: KvLogger = { debug() {}, info: (m, f) => console.log(m, f), warn: (m, f) => console.warn(m, f), error: (m, f) => console.error(m, f) };
 * ```
 */
export interface KvLogger {
  debug(msg: string, fields?: KvLogFields): void;
  info(msg: string, fields?: KvLogFields): void;
  warn(msg: string, fields?: KvLogFields): void;
  error(msg: string, fields?: KvLogFields): void;
}

/** A logger that drops every line. */
export const noopKvLogger: KvLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

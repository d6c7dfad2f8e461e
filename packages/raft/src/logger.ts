/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small structured logger the library writes to. Messages are constant strings; facts go in
 * `fields`. Adapt pino, winston or console to it; the default drops everything.
 *
 * @example
 * ```ts
 * const logger: RaftLogger = { debug() {}, info: (m, f) => console.log(m, f), warn: (m, f) => console.warn(m, f), error: (m, f) => console.error(m, f) };
 * ```
 */
export interface RaftLogger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** A logger that drops every line. */
export const noopLogger: RaftLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** Describes an unknown thrown value for a log field. */
export function errorField(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

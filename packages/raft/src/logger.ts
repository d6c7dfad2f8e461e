/**
 * Structured fields attached to a log line.
 *
 * @example
 * ```ts
 * const fields: LogFields = { peer: '2', term: 7 };
 * ```
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small structured logger the library writes to, of the one shape every orc package declares
 * (ADR 0002). Messages are constant strings; facts go in `fields`. Adapt pino, winston or console
 * to it; the default (`noopLogger`) drops everything.
 *
 * @example
 * ```ts
 * const logger: Logger = { debug() {}, info: (m, f) => console.log(m, f), warn: (m, f) => console.warn(m, f), error: (m, f) => console.error(m, f) };
 * ```
 */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A logger that drops every line: the default wherever a logger is optional.
 *
 * @example
 * ```ts
 * const store = SqliteLogStore.open({ dir: '/var/lib/app/raft', logger: noopLogger });
 * ```
 */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** Describes an unknown thrown value for a log field. */
export function errorField(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

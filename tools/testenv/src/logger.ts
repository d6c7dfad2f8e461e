/** Structured fields of one log record. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small logger port `@orc/testenv` writes to. No-op by default; pass one to see what a start does.
 *
 * @example
 * ```ts
 * const logger: TestEnvLogger = { debug() {}, info: (m, f) => console.error(m, f), warn: (m, f) => console.error(m, f) };
 * await startMariaDb({ logger });
 * ```
 */
export interface TestEnvLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

/** A logger that drops everything. */
export const noopLogger: TestEnvLogger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
});

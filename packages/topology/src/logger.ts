/** Structured fields attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The small structured logger @orc/topology writes to. apps/server adapts pino to it; the default
 * drops everything. Messages are constant strings; what varies goes in `fields`.
 */
export interface TopologyLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => {};

/** A logger that discards every line: the default. */
export const noopLogger: TopologyLogger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

// pino writes JSON lines to standard output; the packages see it through the shared Logger shape.
import pino from 'pino';

/** Facts of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The structured logger every package takes (ADR 0002). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A pino logger behind the packages' Logger shape; `component` lands in every line.
 *
 * @example
 * const log = createLogger('info'); log.info('listening', { url });
 */
export function createLogger(
  level: 'debug' | 'info' | 'warn' | 'error',
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true }),
): Logger & { child(component: string): Logger } {
  const root = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const wrap = (p: pino.Logger): Logger => ({
    debug: (msg, fields) => p.debug(fields ?? {}, msg),
    info: (msg, fields) => p.info(fields ?? {}, msg),
    warn: (msg, fields) => p.warn(fields ?? {}, msg),
    error: (msg, fields) => p.error(fields ?? {}, msg),
  });
  return { ...wrap(root), child: (component) => wrap(root.child({ component })) };
}

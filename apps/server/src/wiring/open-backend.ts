// Opening the backend with a bound: a backend that is down at start is retried once a second,
// and after the bound the daemon gives up with a message naming what it tried to reach (never
// the password).
import { Backend, type BackendConfig } from '@orc/backend';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import { ServerError } from '../errors.js';
import type { Logger } from '../logging.js';

/**
 * Where the backend is, for messages: `sqlite orc-data/orc.sqlite3` or `mysql orc@db:3306/orchestrator`.
 *
 * @example
 * describeBackend(config) // 'mysql orc@127.0.0.1:3306/orchestrator'
 */
export function describeBackend(config: BackendConfig): string {
  return config.dialect === 'sqlite'
    ? `sqlite ${config.sqlite.file}`
    : `mysql ${config.mysql.user}@${config.mysql.host}:${config.mysql.port}/${config.mysql.database}`;
}

/**
 * Opens (and migrates) the backend, retrying until `boundMs`.
 *
 * @example
 * const backend = await openBackend(config.backend, { boundMs: 30_000, clock, logger });
 */
export async function openBackend(
  config: BackendConfig,
  parts: { boundMs: number; clock: Clock; logger: Logger; isCancelled?: () => boolean },
): Promise<Backend> {
  if (config.dialect === 'sqlite' && config.sqlite.file !== ':memory:')
    mkdirSync(dirname(config.sqlite.file), { recursive: true });
  const started = parts.clock.now();
  const backend = new Backend(config, { logger: parts.logger, clock: parts.clock });
  for (let attempt = 1; ; attempt++) {
    try {
      await backend.open();
      return backend;
    } catch (err) {
      const retryable = (err as { retryable?: unknown }).retryable === true;
      const elapsed = parts.clock.now() - started;
      if (!retryable || elapsed >= parts.boundMs || parts.isCancelled?.() === true) {
        throw new ServerError(
          'BACKEND_UNREACHABLE',
          `cannot open the backend (${describeBackend(config)}) after ${attempt} attempt(s) in ${Math.round(elapsed / 1000)} s: ${(err as Error).message}`,
          { cause: err },
        );
      }
      parts.logger.warn('backend unreachable, retrying', {
        backend: describeBackend(config),
        attempt,
        error: (err as Error).message,
      });
      // A ref'd timer: nothing else holds the process open before the HTTP server listens.
      await new Promise<void>((resolve) => setTimeout(resolve, 1000));
    }
  }
}

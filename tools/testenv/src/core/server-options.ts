import type { ConfigProblems } from './config-check.js';
import { isOptionalPositiveInt, isOptionalPort, isOptionalString, NAME_PATTERN } from './config-check.js';
import { defaultBaseDir } from './paths.js';
import { noopLogger, type Logger } from '../logger.js';

/** Options every non-MariaDB server takes. */
export interface ServerOptions {
  /** Name used in messages and directory names. */
  name?: string;
  /** Base directory for servers' directories and the registry. Default `<tmpdir>/orc-testenv`. */
  baseDir?: string;
  /** Deadline for the server to serve. */
  startTimeoutMs?: number;
  /** Grace time of a clean shutdown before SIGKILL. Default 30 000 ms. */
  stopTimeoutMs?: number;
  /** Structured logger; no-op by default. */
  logger?: Logger;
}

/** {@link ServerOptions} with defaults filled in. */
export interface ResolvedServerOptions {
  readonly name: string;
  readonly baseDir: string;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly logger: Logger;
}

/** Checks the shared server options into `problems` and fills defaults. */
export function resolveServerOptions(
  input: ServerOptions,
  problems: ConfigProblems,
  defaults: { name: string; startTimeoutMs: number },
): ResolvedServerOptions {
  problems.check(
    input.name === undefined || (typeof input.name === 'string' && NAME_PATTERN.test(input.name)),
    'name',
    `must match ${NAME_PATTERN}`,
  );
  problems.check(isOptionalString(input.baseDir), 'baseDir', 'must be a non-empty path');
  problems.check(isOptionalPositiveInt(input.startTimeoutMs), 'startTimeoutMs', 'must be a positive integer');
  problems.check(isOptionalPositiveInt(input.stopTimeoutMs), 'stopTimeoutMs', 'must be a positive integer');
  return {
    name: input.name ?? defaults.name,
    baseDir: input.baseDir ?? defaultBaseDir(),
    startTimeoutMs: input.startTimeoutMs ?? defaults.startTimeoutMs,
    stopTimeoutMs: input.stopTimeoutMs ?? 30_000,
    logger: input.logger ?? noopLogger,
  };
}

/** Validates an options object's type before its fields are read. */
export function requireObject(input: unknown, problems: ConfigProblems): void {
  if (typeof input !== 'object' || input === null) {
    problems.add('options', 'must be an object');
    problems.throwIfAny();
  }
}

export { isOptionalPort, isOptionalString, isOptionalPositiveInt };

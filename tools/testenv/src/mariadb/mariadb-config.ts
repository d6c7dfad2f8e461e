import {
  ConfigProblems,
  isOptionalPort,
  isOptionalPositiveInt,
  isOptionalString,
  NAME_PATTERN,
} from '../core/config-check.js';
import { defaultBaseDir, defaultCacheDir } from '../core/paths.js';
import { LOOPBACK } from '../core/ports.js';
import { noopLogger, type Logger } from '../logger.js';

/** Options shared by every MariaDB start (single server or topology). */
export interface MariaDbCommonOptions {
  /** Base directory for servers' directories and the registry. Default `<tmpdir>/orc-testenv`. */
  baseDir?: string;
  /** Where the template datadir is cached. Default `<tmpdir>/orc-testenv-cache`. */
  cacheDir?: string;
  /** The server program. Default `/usr/sbin/mariadbd` (Debian package mariadb-server). */
  mariadbdPath?: string;
  /** The datadir initializer. Default `/usr/bin/mariadb-install-db`. */
  installDbPath?: string;
  /** Deadline for one server to accept connections. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Grace time of a clean shutdown before SIGKILL. Default 30 000 ms. */
  stopTimeoutMs?: number;
  /** Extra `mariadbd` options appended to the command line, e.g. `['--gtid-strict-mode=1']`. */
  extraArgs?: readonly string[];
  /** Structured logger; no-op by default. */
  logger?: Logger;
}

/** Options of {@link startMariaDb}. */
export interface MariaDbOptions extends MariaDbCommonOptions {
  /** Name used in messages and directory names. Default `mariadb`. */
  name?: string;
  /** server_id. Default: the port, which is unique among servers running on this machine. */
  serverId?: number;
  /** A fixed port instead of a free one picked at random (a taken port fails with `PORT_TAKEN`). */
  port?: number;
  /** Start with `--read-only=1` (replicas do). Default false. */
  readOnly?: boolean;
  /**
   * The address the server binds and reports (`report_host`), reachable from the tests' own
   * namespace. Default `127.0.0.1`.
   */
  host?: string;
  /** A network namespace (see `createNetNamespace`) to run the server in, through `ip netns exec`. */
  netns?: string;
}

/** {@link MariaDbCommonOptions} with every default filled in. */
export interface ResolvedMariaDbCommon {
  readonly baseDir: string;
  readonly cacheDir: string;
  readonly mariadbdPath: string;
  readonly installDbPath: string;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly extraArgs: readonly string[];
  readonly logger: Logger;
}

/** {@link MariaDbOptions} with every default filled in. */
export interface ResolvedMariaDbOptions extends ResolvedMariaDbCommon {
  readonly name: string;
  readonly serverId: number | undefined;
  readonly port: number | undefined;
  readonly readOnly: boolean;
  readonly host: string;
  readonly netns: string | null;
}

/** Checks the shared options into `problems` and fills defaults. */
export function resolveMariaDbCommon(input: MariaDbCommonOptions, problems: ConfigProblems): ResolvedMariaDbCommon {
  problems.check(isOptionalString(input.baseDir), 'baseDir', 'must be a non-empty path');
  problems.check(isOptionalString(input.cacheDir), 'cacheDir', 'must be a non-empty path');
  problems.check(isOptionalString(input.mariadbdPath), 'mariadbdPath', 'must be a non-empty path');
  problems.check(isOptionalString(input.installDbPath), 'installDbPath', 'must be a non-empty path');
  problems.check(isOptionalPositiveInt(input.startTimeoutMs), 'startTimeoutMs', 'must be a positive integer');
  problems.check(isOptionalPositiveInt(input.stopTimeoutMs), 'stopTimeoutMs', 'must be a positive integer');
  problems.check(
    input.extraArgs === undefined ||
      (Array.isArray(input.extraArgs) && input.extraArgs.every((a) => typeof a === 'string' && a.startsWith('--'))),
    'extraArgs',
    'must be a list of --options',
  );
  return {
    baseDir: input.baseDir ?? defaultBaseDir(),
    cacheDir: input.cacheDir ?? defaultCacheDir(),
    mariadbdPath: input.mariadbdPath ?? '/usr/sbin/mariadbd',
    installDbPath: input.installDbPath ?? '/usr/bin/mariadb-install-db',
    startTimeoutMs: input.startTimeoutMs ?? 60_000,
    stopTimeoutMs: input.stopTimeoutMs ?? 30_000,
    extraArgs: [...(input.extraArgs ?? [])],
    logger: input.logger ?? noopLogger,
  };
}

/**
 * Validates {@link MariaDbOptions} and fills defaults; throws `INVALID_CONFIG` listing every problem.
 *
 * @example
 * ```ts
 * const resolved = validateMariaDbOptions({ name: 'backend' });
 * ```
 */
export function validateMariaDbOptions(input: MariaDbOptions = {}): ResolvedMariaDbOptions {
  const problems = new ConfigProblems('MariaDB options');
  if (typeof input !== 'object' || input === null) {
    problems.add('options', 'must be an object');
    problems.throwIfAny();
  }
  problems.check(
    input.name === undefined || (typeof input.name === 'string' && NAME_PATTERN.test(input.name)),
    'name',
    `must match ${NAME_PATTERN}`,
  );
  problems.check(
    isOptionalPositiveInt(input.serverId) && (input.serverId ?? 1) < 2 ** 32,
    'serverId',
    'must be an integer from 1 to 4294967295',
  );
  problems.check(isOptionalPort(input.port), 'port', 'must be an integer from 1 to 65535');
  problems.check(input.readOnly === undefined || typeof input.readOnly === 'boolean', 'readOnly', 'must be a boolean');
  problems.check(
    input.host === undefined || (typeof input.host === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(input.host)),
    'host',
    'must be an IPv4 address',
  );
  problems.check(
    input.netns === undefined || (typeof input.netns === 'string' && NAME_PATTERN.test(input.netns)),
    'netns',
    `must be a namespace name matching ${NAME_PATTERN}`,
  );
  const common = resolveMariaDbCommon(input, problems);
  problems.throwIfAny();
  return {
    ...common,
    name: input.name ?? 'mariadb',
    serverId: input.serverId,
    port: input.port,
    readOnly: input.readOnly ?? false,
    host: input.host ?? LOOPBACK,
    netns: input.netns ?? null,
  };
}

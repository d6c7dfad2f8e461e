import { BackendError, type ConfigProblem } from './errors.js';

/** SQLite settings. orchestrator: `BackendDB: "sqlite"`, `SQLite3DataFile`. */
export interface SqliteBackendConfig {
  /** Path of the database file, or `:memory:` (for Raft nodes whose snapshots carry persistence). */
  readonly file: string;
  /** How long a statement waits for a lock held by another process before failing `busy`. Default 5000. */
  readonly busyTimeoutMs: number;
}

/** MySQL/MariaDB settings. orchestrator: `MySQLOrchestratorHost`, `...Port`, `...User`, `...Password`, `...Database`, `...MaxPoolConnections`. */
export interface MysqlBackendConfig {
  readonly host: string;
  /** Default 3306. */
  readonly port: number;
  readonly user: string;
  /** Default empty. */
  readonly password: string;
  /** Created when missing. */
  readonly database: string;
  /** Maximum pooled connections. Default 10. */
  readonly poolSize: number;
  /** Bound on establishing one connection (TCP and handshake). Default 5000. */
  readonly connectTimeoutMs: number;
  /**
   * Bound on one statement (orchestrator: `MySQLOrchestratorReadTimeoutSeconds`). A statement that
   * takes longer fails `unreachable` and its connection is dropped. Default 30000.
   */
  readonly queryTimeoutMs: number;
}

/** A validated backend configuration: exactly one dialect's settings, defaults filled in. */
export type BackendConfig =
  | { readonly dialect: 'sqlite'; readonly sqlite: SqliteBackendConfig }
  | { readonly dialect: 'mysql'; readonly mysql: MysqlBackendConfig };

/** What {@link validateBackendConfig} accepts: any subset, checked. */
export interface BackendConfigInput {
  dialect?: unknown;
  sqlite?: { file?: unknown; busyTimeoutMs?: unknown };
  mysql?: {
    host?: unknown;
    port?: unknown;
    user?: unknown;
    password?: unknown;
    database?: unknown;
    poolSize?: unknown;
    connectTimeoutMs?: unknown;
    queryTimeoutMs?: unknown;
  };
}

const IDENTIFIER = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * Checks a backend configuration, fills defaults and reports every problem at once.
 *
 * @throws BackendError `invalid-config` with one {@link ConfigProblem} per wrong field.
 * @example
 * ```ts
 * const config = validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } });
 * ```
 */
export function validateBackendConfig(input: BackendConfigInput): BackendConfig {
  const problems: ConfigProblem[] = [];
  const dialect = input.dialect ?? 'sqlite';
  if (dialect === 'sqlite') {
    const s = input.sqlite ?? {};
    const file = s.file;
    if (typeof file !== 'string' || file.length === 0)
      problems.push({ path: 'sqlite.file', message: 'required: a file path or ":memory:"' });
    const busyTimeoutMs = positiveInt(s.busyTimeoutMs, 5000, 'sqlite.busyTimeoutMs', problems);
    fail(problems);
    return Object.freeze({ dialect, sqlite: Object.freeze({ file: file as string, busyTimeoutMs }) });
  }
  if (dialect === 'mysql') {
    const m = input.mysql ?? {};
    if (typeof m.host !== 'string' || m.host.length === 0)
      problems.push({ path: 'mysql.host', message: 'required: a host name or address' });
    const port = positiveInt(m.port, 3306, 'mysql.port', problems);
    if (port > 65535) problems.push({ path: 'mysql.port', message: `must be at most 65535, got ${port}` });
    if (typeof m.user !== 'string' || m.user.length === 0) problems.push({ path: 'mysql.user', message: 'required' });
    if (m.password !== undefined && typeof m.password !== 'string')
      problems.push({ path: 'mysql.password', message: 'must be a string' });
    if (typeof m.database !== 'string' || !IDENTIFIER.test(m.database)) {
      problems.push({ path: 'mysql.database', message: 'required: letters, digits, _ or $, at most 64 characters' });
    }
    const poolSize = positiveInt(m.poolSize, 10, 'mysql.poolSize', problems);
    const connectTimeoutMs = positiveInt(m.connectTimeoutMs, 5000, 'mysql.connectTimeoutMs', problems);
    const queryTimeoutMs = positiveInt(m.queryTimeoutMs, 30_000, 'mysql.queryTimeoutMs', problems);
    fail(problems);
    return Object.freeze({
      dialect,
      mysql: Object.freeze({
        host: m.host as string,
        port,
        user: m.user as string,
        password: (m.password as string | undefined) ?? '',
        database: m.database as string,
        poolSize,
        connectTimeoutMs,
        queryTimeoutMs,
      }),
    });
  }
  problems.push({ path: 'dialect', message: `must be "sqlite" or "mysql", got ${JSON.stringify(dialect)}` });
  throw configError(problems);
}

function positiveInt(value: unknown, fallback: number, path: string, problems: ConfigProblem[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    problems.push({ path, message: `must be a positive integer, got ${JSON.stringify(value)}` });
    return fallback;
  }
  return value;
}

function fail(problems: readonly ConfigProblem[]): void {
  if (problems.length > 0) throw configError(problems);
}

function configError(problems: readonly ConfigProblem[]): BackendError {
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new BackendError('invalid-config', `invalid backend config: ${list}`, { problems });
}

import type { DialectName } from './dialect/sql-dialect.js';
import { BackendError, type BackendErrorDetail } from './errors.js';

/** SQLite settings. orchestrator: `BackendDB: "sqlite"`, `SQLite3DataFile`. */
export interface SqliteBackendConfig {
  /** Path of the database file, or `:memory:` (for Raft nodes whose snapshots carry persistence). */
  readonly file: string;
  /** How long a statement waits for a lock held by another process before failing `BUSY`. Default 5000. */
  readonly busyTimeoutMs: number;
}

/**
 * MySQL/MariaDB settings. orchestrator: `MySQLOrchestratorHost`, `...Port`, `...User`,
 * `...Password`, `...Database`, `...MaxPoolConnections`, `MySQLConnectTimeoutSeconds`,
 * `MySQLOrchestratorReadTimeoutSeconds`, `MySQLConnectionLifetimeSeconds`.
 */
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
   * takes longer fails `UNREACHABLE` and its connection is dropped. Default 30000.
   */
  readonly queryTimeoutMs: number;
  /**
   * A pooled connection older than this is closed instead of reused (orchestrator:
   * `MySQLConnectionLifetimeSeconds`); 0 keeps connections for as long as they work. Default 0.
   */
  readonly connectionLifetimeMs: number;
}

/** A validated backend configuration: exactly one dialect's settings, defaults filled in. */
export type BackendConfig =
  | { readonly dialect: 'sqlite'; readonly sqlite: SqliteBackendConfig }
  | { readonly dialect: 'mysql'; readonly mysql: MysqlBackendConfig };

/**
 * What {@link validateBackendConfig} accepts: the camelCase fields of {@link BackendConfig}, each
 * optional where a default exists. Values are checked at run time too (they often come from JSON).
 */
export interface BackendConfigInput {
  /** Default `sqlite`. */
  readonly dialect?: DialectName;
  readonly sqlite?: { readonly file?: string; readonly busyTimeoutMs?: number };
  readonly mysql?: {
    readonly host?: string;
    readonly port?: number;
    readonly user?: string;
    readonly password?: string;
    readonly database?: string;
    readonly poolSize?: number;
    readonly connectTimeoutMs?: number;
    readonly queryTimeoutMs?: number;
    readonly connectionLifetimeMs?: number;
  };
}

const IDENTIFIER = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * Checks a backend configuration, fills defaults and reports every problem at once.
 *
 * @throws BackendError `INVALID_CONFIG` whose `details` hold one `{ path, message }` per wrong
 *   field (`path` is the dotted field, e.g. `mysql.port`).
 * @example
 * ```ts
 * const config = validateBackendConfig({ dialect: 'sqlite', sqlite: { file: ':memory:' } });
 * ```
 */
export function validateBackendConfig(input: BackendConfigInput): BackendConfig {
  const problems: BackendErrorDetail[] = [];
  if (typeof input !== 'object' || input === null) {
    throw configError([{ path: '', message: `must be an object, got ${JSON.stringify(input)}` }]);
  }
  const dialect: unknown = input.dialect ?? 'sqlite';
  if (dialect === 'sqlite') {
    const s = section(input.sqlite, 'sqlite', problems);
    const file = s['file'];
    if (typeof file !== 'string' || file.length === 0)
      problems.push({ path: 'sqlite.file', message: 'required: a file path or ":memory:"' });
    const busyTimeoutMs = integer(s['busyTimeoutMs'], 5000, 'sqlite.busyTimeoutMs', 1, problems);
    fail(problems);
    return Object.freeze({ dialect, sqlite: Object.freeze({ file: file as string, busyTimeoutMs }) });
  }
  if (dialect === 'mysql') {
    const m = section(input.mysql, 'mysql', problems);
    const host = m['host'];
    if (typeof host !== 'string' || host.length === 0)
      problems.push({ path: 'mysql.host', message: 'required: a host name or address' });
    const port = integer(m['port'], 3306, 'mysql.port', 1, problems);
    if (port > 65535) problems.push({ path: 'mysql.port', message: `must be at most 65535, got ${port}` });
    const user = m['user'];
    if (typeof user !== 'string' || user.length === 0) problems.push({ path: 'mysql.user', message: 'required' });
    const password = m['password'] ?? '';
    if (typeof password !== 'string') problems.push({ path: 'mysql.password', message: 'must be a string' });
    const database = m['database'];
    if (typeof database !== 'string' || !IDENTIFIER.test(database)) {
      problems.push({ path: 'mysql.database', message: 'required: letters, digits, _ or $, at most 64 characters' });
    }
    const poolSize = integer(m['poolSize'], 10, 'mysql.poolSize', 1, problems);
    const connectTimeoutMs = integer(m['connectTimeoutMs'], 5000, 'mysql.connectTimeoutMs', 1, problems);
    const queryTimeoutMs = integer(m['queryTimeoutMs'], 30_000, 'mysql.queryTimeoutMs', 1, problems);
    const connectionLifetimeMs = integer(m['connectionLifetimeMs'], 0, 'mysql.connectionLifetimeMs', 0, problems);
    fail(problems);
    return Object.freeze({
      dialect,
      mysql: Object.freeze({
        host: host as string,
        port,
        user: user as string,
        password: password as string,
        database: database as string,
        poolSize,
        connectTimeoutMs,
        queryTimeoutMs,
        connectionLifetimeMs,
      }),
    });
  }
  problems.push({ path: 'dialect', message: `must be "sqlite" or "mysql", got ${JSON.stringify(dialect)}` });
  throw configError(problems);
}

function section(value: unknown, path: string, problems: BackendErrorDetail[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push({ path, message: `must be an object, got ${JSON.stringify(value)}` });
  return {};
}

function integer(value: unknown, fallback: number, path: string, min: 0 | 1, problems: BackendErrorDetail[]): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
    problems.push({ path, message: `must be ${what}, got ${JSON.stringify(value)}` });
    return fallback;
  }
  return value;
}

function fail(problems: readonly BackendErrorDetail[]): void {
  if (problems.length > 0) throw configError(problems);
}

function configError(details: readonly BackendErrorDetail[]): BackendError {
  const list = details.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new BackendError('INVALID_CONFIG', `invalid backend config: ${list}`, { details });
}

/**
 * Every failure this package reports, as a closed set of codes (ADR 0002: UPPER_SNAKE_CASE).
 *
 * - `UNREACHABLE`: the backend server could not be reached or the connection broke; a retry may help.
 * - `BUSY`: the database was locked or a transaction deadlocked; a retry may help.
 * - `CLOSED`: the {@link Backend} was used before `open()` finished or after `close()`.
 * - `INVALID_CONFIG`: the backend configuration is wrong; `details` lists every problem.
 * - `INVALID_ARGUMENT`: a repository was called with bad input; the message names the argument.
 * - `SCHEMA_TOO_NEW`: the database was migrated by a newer orc; this version refuses to touch it.
 * - `MIGRATION_FAILED`: a migration failed; the previous schema and data are kept.
 * - `CONFLICT`: a uniqueness rule refused the write (for example, maintenance already active).
 * - `SNAPSHOT_INVALID`: snapshot bytes are not a snapshot this version can read.
 * - `QUERY_FAILED`: the database refused a statement for another reason.
 *
 * @example
 * ```ts
 * const status = (code: BackendErrorCode) => (code === 'INVALID_ARGUMENT' ? 400 : 503);
 * ```
 */
export type BackendErrorCode =
  | 'UNREACHABLE'
  | 'BUSY'
  | 'CLOSED'
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'SCHEMA_TOO_NEW'
  | 'MIGRATION_FAILED'
  | 'CONFLICT'
  | 'SNAPSHOT_INVALID'
  | 'QUERY_FAILED';

const RETRYABLE: ReadonlySet<BackendErrorCode> = new Set(['UNREACHABLE', 'BUSY']);

/**
 * One located problem (a config field, an argument): where it is and what is wrong.
 *
 * @example
 * ```ts
 * const detail: BackendErrorDetail = { path: 'mysql.port', message: 'must be at most 65535, got 70000' };
 * ```
 */
export interface BackendErrorDetail {
  /** Dotted path of the field, e.g. `mysql.port`. */
  readonly path: string;
  readonly message: string;
}

/**
 * The only error type this package throws. `retryable` says whether the same call may succeed
 * later unchanged (`UNREACHABLE` and `BUSY`); `details` lists located problems (empty otherwise).
 *
 * @example
 * ```ts
 * try { await backend.open(); } catch (err) {
 *   if (err instanceof BackendError && err.retryable) scheduleRetry();
 *   else throw err;
 * }
 * ```
 */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  /** What went wrong, from a closed set. */
  readonly code: BackendErrorCode;
  /** Whether repeating the same call later can succeed. */
  readonly retryable: boolean;
  /** For `INVALID_CONFIG`: every problem found, with its path. Empty for other codes. */
  readonly details: readonly BackendErrorDetail[];

  constructor(
    code: BackendErrorCode,
    message: string,
    options: { cause?: unknown; details?: readonly BackendErrorDetail[] } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    this.details = Object.freeze([...(options.details ?? [])]);
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);
const BUSY_CODES = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_BUSY_SNAPSHOT',
]);
const CONFLICT_CODES = new Set(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

function errorCodeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/**
 * Classifies anything a driver threw into a {@link BackendError}; a BackendError passes through.
 * `what` names the operation, for the message.
 */
export function toBackendError(err: unknown, what: string): BackendError {
  if (err instanceof BackendError) return err;
  const driverCode = errorCodeOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  if (driverCode !== undefined && UNREACHABLE_CODES.has(driverCode)) {
    return new BackendError('UNREACHABLE', `${what}: backend unreachable (${driverCode}): ${detail}`, { cause: err });
  }
  if (
    err instanceof Error &&
    /connection.*(closed|lost)|Can't add new command when connection is in closed state|Pool is closed/i.test(
      err.message,
    )
  ) {
    return new BackendError('UNREACHABLE', `${what}: backend connection lost: ${detail}`, { cause: err });
  }
  if (driverCode !== undefined && BUSY_CODES.has(driverCode)) {
    return new BackendError('BUSY', `${what}: backend busy (${driverCode}): ${detail}`, { cause: err });
  }
  if (driverCode !== undefined && CONFLICT_CODES.has(driverCode)) {
    return new BackendError('CONFLICT', `${what}: uniqueness conflict: ${detail}`, { cause: err });
  }
  return new BackendError('QUERY_FAILED', `${what}: ${detail}`, { cause: err });
}

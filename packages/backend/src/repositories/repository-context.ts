import type { WallClock } from '../clock.js';
import type { OrcDb, SqlDialect } from '../dialect/sql-dialect.js';
import { BackendError, toBackendError } from '../errors.js';
import type { BackendLogger } from '../logger.js';

/** What every repository shares: access to the open database, guarded by the Backend's lifecycle. */
export interface RepositoryContext {
  /** The open database and its dialect; throws `closed` before open() or after close(). */
  session(): { readonly db: OrcDb; readonly dialect: SqlDialect };
  readonly clock: WallClock;
  readonly logger: BackendLogger;
}

/** Runs `fn` against the open database; anything the driver throws becomes a BackendError naming `what`. */
export async function run<T>(
  ctx: RepositoryContext,
  what: string,
  fn: (db: OrcDb, dialect: SqlDialect) => Promise<T>,
): Promise<T> {
  const { db, dialect } = ctx.session();
  try {
    return await fn(db, dialect);
  } catch (err) {
    throw toBackendError(err, what);
  }
}

/** Runs `fn` in one transaction. */
export async function inTransaction<T>(
  ctx: RepositoryContext,
  what: string,
  fn: (trx: OrcDb, dialect: SqlDialect) => Promise<T>,
): Promise<T> {
  return run(ctx, what, (db, dialect) => db.transaction().execute((trx) => fn(trx, dialect)));
}

/** An instance's identity: host name and port. */
export interface InstanceKey {
  readonly hostname: string;
  readonly port: number;
}

/** Checks an {@link InstanceKey} argument. */
export function checkKey(key: InstanceKey, what: string): void {
  if (typeof key !== 'object' || key === null)
    throw new BackendError('invalid-argument', `${what}: expected { hostname, port }`);
  if (typeof key.hostname !== 'string' || key.hostname.length === 0 || key.hostname.length > 255) {
    throw new BackendError(
      'invalid-argument',
      `${what}.hostname: expected a non-empty string of at most 255 characters`,
    );
  }
  if (!Number.isInteger(key.port) || key.port < 0 || key.port > 65535)
    throw new BackendError('invalid-argument', `${what}.port: expected an integer 0..65535, got ${String(key.port)}`);
}

/** Checks a non-negative finite number argument. */
export function checkNonNegative(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new BackendError('invalid-argument', `${what}: expected a non-negative number, got ${String(value)}`);
}

/** Checks a string argument of bounded length. */
export function checkString(value: string, what: string, maxLength: number, allowEmpty = true): void {
  if (typeof value !== 'string') throw new BackendError('invalid-argument', `${what}: expected a string`);
  if (!allowEmpty && value.length === 0) throw new BackendError('invalid-argument', `${what}: must not be empty`);
  if (value.length > maxLength)
    throw new BackendError('invalid-argument', `${what}: longer than ${maxLength} characters`);
}

/** Number of affected rows from a kysely result. */
export function affected(
  res: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined,
): number {
  return Number(res?.numUpdatedRows ?? res?.numDeletedRows ?? res?.numInsertedOrUpdatedRows ?? 0n);
}

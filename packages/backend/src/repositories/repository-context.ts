import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { OrcDb, SqlDialect } from '../dialect/sql-dialect.js';
import { BackendError, toBackendError } from '../errors.js';
import type { Logger } from '../logger.js';

/** What every repository shares: access to the open database, guarded by the Backend's lifecycle. */
export interface RepositoryContext {
  /** The open database and its dialect; throws `CLOSED` before open() or after close(). */
  session(): { readonly db: OrcDb; readonly dialect: SqlDialect };
  /** Stamps rows with `wallNow()`. */
  readonly clock: Clock;
  readonly logger: Logger;
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

const DEADLOCK_RETRIES = 5;
const LOCK_WAIT_SECONDS = 10;

/**
 * Runs `fn` in one transaction. A transaction the server chose as a deadlock victim (rolled back
 * whole) is run again, a few times, after a short random pause. With `serializeAs`, MySQL writers
 * of the same kind also take turns on a named lock (see {@link serialized}).
 */
export async function inTransaction<T>(
  ctx: RepositoryContext,
  what: string,
  fn: (trx: OrcDb, dialect: SqlDialect) => Promise<T>,
  options: { serializeAs?: string } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(ctx, what, (db, dialect) =>
        options.serializeAs !== undefined && dialect.name === 'mysql'
          ? serialized(db, options.serializeAs, (conn) => conn.transaction().execute((trx) => fn(trx, dialect)))
          : db.transaction().execute((trx) => fn(trx, dialect)),
      );
    } catch (err) {
      if (!(err instanceof BackendError) || !isDeadlock(err) || attempt > DEADLOCK_RETRIES) throw err;
      ctx.logger.debug('transaction was a deadlock victim; running it again', { what, attempt });
      // A real pause, not the injected clock's: it gives the other transaction, in the database
      // server, time to finish; virtual time would not make that happen.
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10 * attempt));
    }
  }
}

/**
 * Runs `fn` on one connection holding a named server lock (MySQL `GET_LOCK`, scoped to the
 * database), so writers of the same kind on every node sharing the backend take turns instead of
 * deadlocking on InnoDB gap locks. The unique keys still decide who wins; the lock only avoids
 * needless aborts. The lock dies with the connection if the node does.
 */
async function serialized<T>(db: OrcDb, name: string, fn: (conn: OrcDb) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const lockName = sql`left(concat(database(), ':', ${name}), 64)`;
    const got = await sql<{ l: number | null }>`select get_lock(${lockName}, ${LOCK_WAIT_SECONDS}) as l`.execute(conn);
    if (Number(got.rows[0]?.l) !== 1)
      throw new BackendError('BUSY', `lock ${name}: not obtained within ${LOCK_WAIT_SECONDS} s`);
    try {
      return await fn(conn);
    } finally {
      await sql`select release_lock(${lockName})`.execute(conn);
    }
  });
}

function isDeadlock(err: BackendError): boolean {
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'SQLITE_BUSY';
}

/** An instance's identity: host name and port. */
export interface InstanceKey {
  readonly hostname: string;
  readonly port: number;
}

/** Checks an {@link InstanceKey} argument. */
export function checkKey(key: InstanceKey, what: string): void {
  if (typeof key !== 'object' || key === null)
    throw new BackendError('INVALID_ARGUMENT', `${what}: expected { hostname, port }`);
  if (typeof key.hostname !== 'string' || key.hostname.length === 0 || key.hostname.length > 255) {
    throw new BackendError(
      'INVALID_ARGUMENT',
      `${what}.hostname: expected a non-empty string of at most 255 characters`,
    );
  }
  if (!Number.isInteger(key.port) || key.port < 0 || key.port > 65535)
    throw new BackendError('INVALID_ARGUMENT', `${what}.port: expected an integer 0..65535, got ${String(key.port)}`);
}

/** Checks a non-negative finite number argument. */
export function checkNonNegative(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new BackendError('INVALID_ARGUMENT', `${what}: expected a non-negative number, got ${String(value)}`);
}

/** Checks a string argument of bounded length. */
export function checkString(value: string, what: string, maxLength: number, allowEmpty = true): void {
  if (typeof value !== 'string') throw new BackendError('INVALID_ARGUMENT', `${what}: expected a string`);
  if (!allowEmpty && value.length === 0) throw new BackendError('INVALID_ARGUMENT', `${what}: must not be empty`);
  if (value.length > maxLength)
    throw new BackendError('INVALID_ARGUMENT', `${what}: longer than ${maxLength} characters`);
}

/** Number of affected rows from a kysely result. */
export function affected(
  res: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined,
): number {
  return Number(res?.numUpdatedRows ?? res?.numDeletedRows ?? res?.numInsertedOrUpdatedRows ?? 0n);
}

/** The tables keyed by an instance's `(hostname, port)` that callers delete one row of. */
export type InstanceKeyedTable = 'database_instance' | 'database_instance_downtime' | 'candidate_database_instance';

/**
 * Deletes the row of `key` from `table`. Returns whether there was one.
 * @example
 * const existed = await deleteInstanceRow(ctx, 'end downtime', 'database_instance_downtime', key);
 */
export async function deleteInstanceRow(
  ctx: RepositoryContext,
  what: string,
  table: InstanceKeyedTable,
  key: InstanceKey,
): Promise<boolean> {
  checkKey(key, 'key');
  return run(
    ctx,
    what,
    async (db) =>
      affected(
        await db.deleteFrom(table).where('hostname', '=', key.hostname).where('port', '=', key.port).executeTakeFirst(),
      ) > 0,
  );
}

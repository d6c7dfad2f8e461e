import { createPool, type PoolConnection, type PoolOptions } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { CompiledQuery, Kysely, MysqlDialect, sql, type MysqlPool } from 'kysely';
import type { MysqlBackendConfig } from '../backend-config.js';
import { BackendError, toBackendError } from '../errors.js';
import type { ColumnDef } from '../schema/column.js';
import type { OrcDatabase } from '../schema/database.js';
import { upsertRows, upsertValues, type OrcDb, type SqlDialect } from './sql-dialect.js';

// Binary, NO PAD collations compare strings exactly as SQLite's BINARY does (code point order,
// trailing spaces significant), so both dialects order and match keys alike. Most preferred first.
const COLLATIONS = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin', 'utf8mb4_bin'] as const;

const MYSQL_TYPES: Record<ColumnDef['kind'], string> = {
  text: 'varchar',
  longtext: 'mediumtext',
  int: 'int',
  bigint: 'bigint',
  bool: 'tinyint',
  time: 'bigint',
};

/** Builds the MySQL/MariaDB dialect for tables created with `collation`. */
export function mysqlDialect(collation: string): SqlDialect {
  return Object.freeze<SqlDialect>({
    name: 'mysql',
    // Sessions run with time_zone = '+00:00' (see openMysql), so NOW(3) has no DST ambiguity.
    nowMs: () => sql<number>`cast(unix_timestamp(now(3)) * 1000 as signed)`,
    columnType: (def: ColumnDef) => sql.raw(def.kind === 'text' ? `varchar(${def.length})` : MYSQL_TYPES[def.kind]),
    tableOptions: () => sql.raw(`engine=InnoDB default charset=utf8mb4 collate=${collation}`),
    maxParameters: 60000,
    transactionalDdl: false,
    upsert: (db, table, rows, conflict, update) => upsertRows(db, 'mysql', table, rows, conflict, update),
    upsertValues: (db, table, columns, values, rowCount, conflict, update) =>
      upsertValues(db, 'mysql', table, columns, values, rowCount, conflict, update),
    async insertIgnore(db: OrcDb, table: string, row: Record<string, unknown>): Promise<boolean> {
      const res = await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
        .insertInto(table)
        .ignore()
        .values(row)
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  });
}

/** An open MySQL backend: the kysely instance and the dialect for its collation. */
export interface OpenMysql {
  readonly db: OrcDb;
  readonly dialect: SqlDialect;
}

function connectionOptions(config: MysqlBackendConfig): PoolOptions {
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    connectTimeout: config.connectTimeoutMs,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    dateStrings: true,
    timezone: 'Z',
    multipleStatements: false,
  };
}

/**
 * Connects to MySQL/MariaDB, creates the database when missing and returns a pool. A server that
 * cannot be reached fails within `connectTimeoutMs` with a retryable `UNREACHABLE` error.
 * `monotonicNow` ages pooled connections for `connectionLifetimeMs`.
 */
export async function openMysql(config: MysqlBackendConfig, monotonicNow: () => number): Promise<OpenMysql> {
  const options = connectionOptions(config);
  let collation: string;
  try {
    const conn = await withDeadline(createConnection(options), config.connectTimeoutMs + 1000, config);
    try {
      const [rows] = await conn.query(
        `select collation_name as c from information_schema.collations where collation_name in (${COLLATIONS.map((c) => `'${c}'`).join(',')})`,
      );
      const found = new Set((rows as { c: string }[]).map((r) => r.c));
      collation = COLLATIONS.find((c) => found.has(c)) ?? 'utf8mb4_bin';
      await conn.query(
        `create database if not exists \`${config.database}\` character set utf8mb4 collate ${collation}`,
      );
    } finally {
      await conn.end().catch(() => conn.destroy());
    }
  } catch (err) {
    throw toBackendError(err, `connect to MySQL ${config.host}:${config.port}`);
  }
  const pool = createPool({
    ...options,
    database: config.database,
    connectionLimit: config.poolSize,
    maxIdle: Math.max(1, Math.ceil(config.poolSize / 4)),
    idleTimeout: 60_000,
    waitForConnections: true,
    queueLimit: 0,
  });
  const bornAt = new WeakMap<PoolConnection, number>();
  const acquire = (callback: Parameters<MysqlPool['getConnection']>[0]): void =>
    pool.getConnection((err, conn) => {
      if (err) return callback(err, conn);
      if (config.connectionLifetimeMs > 0) {
        const born = bornAt.get(conn);
        if (born === undefined) bornAt.set(conn, monotonicNow());
        else if (monotonicNow() - born >= config.connectionLifetimeMs) {
          // Past its lifetime (MySQLConnectionLifetimeSeconds): close it, the pool opens a fresh one.
          conn.destroy();
          return acquire(callback);
        }
      }
      callback(err, withQueryTimeout(conn, config.queryTimeoutMs));
    });
  const timed: MysqlPool = { getConnection: acquire, end: (callback) => pool.end(callback) };
  const db = new Kysely<OrcDatabase>({
    dialect: new MysqlDialect({
      pool: timed,
      async onCreateConnection(connection) {
        await connection.executeQuery(
          CompiledQuery.raw(
            `set session time_zone = '+00:00', session sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'`,
          ),
        );
      },
    }),
  });
  return { db, dialect: mysqlDialect(collation) };
}

const TIMED = Symbol('orc.queryTimeout');
type QueryFn = (sql: unknown, params: unknown, callback?: (err: unknown, result: unknown) => void) => unknown;

/**
 * Gives every statement on a pooled connection mysql2's per-query timeout (kysely passes no options
 * of its own). A statement that times out leaves the connection mid-protocol, so the connection is
 * destroyed and the pool opens a new one. Later statements on it (kysely's rollback of the
 * transaction that timed out) fail with the same timeout error, so the caller learns that a
 * statement timed out rather than that a connection was closed. Patched once per connection;
 * kysely keeps one wrapper per raw connection, so returning the same object keeps its session set-up.
 */
function withQueryTimeout(conn: PoolConnection, timeoutMs: number): PoolConnection {
  const target = conn as unknown as { [TIMED]?: true; query: QueryFn };
  if (target[TIMED]) return conn;
  const original = target.query.bind(conn);
  let timedOut: unknown;
  const timed: QueryFn = (sql, params, callback) => {
    if (timedOut !== undefined) {
      queueMicrotask(() => callback?.(timedOut, undefined));
      return undefined;
    }
    return typeof sql === 'string'
      ? original({ sql, timeout: timeoutMs }, params, (err, result) => {
          if ((err as { code?: unknown } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') {
            timedOut = err;
            conn.destroy();
          }
          callback?.(err, result);
        })
      : original(sql, params, callback);
  };
  target.query = timed;
  target[TIMED] = true;
  return conn;
}

// mysql2 bounds the handshake by connectTimeout; this is a second bound in case a step after it
// hangs. A connection that arrives after the deadline is closed. Real time, not the injected
// clock: it bounds a real socket, which virtual time would never time out.
async function withDeadline<T extends { destroy(): void }>(
  promise: Promise<T>,
  ms: number,
  config: MysqlBackendConfig,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(
        new BackendError('UNREACHABLE', `connect to MySQL ${config.host}:${config.port}: no answer within ${ms} ms`),
      );
    }, ms);
  });
  promise.then(
    (conn) => {
      if (late) conn.destroy();
    },
    () => undefined,
  );
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

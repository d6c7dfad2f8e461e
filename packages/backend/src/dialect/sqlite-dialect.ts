import { createRequire } from 'node:module';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { SqliteBackendConfig } from '../backend-config.js';
import { toBackendError } from '../errors.js';
import type { ColumnDef } from '../schema/column.js';
import type { OrcDatabase } from '../schema/database.js';
import { upsertRows, upsertValues, type OrcDb, type SqlDialect } from './sql-dialect.js';

/** The slice of better-sqlite3's `Database` this package uses. */
interface BetterSqliteDatabase {
  prepare(source: string): {
    readonly reader: boolean;
    all(...params: unknown[]): unknown[];
    run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
    iterate(...params: unknown[]): IterableIterator<unknown>;
    get(...params: unknown[]): unknown;
  };
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
type BetterSqliteConstructor = new (file: string, options?: { timeout?: number }) => BetterSqliteDatabase;

let ctor: BetterSqliteConstructor | undefined;

/** The SQLite dialect: one connection (kysely serialises every use of it), WAL, one writer. */
export const sqliteDialect: SqlDialect = Object.freeze<SqlDialect>({
  name: 'sqlite',
  nowMs: () => sql<number>`cast(unixepoch('subsec') * 1000 as integer)`,
  columnType: (def: ColumnDef) => sql.raw(def.kind === 'text' || def.kind === 'longtext' ? 'text' : 'integer'),
  tableOptions: () => undefined,
  // SQLite's compiled-in limit is 32766 host parameters.
  maxParameters: 32000,
  transactionalDdl: true,
  upsert: (db, table, rows, conflict, update) => upsertRows(db, 'sqlite', table, rows, conflict, update),
  upsertValues: (db, table, columns, values, rowCount, conflict, update) =>
    upsertValues(db, 'sqlite', table, columns, values, rowCount, conflict, update),
  async insertIgnore(db: OrcDb, table: string, row: Record<string, unknown>): Promise<boolean> {
    const res = await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto(table)
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
  },
});

/**
 * Opens the backend's SQLite database file (or `:memory:`) with WAL and `synchronous = NORMAL`.
 * Named apart from @orc/raft's log-store opener: this one returns kysely over orc's tables.
 */
export function openBackendSqlite(config: SqliteBackendConfig): OrcDb {
  let database: BetterSqliteDatabase;
  try {
    ctor ??= createRequire(import.meta.url)('better-sqlite3') as BetterSqliteConstructor;
    database = new ctor(config.file, { timeout: config.busyTimeoutMs });
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
  } catch (err) {
    throw toBackendError(err, `open SQLite database ${config.file}`);
  }
  return new Kysely<OrcDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
}

const STATEMENT_CACHE_SIZE = 128;
type Statement = ReturnType<BetterSqliteDatabase['prepare']>;

/**
 * kysely prepares every statement anew; a batch upsert of 400 rows is a long statement to parse.
 * This keeps the most recently used prepared statements by their SQL text. Safe because kysely
 * runs one query at a time on the connection and always finishes a statement (`all`/`run`)
 * before the next; orc never streams.
 */
function withStatementCache(database: BetterSqliteDatabase): BetterSqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    prepare(source: string): Statement {
      let stmt = cache.get(source);
      if (stmt !== undefined) {
        cache.delete(source);
      } else {
        stmt = database.prepare(source);
        if (cache.size >= STATEMENT_CACHE_SIZE) {
          const oldest = cache.keys().next();
          if (oldest.done !== true) cache.delete(oldest.value);
        }
      }
      cache.set(source, stmt);
      return stmt;
    },
    pragma: (source, options) => database.pragma(source, options),
    close: () => database.close(),
  };
}

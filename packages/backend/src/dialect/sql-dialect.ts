import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ColumnDef } from '../schema/column.js';
import type { OrcDatabase } from '../schema/database.js';

/** Which SQL dialect a backend speaks. */
export type DialectName = 'sqlite' | 'mysql';

/** A kysely instance over orc's tables. */
export type OrcDb = Kysely<OrcDatabase>;

/**
 * What differs between SQLite and MySQL/MariaDB, in one place. Repositories and migrations ask the
 * dialect instead of branching on its name.
 */
export interface SqlDialect {
  readonly name: DialectName;
  /** The database server's clock, epoch milliseconds, as an SQL expression. */
  nowMs(): RawBuilder<number>;
  /** The column type for a logical column kind. */
  columnType(def: ColumnDef): RawBuilder<unknown>;
  /** Table options appended to CREATE TABLE (engine, character set, collation), or undefined. */
  tableOptions(): RawBuilder<unknown> | undefined;
  /** Most bound parameters one statement may carry. */
  readonly maxParameters: number;
  /** Whether DDL can be rolled back inside a transaction. */
  readonly transactionalDdl: boolean;
  /**
   * Inserts rows, updating `updateColumns` of rows whose primary or unique key already exists.
   * Rows must all have the same columns.
   */
  upsert(
    db: OrcDb,
    table: string,
    rows: readonly Record<string, unknown>[],
    conflictColumns: readonly string[],
    updateColumns: readonly string[],
  ): Promise<void>;
  /** Inserts one row unless a unique key refuses it; returns whether it was inserted. */
  insertIgnore(db: OrcDb, table: string, row: Record<string, unknown>): Promise<boolean>;
}

/** Splits rows into chunks that keep each statement under the dialect's parameter limit. */
export function chunkRows<R>(rows: readonly R[], columnCount: number, maxParameters: number): R[][] {
  const perChunk = Math.max(1, Math.floor(maxParameters / Math.max(1, columnCount)));
  const chunks: R[][] = [];
  for (let i = 0; i < rows.length; i += perChunk) chunks.push(rows.slice(i, i + perChunk));
  return chunks;
}

// The query builder is typed per table; these helpers work on any table by name.
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** SQLite: `ON CONFLICT (...) DO UPDATE SET c = excluded.c`. */
export async function sqliteUpsert(
  db: OrcDb,
  table: string,
  rows: readonly Record<string, unknown>[],
  conflict: readonly string[],
  update: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const q = (db as unknown as AnyDb).insertInto(table).values(rows as Record<string, unknown>[]);
  const set = Object.fromEntries(update.map((c) => [c, sql.ref(`excluded.${c}`)]));
  await (
    update.length === 0
      ? q.onConflict((oc) => oc.columns(conflict as string[]).doNothing())
      : q.onConflict((oc) => oc.columns(conflict as string[]).doUpdateSet(set))
  ).execute();
}

/** MySQL: `ON DUPLICATE KEY UPDATE c = VALUES(c)`. */
export async function mysqlUpsert(
  db: OrcDb,
  table: string,
  rows: readonly Record<string, unknown>[],
  conflict: readonly string[],
  update: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const cols = update.length > 0 ? update : conflict.slice(0, 1);
  const set = Object.fromEntries(cols.map((c) => [c, sql`values(${sql.ref(c)})`]));
  await (db as unknown as AnyDb)
    .insertInto(table)
    .values(rows as Record<string, unknown>[])
    .onDuplicateKeyUpdate(set)
    .execute();
}

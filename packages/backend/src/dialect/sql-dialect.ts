import { CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
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
  /** {@link upsert} with rows flattened into `values` (row after row, in `columns` order). */
  upsertValues(
    db: OrcDb,
    table: string,
    columns: readonly string[],
    values: unknown[],
    rowCount: number,
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

/**
 * Multi-row upsert as one statement with bound parameters. Built by hand rather than with the query
 * builder: a batch of ~400 rows of 80 columns is 32,000 values, and building and compiling that
 * tree costs more than executing it. Identifiers come from the static schema; values are bound.
 */
export async function upsertRows(
  db: OrcDb,
  dialect: DialectName,
  table: string,
  rows: readonly Record<string, unknown>[],
  conflict: readonly string[],
  update: readonly string[],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first);
  const values: unknown[] = new Array(rows.length * columns.length);
  let k = 0;
  for (const row of rows) for (const c of columns) values[k++] = row[c];
  await upsertValues(db, dialect, table, columns, values, rows.length, conflict, update);
}

/**
 * The same, with the rows already flattened into `values` (row after row, in `columns` order): the
 * hot path of discovery, where the codec writes straight into the parameter array.
 */
export async function upsertValues(
  db: OrcDb,
  dialect: DialectName,
  table: string,
  columns: readonly string[],
  values: unknown[],
  rowCount: number,
  conflict: readonly string[],
  update: readonly string[],
): Promise<void> {
  if (rowCount === 0) return;
  await db.executeQuery(CompiledQuery.raw(upsertSql(dialect, table, columns, rowCount, conflict, update), values));
}

function upsertSql(
  dialect: DialectName,
  table: string,
  columns: readonly string[],
  rowCount: number,
  conflict: readonly string[],
  update: readonly string[],
): string {
  const cacheKey = `${dialect}|${table}|${rowCount}|${columns.join(',')}|${conflict.join(',')}|${update.join(',')}`;
  const cached = statementCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const q = dialect === 'sqlite' ? (id: string) => `"${id}"` : (id: string) => `\`${id}\``;
  const tuple = `(${columns.map(() => '?').join(',')})`;
  const head = `insert into ${q(table)} (${columns.map(q).join(',')}) values ${Array.from({ length: rowCount }, () => tuple).join(',')}`;
  let tail: string;
  if (dialect === 'sqlite') {
    tail =
      update.length === 0
        ? ` on conflict (${conflict.map(q).join(',')}) do nothing`
        : ` on conflict (${conflict.map(q).join(',')}) do update set ${update.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}`;
  } else {
    const cols = update.length > 0 ? update : conflict.slice(0, 1);
    tail = ` on duplicate key update ${cols.map((c) => `${q(c)} = values(${q(c)})`).join(', ')}`;
  }
  const text = head + tail;
  if (statementCache.size > 256) statementCache.clear();
  statementCache.set(cacheKey, text);
  return text;
}

const statementCache = new Map<string, string>();

import { sql, type Kysely } from 'kysely';
import type { OrcDb, SqlDialect } from '../dialect/sql-dialect.js';
import { BackendError, toBackendError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { TableDef } from '../schema/column.js';
import type { Migration, MigrationStep } from './migration.js';

/** The ledger of applied migrations, one row per version. */
export const MIGRATIONS_TABLE = 'orc_schema_migrations';

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** What {@link migrate} did. */
export interface MigrationOutcome {
  /** Schema version before. */
  readonly from: number;
  /** Schema version now. */
  readonly to: number;
}

/**
 * Brings the database to the last of `migrations`, recording each version in
 * {@link MIGRATIONS_TABLE}. Refuses (`SCHEMA_TOO_NEW`) a database written by a newer orc. A failing
 * migration leaves the previous version's schema and data: on SQLite it runs in one transaction;
 * on MySQL (DDL commits at once) each step is skipped when already present and the steps this run
 * made are undone on failure. MySQL runs hold a named lock so that nodes starting together take turns.
 */
export async function migrate(
  db: OrcDb,
  dialect: SqlDialect,
  migrations: readonly Migration[],
  logger: Logger,
  clock: Pick<Clock, 'wallNow'>,
): Promise<MigrationOutcome> {
  checkSequence(migrations);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  try {
    return await db.connection().execute(async (conn) => {
      await ensureLedger(conn, dialect);
      if (dialect.name === 'mysql') {
        const got = await sql<{
          l: number | null;
        }>`select get_lock(left(concat('orc_schema_migrate:', database()), 64), 20) as l`.execute(conn);
        if (Number(got.rows[0]?.l) !== 1)
          throw new BackendError('BUSY', 'migrate: another node holds the migration lock for over 20 s');
      }
      try {
        const from = await appliedVersion(conn);
        if (from > latest) {
          throw new BackendError(
            'SCHEMA_TOO_NEW',
            `the backend database has schema version ${from}, newer than the ${latest} this orc knows: it was written by a newer orc; upgrade orc or use another database`,
          );
        }
        for (const m of migrations) {
          if (m.version <= from) continue;
          logger.info('applying backend migration', { version: m.version, name: m.name, dialect: dialect.name });
          const appliedAt = clock.wallNow();
          if (dialect.transactionalDdl) await applyInTransaction(conn, dialect, m, appliedAt);
          else await applyWithUndo(conn, dialect, m, logger, appliedAt);
        }
        return { from, to: Math.max(from, latest) };
      } finally {
        if (dialect.name === 'mysql')
          await sql`select release_lock(left(concat('orc_schema_migrate:', database()), 64))`.execute(conn);
      }
    });
  } catch (err) {
    if (err instanceof BackendError) throw err;
    throw toBackendError(err, 'migrate');
  }
}

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new BackendError('INVALID_ARGUMENT', `migrations[${i}].version: expected ${i + 1}, got ${m.version}`);
  });
}

async function ensureLedger(db: OrcDb, dialect: SqlDialect): Promise<void> {
  let b = db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('version', dialect.columnType({ kind: 'int', nullable: false, autoIncrement: false, length: 0 }), (c) =>
      c.notNull().primaryKey(),
    )
    .addColumn('name', dialect.columnType({ kind: 'text', nullable: false, autoIncrement: false, length: 255 }), (c) =>
      c.notNull(),
    )
    .addColumn(
      'applied_at',
      dialect.columnType({ kind: 'time', nullable: false, autoIncrement: false, length: 0 }),
      (c) => c.notNull(),
    );
  const options = dialect.tableOptions();
  if (options) b = b.modifyEnd(options);
  await b.execute();
}

/** The highest applied schema version, 0 for an empty database. */
export async function appliedVersion(db: OrcDb): Promise<number> {
  const row = await db
    .selectFrom('orc_schema_migrations')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

async function record(db: OrcDb, m: Migration, appliedAt: number): Promise<void> {
  await db
    .insertInto('orc_schema_migrations')
    .values({ version: m.version, name: m.name, applied_at: appliedAt })
    .execute();
}

async function applyInTransaction(conn: OrcDb, dialect: SqlDialect, m: Migration, appliedAt: number): Promise<void> {
  // IMMEDIATE takes the write lock up front, so two processes opening one file cannot both migrate.
  await sql`begin immediate`.execute(conn);
  try {
    if ((await appliedVersion(conn)) < m.version) {
      for (const step of m.steps) await applyStep(conn, dialect, step);
      await record(conn, m, appliedAt);
    }
    await sql`commit`.execute(conn);
  } catch (err) {
    await sql`rollback`.execute(conn);
    throw migrationFailed(m, err);
  }
}

async function applyWithUndo(
  conn: OrcDb,
  dialect: SqlDialect,
  m: Migration,
  logger: Logger,
  appliedAt: number,
): Promise<void> {
  const done: MigrationStep[] = [];
  try {
    for (const step of m.steps) {
      if (await isPresent(conn, step)) continue;
      if (step.kind === 'run') await conn.transaction().execute((trx) => step.run(trx, dialect));
      else await applyStep(conn, dialect, step);
      done.push(step);
    }
    await record(conn, m, appliedAt);
  } catch (err) {
    for (const step of done.reverse()) {
      try {
        await undoStep(conn, step);
      } catch (undoErr) {
        logger.error('could not undo a migration step', {
          version: m.version,
          step: describe(step),
          error: String(undoErr),
        });
      }
    }
    throw migrationFailed(m, err);
  }
}

function migrationFailed(m: Migration, err: unknown): BackendError {
  const detail = err instanceof Error ? err.message : String(err);
  return new BackendError(
    'MIGRATION_FAILED',
    `migration ${m.version} (${m.name}) failed, schema kept at version ${m.version - 1}: ${detail}`,
    { cause: err },
  );
}

function describe(step: MigrationStep): string {
  switch (step.kind) {
    case 'create-table':
      return `create table ${step.table.name}`;
    case 'create-index':
      return `create index ${step.index.name} on ${step.table}`;
    case 'add-column':
      return `add column ${step.table}.${step.column}`;
    case 'run':
      return step.description;
  }
}

async function applyStep(db: OrcDb, dialect: SqlDialect, step: MigrationStep): Promise<void> {
  switch (step.kind) {
    case 'create-table':
      await createTable(db, dialect, step.table);
      return;
    case 'create-index':
      await db.schema
        .createIndex(step.index.name)
        .on(step.table)
        .columns([...step.index.columns])
        .execute();
      return;
    case 'add-column': {
      const { def, defaultValue } = step;
      await db.schema
        .alterTable(step.table)
        .addColumn(step.column, dialect.columnType(def), (c) =>
          def.nullable ? c.defaultTo(defaultValue) : c.notNull().defaultTo(defaultValue),
        )
        .execute();
      return;
    }
    case 'run':
      await step.run(db, dialect);
      return;
  }
}

/** CREATE TABLE from a definition: columns in order, primary key, unique keys, dialect options. */
export async function createTable(db: OrcDb, dialect: SqlDialect, table: TableDef): Promise<void> {
  let b = db.schema.createTable(table.name);
  let hasSerialKey = false;
  for (const [name, def] of Object.entries(table.columns)) {
    hasSerialKey ||= def.autoIncrement;
    b = b.addColumn(name, dialect.columnType(def), (c) => {
      const base = def.nullable ? c : c.notNull();
      return def.autoIncrement ? base.primaryKey().autoIncrement() : base;
    });
  }
  if (!hasSerialKey) b = b.addPrimaryKeyConstraint(`${table.name}_pk`, [...table.primaryKey] as never);
  for (const u of table.uniques) b = b.addUniqueConstraint(u.name, [...u.columns] as never);
  const options = dialect.tableOptions();
  if (options) b = b.modifyEnd(options);
  await b.execute();
}

async function isPresent(db: OrcDb, step: MigrationStep): Promise<boolean> {
  const any = db as unknown as AnyDb;
  switch (step.kind) {
    case 'create-table': {
      const r = await sql<{
        n: number;
      }>`select count(*) as n from information_schema.tables where table_schema = database() and table_name = ${step.table.name}`.execute(
        any,
      );
      return Number(r.rows[0]?.n) > 0;
    }
    case 'create-index': {
      const r = await sql<{
        n: number;
      }>`select count(*) as n from information_schema.statistics where table_schema = database() and table_name = ${step.table} and index_name = ${step.index.name}`.execute(
        any,
      );
      return Number(r.rows[0]?.n) > 0;
    }
    case 'add-column': {
      const r = await sql<{
        n: number;
      }>`select count(*) as n from information_schema.columns where table_schema = database() and table_name = ${step.table} and column_name = ${step.column}`.execute(
        any,
      );
      return Number(r.rows[0]?.n) > 0;
    }
    case 'run':
      return false;
  }
}

async function undoStep(db: OrcDb, step: MigrationStep): Promise<void> {
  switch (step.kind) {
    case 'create-table':
      await db.schema.dropTable(step.table.name).ifExists().execute();
      return;
    case 'create-index':
      await db.schema.dropIndex(step.index.name).on(step.table).execute();
      return;
    case 'add-column':
      await db.schema.alterTable(step.table).dropColumn(step.column).execute();
      return;
    case 'run':
      return;
  }
}

import type { ColumnDef, IndexDef, TableDef } from '../schema/column.js';
import type { OrcDb, SqlDialect } from '../dialect/sql-dialect.js';

/**
 * One step of a migration. Steps are declarative so the migrator can tell, on MySQL (where DDL
 * commits at once), whether a step already happened and how to undo it when a later step fails.
 */
export type MigrationStep =
  | { readonly kind: 'create-table'; readonly table: TableDef }
  | { readonly kind: 'create-index'; readonly table: string; readonly index: IndexDef }
  | {
      readonly kind: 'add-column';
      readonly table: string;
      readonly column: string;
      readonly def: ColumnDef;
      readonly defaultValue: string | number;
    }
  | {
      /**
       * Data changes. On SQLite they run in the migration's transaction. On MySQL they run in a
       * transaction of their own and must be safe to run again (a later failing step does not undo them).
       */
      readonly kind: 'run';
      readonly description: string;
      readonly run: (db: OrcDb, dialect: SqlDialect) => Promise<void>;
    };

/** A forward-only schema change, identified by its version (1, 2, 3, ... without gaps). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly steps: readonly MigrationStep[];
}

import { clusterRecoveryDisable, databaseInstanceTags, schemaV1Tables } from '../schema/tables.js';
import type { Migration } from './migration.js';

/** Version 1: every table of orc's schema, then its secondary indexes. */
const v1: Migration = {
  version: 1,
  name: 'initial schema',
  steps: [
    ...schemaV1Tables.map((table) => ({ kind: 'create-table' as const, table })),
    ...schemaV1Tables.flatMap((table) =>
      table.indexes.map((index) => ({ kind: 'create-index' as const, table: table.name, index })),
    ),
  ],
};

/** Version 2: the per-cluster recovery switch (`disable-cluster-recoveries`). */
const v2: Migration = {
  version: 2,
  name: 'per-cluster recovery switch',
  steps: [{ kind: 'create-table', table: clusterRecoveryDisable }],
};

/** Version 3: instance tags (`tag`, `untag`, `tagged`). */
const v3: Migration = {
  version: 3,
  name: 'instance tags',
  steps: [{ kind: 'create-table', table: databaseInstanceTags }],
};

/** Every migration this version of orc knows, in order. The last one's version is the schema version. */
export const migrations: readonly Migration[] = Object.freeze([v1, v2, v3]);

/** The schema version this build of orc writes. */
export const currentSchemaVersion: number = migrations[migrations.length - 1]?.version ?? 0;

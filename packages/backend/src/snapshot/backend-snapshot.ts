import type { Kysely } from 'kysely';
import { chunkRows, type OrcDb, type SqlDialect } from '../dialect/sql-dialect.js';
import { BackendError } from '../errors.js';
import { compareCodePoints } from '../repositories/cluster-repository.js';
import type { ColumnDef, TableDef } from '../schema/column.js';
import * as t from '../schema/tables.js';

/** The tables a Raft snapshot carries in full: what replicated commands write (orchestrator's snapshot_data.go). */
export const SNAPSHOT_TABLES: readonly TableDef[] = Object.freeze([
  t.clusterAlias,
  t.clusterAliasOverride,
  t.databaseInstanceDowntime,
  t.candidateDatabaseInstance,
  t.topologyFailureDetection,
  t.topologyRecovery,
  t.topologyRecoverySteps,
  t.blockedTopologyRecovery,
  t.globalRecoveryDisable,
  t.kvStore,
  t.clusterRecoveryDisable,
  t.databaseInstanceTags,
]);

/** Of `database_instance`, a snapshot carries only what lets a node rediscover the topology. */
export const SNAPSHOT_INSTANCE_COLUMNS = Object.freeze([
  'hostname',
  'port',
  'master_host',
  'master_port',
  'cluster_name',
] as const);

const FORMAT = 'orc-backend-snapshot';
// Version 2 added cluster_recovery_disable (last in SNAPSHOT_TABLES); version 1 documents are read
// as having it empty, so a node upgraded before its peers still installs their snapshots. Version 3
// added database_instance_tags (last) the same way: older documents read as having no tags.
const FORMAT_VERSION = 3;

type Value = string | number | null;
interface TableDump {
  name: string;
  columns: string[];
  rows: Value[][];
}
interface SnapshotDocument {
  format: typeof FORMAT;
  version: number;
  tables: TableDump[];
  instances: TableDump;
}

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Reads the replicated tables in one transaction and encodes them as UTF-8 JSON: tables in a fixed
 * order, columns in definition order, rows sorted by primary key, values normalised per column kind,
 * so the same content gives the same bytes on SQLite and MySQL.
 */
export async function exportSnapshot(db: OrcDb): Promise<Uint8Array> {
  const doc = await db.transaction().execute(async (trx) => {
    const any = trx as unknown as AnyDb;
    const tables: TableDump[] = [];
    for (const def of SNAPSHOT_TABLES) tables.push(await dump(any, def, Object.keys(def.columns)));
    const instances = await dump(any, t.databaseInstance, [...SNAPSHOT_INSTANCE_COLUMNS]);
    return { format: FORMAT, version: FORMAT_VERSION, tables, instances } satisfies SnapshotDocument;
  });
  return new TextEncoder().encode(JSON.stringify(doc));
}

async function dump(db: AnyDb, def: TableDef, columns: string[]): Promise<TableDump> {
  const rows = await db.selectFrom(def.name).select(columns).execute();
  const kinds = columns.map((c) => def.columns[c] as ColumnDef);
  const values = rows.map((r) => columns.map((c, i) => normalise(kinds[i] as ColumnDef, r[c])));
  const keyIdx = def.primaryKey.map((k) => columns.indexOf(k));
  values.sort((a, b) => {
    for (const i of keyIdx) {
      const d = compareValues(a[i] ?? null, b[i] ?? null);
      if (d !== 0) return d;
    }
    return 0;
  });
  return { name: def.name, columns, rows: values };
}

function normalise(def: ColumnDef, v: unknown): Value {
  if (v === null || v === undefined)
    return def.nullable ? null : def.kind === 'text' || def.kind === 'longtext' ? '' : 0;
  if (def.kind === 'text' || def.kind === 'longtext') return String(v);
  if (def.kind === 'bool') return Number(v) !== 0 ? 1 : 0;
  return Number(v);
}

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodePoints(String(a), String(b));
}

/**
 * Replaces the replicated tables with a snapshot's content, in one transaction: every snapshot
 * table is emptied and refilled; instances absent from the snapshot are forgotten and missing ones
 * written as stubs that discovery will probe (orchestrator's `Restore`). Instances present in both
 * keep what discovery knows of them.
 */
export async function importSnapshot(db: OrcDb, dialect: SqlDialect, bytes: Uint8Array): Promise<void> {
  const doc = parse(bytes);
  await db.transaction().execute(async (trx) => {
    const any = trx as unknown as AnyDb;
    for (const dumpOf of doc.tables) {
      await any.deleteFrom(dumpOf.name).execute();
      const objects = dumpOf.rows.map((r) => Object.fromEntries(dumpOf.columns.map((c, i) => [c, r[i]])));
      for (const chunk of chunkRows(objects, dumpOf.columns.length, dialect.maxParameters))
        await any.insertInto(dumpOf.name).values(chunk).execute();
    }
    await restoreInstances(any, trx, dialect, doc.instances);
  });
}

async function restoreInstances(any: AnyDb, trx: OrcDb, dialect: SqlDialect, dumpOf: TableDump): Promise<void> {
  const wanted = new Map(dumpOf.rows.map((r) => [`${String(r[0])}:${String(r[1])}`, r]));
  const present = await trx.selectFrom('database_instance').select(['hostname', 'port']).execute();
  for (const p of present) {
    const id = `${p.hostname}:${String(p.port)}`;
    if (wanted.has(id)) wanted.delete(id);
    else
      await trx.deleteFrom('database_instance').where('hostname', '=', p.hostname).where('port', '=', p.port).execute();
  }
  const stubs = [...wanted.values()].map((r) => {
    const row: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(t.databaseInstance.columns))
      row[name] = def.nullable ? null : def.kind === 'text' || def.kind === 'longtext' ? '' : 0;
    dumpOf.columns.forEach((c, i) => (row[c] = r[i]));
    return row;
  });
  const width = Object.keys(t.databaseInstance.columns).length;
  for (const chunk of chunkRows(stubs, width, dialect.maxParameters))
    await any.insertInto('database_instance').values(chunk).execute();
}

function parse(bytes: Uint8Array): SnapshotDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw new BackendError('SNAPSHOT_INVALID', 'snapshot: not UTF-8 JSON', { cause: err });
  }
  const d = doc as Partial<SnapshotDocument> | null;
  if (typeof d !== 'object' || d === null || d.format !== FORMAT)
    throw new BackendError('SNAPSHOT_INVALID', `snapshot: format is not "${FORMAT}"`);
  // Each older format lacks the tables added after it, which were appended last and start empty.
  const missing = Number.isInteger(d.version) && (d.version ?? 0) >= 1 ? ADDED_AFTER.slice((d.version ?? 1) - 1) : [];
  if (d.version !== FORMAT_VERSION && missing.length > 0 && Array.isArray(d.tables)) {
    if (d.tables.length === SNAPSHOT_TABLES.length - missing.length)
      d.tables = [...d.tables, ...missing.map((m) => ({ name: m.name, columns: Object.keys(m.columns), rows: [] }))];
    d.version = FORMAT_VERSION;
  } else if (d.version !== FORMAT_VERSION)
    throw new BackendError(
      'SNAPSHOT_INVALID',
      `snapshot: format version ${String(d.version)} is not supported (this orc reads ${FORMAT_VERSION})`,
    );
  if (!Array.isArray(d.tables) || d.tables.length !== SNAPSHOT_TABLES.length)
    throw new BackendError('SNAPSHOT_INVALID', 'snapshot: tables missing');
  SNAPSHOT_TABLES.forEach((def, i) => checkDump(d.tables?.[i], def.name, Object.keys(def.columns)));
  checkDump(d.instances, t.databaseInstance.name, [...SNAPSHOT_INSTANCE_COLUMNS]);
  return d as SnapshotDocument;
}

// The tables each format version after 1 added, in order: version v lacks ADDED_AFTER.slice(v - 1).
const ADDED_AFTER: readonly TableDef[] = [t.clusterRecoveryDisable, t.databaseInstanceTags];

function checkDump(dumpOf: TableDump | undefined, name: string, columns: readonly string[]): void {
  if (typeof dumpOf !== 'object' || dumpOf === null || dumpOf.name !== name)
    throw new BackendError('SNAPSHOT_INVALID', `snapshot: expected table ${name}`);
  if (!Array.isArray(dumpOf.columns) || dumpOf.columns.join(',') !== columns.join(','))
    throw new BackendError('SNAPSHOT_INVALID', `snapshot: ${name}: columns differ from this schema`);
  if (!Array.isArray(dumpOf.rows)) throw new BackendError('SNAPSHOT_INVALID', `snapshot: ${name}: rows missing`);
  dumpOf.rows.forEach((r, i) => {
    if (
      !Array.isArray(r) ||
      r.length !== columns.length ||
      !r.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    ) {
      throw new BackendError(
        'SNAPSHOT_INVALID',
        `snapshot: ${name}.rows[${i}]: expected ${columns.length} strings, numbers or nulls`,
      );
    }
  });
}

// Each Raft member's own state read straight from its files: the SQLite backend
// (orc-data/orc.sqlite3 in its directory) and its newest snapshot, so a test sees what each node
// applied without asking the node (which may be down, or wrong).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { RaftNode } from '@orc/testenv';

// The slice of better-sqlite3 the tests read with.
type SqliteDb = { prepare(sql: string): { all(...args: unknown[]): unknown[] }; close(): void };
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDb;

/**
 * Whether `node` has a backend file (a wiped node has none until it starts again).
 *
 * @example
 * const rows = hasBackend(node) ? backendRecoveries(node) : [];
 */
export function hasBackend(node: RaftNode): boolean {
  return existsSync(join(node.dir, 'orc-data', 'orc.sqlite3'));
}

/**
 * Runs one read-only query on `node`'s backend (the file must exist: a wiped node's throws).
 *
 * @example
 * const rows = readBackend<{ n: number }>(node, 'SELECT COUNT(*) AS n FROM database_instance');
 */
export function readBackend<T>(node: RaftNode, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(node.dir, 'orc-data', 'orc.sqlite3'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/**
 * The value `node`'s own internal KV store holds for `key`, undefined without a row.
 *
 * @example
 * expect(backendKv(node, 'mysql/master/main')).toBe('127.0.0.1:3307');
 */
export function backendKv(node: RaftNode, key: string): string | undefined {
  return readBackend<{ store_value: string }>(node, 'SELECT store_value FROM kv_store WHERE store_key = ?', key)[0]
    ?.store_value;
}

/** The topology_recovery columns the failover tests read by name; a row has all the others too. */
export interface RecoveryRow {
  readonly recovery_id: number;
  readonly uid: string;
  readonly hostname: string;
  readonly port: number;
  readonly analysis: string;
  readonly successor_port: number | null;
  readonly is_successful: number;
  readonly processing_node_hostname: string;
  readonly cluster_alias: string;
}

/**
 * Every topology_recovery row of `node`'s backend, all columns, in recovery order.
 *
 * @example
 * expect(backendRecoveries(follower)).toEqual(backendRecoveries(leader));
 */
export function backendRecoveries(node: RaftNode): RecoveryRow[] {
  return readBackend<RecoveryRow>(node, 'SELECT * FROM topology_recovery ORDER BY recovery_id');
}

/**
 * The step messages of one recovery on `node`'s backend, in order.
 *
 * @example
 * expect(backendRecoverySteps(node, uid)[0]).toMatch(/^\[agreement/);
 */
export function backendRecoverySteps(node: RaftNode, uid: string): string[] {
  return readBackend<{ message: string }>(
    node,
    'SELECT message FROM topology_recovery_steps WHERE recovery_uid = ? ORDER BY recovery_step_id',
    uid,
  ).map((r) => r.message);
}

/**
 * Every recovery step of `node`'s backend (uid, time and message), in order: two nodes that
 * applied the same log hold the same list.
 *
 * @example
 * expect(allRecoverySteps(wiped)).toEqual(allRecoverySteps(leader));
 */
export function allRecoverySteps(node: RaftNode): { recovery_uid: string; audit_at: unknown; message: string }[] {
  return readBackend(
    node,
    'SELECT recovery_uid, audit_at, message FROM topology_recovery_steps ORDER BY recovery_step_id',
  );
}

/**
 * The state file of `node`'s newest Raft snapshot as text, '' when it has none.
 *
 * @example
 * await waitFor('a snapshot with the new primary', () => newestSnapshotState(node).includes(kvRow));
 */
export function newestSnapshotState(node: RaftNode): string {
  const dir = join(node.dir, 'raft', 'snapshots');
  if (!existsSync(dir)) return '';
  const names = readdirSync(dir)
    .filter((n) => /^snapshot-\d+-\d+$/.test(n))
    .sort();
  const last = names[names.length - 1];
  return last === undefined ? '' : readFileSync(join(dir, last, 'state.bin'), 'utf8');
}

// The slices of orchestrator's JSON shapes the page reads, and pure helpers over them (the
// replication tree, problem severity), kept apart from the DOM so they are unit-tested in Node.

// orc's own routes' shapes come from @orc/api as types only (erased from the bundle); orchestrator's
// instance and recovery JSON is declared here as the slice the page reads.
import type { KvClusterStoreJson } from '@orc/api';

export type { KvClusterStoreJson, KvStatusJson, KvStoreStatusJson, WhoAmI as WhoAmIJson } from '@orc/api';

/** orchestrator's `InstanceKey`. */
export interface KeyJson {
  readonly Hostname: string;
  readonly Port: number;
}

/** The fields of orchestrator's `Instance` the page shows. */
export interface InstanceJson {
  readonly Key: KeyJson;
  readonly MasterKey: KeyJson;
  readonly Version: string;
  readonly ReadOnly: boolean;
  readonly GTIDMode?: string;
  readonly FlavorName?: string;
  readonly UsingMariaDBGTID?: boolean;
  readonly UsingOracleGTID?: boolean;
  readonly SecondsBehindMaster: { readonly Int64: number; readonly Valid: boolean };
  readonly ReplicationLagSeconds?: { readonly Int64: number; readonly Valid: boolean };
  readonly ClusterName: string;
  readonly IsLastCheckValid: boolean;
  readonly IsDowntimed: boolean;
  readonly DowntimeOwner?: string;
  readonly DowntimeReason?: string;
  readonly DowntimeEndTimestamp?: string;
  readonly IsCandidate: boolean;
  readonly PromotionRule: string;
  readonly Problems: readonly string[] | null;
  readonly Slave_IO_Running?: boolean;
  readonly Slave_SQL_Running?: boolean;
  readonly LastSQLError?: string;
  readonly LastIOError?: string;
  readonly ServerID?: number;
  readonly ExecutedGtidSet?: string;
  readonly ReplicationDepth?: number;
  readonly LastSeenTimestamp?: string;
}

/** orchestrator's `ClusterInfo`. */
export interface ClusterInfoJson {
  readonly ClusterName: string;
  readonly ClusterAlias: string;
  readonly CountInstances: number;
}

/** One entry of `/api/replication-analysis`. */
export interface AnalysisJson {
  readonly AnalyzedInstanceKey: KeyJson;
  readonly Analysis: string;
  readonly Description?: string;
  readonly ClusterDetails?: { readonly ClusterName: string; readonly ClusterAlias?: string };
  readonly IsDowntimed?: boolean;
}

/** One row of `/api/audit-recovery` (orchestrator's `TopologyRecovery`). */
export interface RecoveryJson {
  readonly Id: number;
  readonly UID: string;
  readonly AnalysisEntry?: AnalysisJson;
  readonly SuccessorKey?: KeyJson | null;
  readonly IsActive?: boolean;
  readonly IsSuccessful?: boolean;
  readonly RecoveryStartTimestamp?: string;
  readonly RecoveryEndTimestamp?: string;
  readonly Acknowledged?: boolean;
  readonly AcknowledgedBy?: string;
  readonly AcknowledgedComment?: string;
  readonly AllErrors?: readonly string[] | null;
}

/** One row of `/api/audit-recovery-steps/:uid`. */
export interface RecoveryStepJson {
  readonly AuditAt: string;
  readonly Message: string;
}

/**
 * `host:port`, the way operators write an instance.
 *
 * @example
 * keyText({ Hostname: 'db1', Port: 3306 }) // 'db1:3306'
 */
export function keyText(k: KeyJson | null | undefined): string {
  return k === null || k === undefined || k.Hostname === '' ? '' : `${k.Hostname}:${k.Port}`;
}

/** One instance and the instances replicating from it. */
export interface TreeNode {
  readonly instance: InstanceJson;
  readonly children: readonly TreeNode[];
}

/**
 * The replication forest of a cluster: roots are instances whose primary is not in the list
 * (the primary, or orphans after a failure); children sorted by key. A replication loop
 * (co-primaries) is broken at the first member met, so every instance appears exactly once.
 *
 * @example
 * buildForest(instances)[0]?.instance.Key // the primary
 */
export function buildForest(instances: readonly InstanceJson[]): TreeNode[] {
  const byKey = new Map(instances.map((i) => [keyText(i.Key), i]));
  const childrenOf = new Map<string, InstanceJson[]>();
  for (const i of instances) {
    const parent = keyText(i.MasterKey);
    if (parent === '' || !byKey.has(parent) || parent === keyText(i.Key)) continue;
    const list = childrenOf.get(parent) ?? [];
    list.push(i);
    childrenOf.set(parent, list);
  }
  const seen = new Set<string>();
  const grow = (i: InstanceJson): TreeNode => {
    seen.add(keyText(i.Key));
    const kids = (childrenOf.get(keyText(i.Key)) ?? [])
      .filter((c) => !seen.has(keyText(c.Key)))
      .sort(byKeyText)
      .map(grow);
    return { instance: i, children: kids };
  };
  const rootsFirst = [...instances].sort((a, b) => {
    const ar = byKey.has(keyText(a.MasterKey)) ? 1 : 0;
    const br = byKey.has(keyText(b.MasterKey)) ? 1 : 0;
    return ar - br || byKeyText(a, b);
  });
  const forest: TreeNode[] = [];
  for (const i of rootsFirst) if (!seen.has(keyText(i.Key))) forest.push(grow(i));
  return forest;
}

function byKeyText(a: InstanceJson, b: InstanceJson): number {
  const x = keyText(a.Key);
  const y = keyText(b.Key);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How bad an analysis code is, for its colour. */
export type Severity = 'critical' | 'warning' | 'info';

const CRITICAL = /^(Dead|AllMasterReplicasNotReplicating|MasterSingleReplicaDead|UnreachableMaster)/;
const INFO = /^(NoProblem|.*Structure|.*Warning|ReplicationGroupMember)/;

/**
 * Severity of one of orchestrator's analysis codes: a dead or unreachable primary is critical,
 * structure warnings are informational, the rest is a warning.
 *
 * @example
 * severityOf('DeadMaster') // 'critical'
 */
export function severityOf(code: string): Severity {
  if (CRITICAL.test(code)) return 'critical';
  if (INFO.test(code)) return 'info';
  return 'warning';
}

/**
 * Replication lag as shown: `-` for a primary or when unknown.
 *
 * @example
 * lagText({ Int64: 3, Valid: true }, true) // '3s'
 */
export function lagText(lag: { Int64: number; Valid: boolean } | undefined, isReplica: boolean): string {
  if (!isReplica) return '-';
  return lag?.Valid === true ? `${lag.Int64}s` : 'null';
}

/**
 * The GTID mode as one word.
 *
 * @example
 * gtidText({ UsingMariaDBGTID: true, MasterKey: { Hostname: 'db1', Port: 3306 } }) // 'MariaDB GTID'
 */
export function gtidText(
  i: Pick<InstanceJson, 'UsingMariaDBGTID' | 'UsingOracleGTID' | 'GTIDMode' | 'FlavorName' | 'MasterKey'>,
): string {
  if (i.UsingMariaDBGTID === true) return 'MariaDB GTID';
  // MariaDB always writes GTIDs; only a replica can choose not to replicate by them.
  if (i.FlavorName === 'MariaDB') return keyText(i.MasterKey) === '' ? 'MariaDB GTID' : 'binlog position';
  if (i.UsingOracleGTID === true) return 'GTID';
  return i.GTIDMode !== undefined && i.GTIDMode !== '' && i.GTIDMode !== 'OFF' ? `gtid_mode=${i.GTIDMode}` : 'no GTID';
}

/**
 * Where a recovery stands. orchestrator's `IsActive` is the anti-flapping period, not "running":
 * a recovery runs until it has an end timestamp.
 *
 * @example
 * recoveryOutcome({ RecoveryEndTimestamp: '', IsSuccessful: false }) // 'running'
 */
export function recoveryOutcome(
  r: Pick<RecoveryJson, 'RecoveryEndTimestamp' | 'IsSuccessful'>,
): 'running' | 'succeeded' | 'failed' {
  if (
    r.RecoveryEndTimestamp === undefined ||
    r.RecoveryEndTimestamp === '' ||
    r.RecoveryEndTimestamp.startsWith('0001-')
  )
    return 'running';
  return r.IsSuccessful === true ? 'succeeded' : 'failed';
}

/**
 * One store's state of a cluster's key in words (colour is not the only signal): `in sync`,
 * `missing`, `error`, or the other primary the store names.
 *
 * @example
 * kvStateText({ InSync: false, Value: 'db6:3306', Error: null }) // 'names db6:3306'
 */
export function kvStateText(s: Pick<KvClusterStoreJson, 'InSync' | 'Value' | 'Error'>): string {
  if (s.InSync) return 'in sync';
  if (s.Value === null) return s.Error === null ? 'missing' : 'error';
  return `names ${s.Value}`;
}

// orc's instance and cluster models in orchestrator's JSON field names, so that scripts and
// templates written against orchestrator's API keep working.
import {
  isMasterInstance,
  toOrchestratorKey,
  type BinlogCoordinates,
  type CandidateRule,
  type ClusterInfo,
  type Downtime,
  type Instance,
  type InstanceKey,
} from '@orc/topology';

/** Go's `sql.NullInt64` as orchestrator serializes it. */
export interface NullInt64 {
  readonly Int64: number;
  readonly Valid: boolean;
}

/** What the JSON of one instance needs besides the instance. */
export interface InstanceJsonContext {
  readonly now: number;
  readonly pollSeconds: number;
  readonly downtime: Downtime | undefined;
  readonly candidate: CandidateRule | undefined;
}

const nullInt = (n: number | null): NullInt64 => (n === null ? { Int64: 0, Valid: false } : { Int64: n, Valid: true });
const coordinates = (c: BinlogCoordinates | null, type: number): Record<string, unknown> => ({
  LogFile: c?.file ?? '',
  LogPos: c?.position ?? 0,
  Type: type,
});
const iso = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/**
 * The problems orchestrator lists on an instance (`Problems`).
 *
 * @example
 * instanceProblems(instance, ctx) // ['not_replicating']
 */
export function instanceProblems(i: Instance, ctx: InstanceJsonContext): string[] {
  const problems: string[] = [];
  const valid = isLastCheckValid(i);
  if (!valid) problems.push('last_check_invalid');
  else if (!isRecentlyChecked(i, ctx)) problems.push('not_recently_checked');
  const r = i.replication;
  if (r !== null && !isMasterInstance(i)) {
    if (r.ioThreadState !== 'Yes' || !r.isSqlThreadRunning) problems.push('not_replicating');
    else if (r.secondsBehindMaster !== null && r.secondsBehindMaster > 10) problems.push('replication_lag');
  }
  if (ctx.downtime !== undefined) problems.push('downtimed');
  return problems;
}

function isLastCheckValid(i: Instance): boolean {
  return i.lastSeenAt !== null && i.lastCheckedAt !== null && i.lastSeenAt >= i.lastCheckedAt;
}

function isRecentlyChecked(i: Instance, ctx: InstanceJsonContext): boolean {
  return i.lastCheckedAt !== null && ctx.now - i.lastCheckedAt <= ctx.pollSeconds * 5 * 1000;
}

/**
 * One instance as orchestrator's `/api/instance/:host/:port` serves it.
 *
 * @example
 * instanceJson(instance, { now: Date.now(), pollSeconds: 5, downtime: undefined, candidate: undefined }).Key
 * // { Hostname: '127.0.0.1', Port: 3306 }
 */
export function instanceJson(i: Instance, ctx: InstanceJsonContext): Record<string, unknown> {
  const r = i.replication;
  const isMaria = i.flavor === 'mariadb';
  const replicas = i.replicaKeys.map((k) => toOrchestratorKey(k));
  const lag = r?.secondsBehindMaster ?? null;
  const ioRunning = r?.ioThreadState === 'Yes';
  const sqlRunning = r?.isSqlThreadRunning ?? false;
  const threadState = (running: boolean): number => (r === null ? -1 : running ? 1 : 0);
  const d = ctx.downtime;
  return {
    Key: toOrchestratorKey(i.key),
    InstanceAlias: i.instanceAlias,
    Uptime: i.uptimeSeconds,
    ServerID: i.serverId,
    ServerUUID: i.serverUuid,
    Version: i.version,
    VersionComment: i.versionComment,
    FlavorName: isMaria ? 'MariaDB' : i.flavor === 'percona' ? 'Percona' : i.flavor === 'mysql' ? 'MySQL' : '',
    ReadOnly: i.isReadOnly,
    Binlog_format: i.binlogFormat,
    BinlogRowImage: '',
    LogBinEnabled: i.hasLogBin,
    LogSlaveUpdatesEnabled: i.hasLogReplicaUpdates,
    LogReplicationUpdatesEnabled: i.hasLogReplicaUpdates,
    SelfBinlogCoordinates: coordinates(i.selfBinlogCoordinates, 0),
    MasterKey: toOrchestratorKey(i.masterKey),
    MasterUUID: r?.masterUuid ?? '',
    AncestryUUID: '',
    IsDetachedMaster: false,
    Slave_SQL_Running: sqlRunning,
    ReplicationSQLThreadRuning: sqlRunning,
    Slave_IO_Running: ioRunning,
    ReplicationIOThreadRuning: ioRunning,
    ReplicationSQLThreadState: threadState(sqlRunning),
    ReplicationIOThreadState: r === null ? -1 : r.ioThreadState === 'Yes' ? 1 : r.ioThreadState === 'No' ? 0 : 2,
    HasReplicationFilters: false,
    GTIDMode: i.gtidMode,
    SupportsOracleGTID: !isMaria && i.gtidMode !== '',
    UsingOracleGTID: r?.isAutoPosition ?? false,
    UsingMariaDBGTID: isMaria && r !== null && !['', 'NO'].includes(r.usingMariaDbGtid.toUpperCase()),
    UsingPseudoGTID: false,
    ReadBinlogCoordinates: coordinates(r?.readBinlogCoordinates ?? null, 0),
    ExecBinlogCoordinates: coordinates(r?.execBinlogCoordinates ?? null, 0),
    IsDetached: false,
    RelaylogCoordinates: coordinates(r?.relaylogCoordinates ?? null, 1),
    LastSQLError: r?.lastSqlError ?? '',
    LastIOError: r?.lastIoError ?? '',
    SecondsBehindMaster: nullInt(lag),
    SQLDelay: r?.sqlDelaySeconds ?? 0,
    ExecutedGtidSet: i.executedGtidSet,
    GtidPurged: i.gtidPurged,
    GtidErrant: '',
    SlaveLagSeconds: nullInt(r === null ? 0 : lag),
    ReplicationLagSeconds: nullInt(r === null ? 0 : lag),
    SlaveHosts: replicas,
    Replicas: replicas,
    ClusterName: i.clusterName,
    SuggestedClusterAlias: i.suggestedClusterAlias,
    DataCenter: i.dataCenter,
    Region: i.region,
    PhysicalEnvironment: i.physicalEnvironment,
    ReplicationDepth: i.replicationDepth,
    IsCoMaster: i.isCoMaster,
    HasReplicationCredentials: r !== null && r.masterUser !== '',
    ReplicationCredentialsAvailable: false,
    SemiSyncAvailable: i.semiSync.isMasterEnabled || i.semiSync.isReplicaEnabled,
    SemiSyncEnforced: false,
    SemiSyncMasterEnabled: i.semiSync.isMasterEnabled,
    SemiSyncReplicaEnabled: i.semiSync.isReplicaEnabled,
    SemiSyncMasterWaitForReplicaCount: i.semiSync.masterWaitForReplicaCount,
    SemiSyncMasterStatus: i.semiSync.isMasterActive,
    SemiSyncMasterClients: i.semiSync.masterClients,
    SemiSyncReplicaStatus: i.semiSync.isReplicaActive,
    LastSeenTimestamp: iso(i.lastSeenAt),
    IsLastCheckValid: isLastCheckValid(i),
    IsUpToDate: isLastCheckValid(i) && isRecentlyChecked(i, ctx),
    IsRecentlyChecked: isRecentlyChecked(i, ctx),
    SecondsSinceLastSeen: nullInt(i.lastSeenAt === null ? null : Math.round((ctx.now - i.lastSeenAt) / 1000)),
    CountMySQLSnapshots: 0,
    IsCandidate: ctx.candidate !== undefined && ['must', 'prefer'].includes(ctx.candidate.promotionRule),
    PromotionRule: ctx.candidate?.promotionRule ?? i.promotionRule,
    IsDowntimed: d !== undefined,
    DowntimeReason: d?.reason ?? '',
    DowntimeOwner: d?.owner ?? '',
    DowntimeEndTimestamp: d === undefined ? '' : iso(d.endsAt),
    ElapsedDowntime: 0,
    UnresolvedHostname: '',
    AllowTLS: false,
    Problems: instanceProblems(i, ctx),
    LastDiscoveryLatency: 0,
  };
}

/**
 * orchestrator's `ClusterInfo` (`/api/clusters-info`, `/api/cluster-info/:clusterHint`).
 *
 * @example
 * clusterInfoJson(cluster).ClusterAlias // 'shop'
 */
export function clusterInfoJson(c: ClusterInfo): Record<string, unknown> {
  return {
    ClusterName: c.clusterName,
    ClusterAlias: c.clusterAlias,
    ClusterDomain: c.clusterDomain,
    CountInstances: c.instanceKeys.length,
    HeuristicLag: 0,
    HasAutomatedMasterRecovery: false,
    HasAutomatedIntermediateMasterRecovery: false,
  };
}

/**
 * orchestrator's ASCII topology: one line per server, replicas indented under their primary.
 *
 * @example
 * asciiTopology(cluster, instances)
 * // '127.0.0.1:3306   [0s,ok,10.11.6-MariaDB,rw,ROW,>>,GTID]\n+ 127.0.0.1:3307 [0s,ok,10.11.6-MariaDB,ro,ROW,>>,GTID]'
 */
export function asciiTopology(cluster: ClusterInfo, instances: readonly Instance[]): string {
  const byKey = new Map<InstanceKey, Instance>(instances.map((i) => [i.key, i]));
  const members = cluster.instanceKeys.map((k) => byKey.get(k)).filter((i): i is Instance => i !== undefined);
  const children = new Map<string, Instance[]>();
  for (const i of members) {
    if (i.masterKey === null || i.key === cluster.masterKey) continue;
    const list = children.get(i.masterKey) ?? [];
    list.push(i);
    children.set(i.masterKey, list);
  }
  const lines: string[] = [];
  const visit = (i: Instance, depth: number, seen: Set<string>): void => {
    if (seen.has(i.key)) return;
    seen.add(i.key);
    const indent = depth === 0 ? '' : `${'  '.repeat(depth - 1)}+ `;
    lines.push(`${indent}${i.key} ${describe(i)}`);
    for (const c of (children.get(i.key) ?? []).sort((a, b) => (a.key < b.key ? -1 : 1))) visit(c, depth + 1, seen);
  };
  const root = byKey.get(cluster.masterKey);
  if (root !== undefined) visit(root, 0, new Set());
  return lines.join('\n');
}

function describe(i: Instance): string {
  const r = i.replication;
  const lag =
    r === null || isMasterInstance(i) ? '0s' : r.secondsBehindMaster === null ? 'null' : `${r.secondsBehindMaster}s`;
  const valid = i.lastSeenAt !== null && i.lastCheckedAt !== null && i.lastSeenAt >= i.lastCheckedAt;
  const state = !valid
    ? 'unknown'
    : r !== null && !isMasterInstance(i) && (r.ioThreadState !== 'Yes' || !r.isSqlThreadRunning)
      ? 'nonreplicating'
      : 'ok';
  const gtid =
    i.flavor === 'mariadb'
      ? r === null || r.usingMariaDbGtid.toUpperCase() !== 'NO'
        ? 'GTID'
        : ''
      : i.gtidMode === 'ON'
        ? 'GTID'
        : '';
  const parts = [lag, state, i.version, i.isReadOnly ? 'ro' : 'rw', i.binlogFormat, i.hasLogReplicaUpdates ? '>>' : ''];
  if (gtid !== '') parts.push(gtid);
  return `[${parts.filter((p) => p !== '').join(',')}]`;
}

import { resolveClusters } from '../cluster/cluster-resolver.js';
import type { Instance, PromotionRule } from '../instance/instance.js';
import {
  isFailingToConnectToMaster,
  isHeartbeatSilent,
  isIoThreadRunning,
  isMasterInstance,
  isReplicating,
} from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey, toOrchestratorKey } from '../instance/instance-key.js';
import type { AnalysisCode, StructureAnalysisCode } from './analysis-codes.js';
import type { AnalysisOptions, AnalysisSnapshot } from './analysis-input.js';
import { DEFAULT_ANALYSIS_OPTIONS } from './analysis-input.js';
import { mariaDbErrantGtid, mysqlErrantGtid } from './errant-gtid.js';
import { isTopologyError } from '../errors.js';
import type { ReplicationAnalysis } from './replication-analysis.js';
import { ANALYSIS_DESCRIPTIONS } from './replication-analysis.js';
import { matchesClusterFilters } from './cluster-filters.js';

/** Counts over one analysed server and its direct replicas (orchestrator's grouped SQL, in code). */
interface Aggregate {
  isMaster: boolean;
  isCoMaster: boolean;
  lastCheckValid: boolean;
  partial: boolean;
  count: number;
  valid: number;
  replicating: number;
  connected: number;
  failing: number;
  downtimedReplicas: number;
  lagging: number;
  delayed: number;
  isFailing: boolean;
  isBinlogServer: boolean;
  depth: number;
}

/** Codes about the replicas only: skippable when every replica is downtimed. */
const REPLICA_CENTRIC: ReadonlySet<AnalysisCode> = new Set<AnalysisCode>([
  'AllMasterReplicasNotReplicating',
  'AllMasterReplicasNotReplicatingOrDead',
  'MasterSingleReplicaDead',
  'AllCoMasterReplicasNotReplicating',
  'DeadIntermediateMasterWithSingleReplica',
  'DeadIntermediateMasterWithSingleReplicaFailingToConnect',
  'DeadIntermediateMasterAndReplicas',
  'DeadIntermediateMasterAndSomeReplicas',
  'AllIntermediateMasterReplicasFailingToConnectOrDead',
  'AllIntermediateMasterReplicasNotReplicating',
]);

/**
 * The reachability verdict: orchestrator's `is_last_check_valid`. The last probe succeeded
 * (`lastCheckedAt <= lastSeenAt`) and no attempt has been pending for longer than a poll plus
 * `ReasonableInstanceCheckSeconds` since the last success.
 */
export function isLastCheckValid(instance: Instance, options: AnalysisOptions = {}): boolean {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  const { lastCheckedAt, lastSeenAt, lastAttemptedCheckAt } = instance;
  if (lastSeenAt === null || lastCheckedAt === null) return false;
  if (lastCheckedAt > lastSeenAt) return false;
  // The loop stamps an attempt later than the last check only for a probe pending past
  // ReasonableInstanceCheckSeconds: a hung probe, the first sign of a silent host.
  if (o.pendingProbeInvalidates && lastAttemptedCheckAt !== null && lastAttemptedCheckAt > lastCheckedAt) return false;
  const grace = (o.instancePollSeconds + o.reasonableInstanceCheckSeconds) * 1000;
  return lastAttemptedCheckAt === null || lastAttemptedCheckAt <= lastSeenAt + grace;
}

/** A replica row counts as valid when its last probe succeeded (orchestrator: `last_checked <= last_seen`). */
function isRowValid(i: Instance): boolean {
  return i.lastSeenAt !== null && i.lastCheckedAt !== null && i.lastCheckedAt <= i.lastSeenAt;
}

function pickCode(
  a: Aggregate,
  semi: SemiSyncView,
  o: Readonly<Required<AnalysisOptions>>,
  readOnly: boolean,
): AnalysisCode {
  // A server is only declared dead when no reachable replica's IO thread is still connected to it:
  // orchestrator counts a replica with a running IO thread but a stopped SQL thread as a witness of
  // death; orc counts it as proof of life (see docs/adr/0500).
  const noWitnessOfLife = a.connected === 0 && a.replicating === 0;
  const someWitnessOfLife = a.replicating > 0 || a.connected > 0;
  if (a.isMaster && !a.lastCheckValid) {
    if (a.count === 0) return 'DeadMasterWithoutReplicas';
    if (a.valid === a.count && noWitnessOfLife) return 'DeadMaster';
    if (a.valid === 0) return 'DeadMasterAndReplicas';
    if (a.valid < a.count && a.valid > 0 && noWitnessOfLife) return 'DeadMasterAndSomeReplicas';
    if (a.lagging === a.count && a.delayed < a.count && a.replicating > 0)
      return 'UnreachableMasterWithLaggingReplicas';
    if (!a.partial && a.valid > 0 && someWitnessOfLife) return 'UnreachableMaster';
    if (a.partial && a.failing > 0 && a.valid > 0 && someWitnessOfLife) return 'UnreachableMaster';
  }
  if (a.isMaster && semi.enabled && semi.active && semi.waitFor > 0 && semi.clients < semi.waitFor) {
    return semi.isStale ? 'LockedSemiSyncMaster' : 'LockedSemiSyncMasterHypothesis';
  }
  if (o.enforceExactSemiSyncReplicas && a.isMaster && semi.enabled && semi.active && semi.waitFor > 0) {
    if (semi.clients > semi.waitFor) return 'MasterWithTooManySemiSyncReplicas';
  }
  if (a.isMaster && a.lastCheckValid) {
    if (readOnly && a.replicating > 0 && o.recoverNonWriteableMaster) return 'NoWriteableMasterStructureWarning';
    if (a.count === 1 && a.valid === a.count && a.replicating === 0) return 'MasterSingleReplicaNotReplicating';
    if (a.count === 1 && a.valid === 0) return 'MasterSingleReplicaDead';
    if (a.count > 1 && a.valid === a.count && a.replicating === 0) return 'AllMasterReplicasNotReplicating';
    if (a.count > 1 && a.valid < a.count && a.valid > 0 && a.replicating === 0) {
      return 'AllMasterReplicasNotReplicatingOrDead';
    }
  }
  if (a.isCoMaster) {
    if (!a.lastCheckValid && a.count > 0 && a.valid === a.count && noWitnessOfLife) return 'DeadCoMaster';
    if (!a.lastCheckValid && a.count > 0 && a.valid < a.count && a.valid > 0 && noWitnessOfLife) {
      return 'DeadCoMasterAndSomeReplicas';
    }
    if (!a.lastCheckValid && !a.partial && a.valid > 0 && someWitnessOfLife) return 'UnreachableCoMaster';
    if (a.lastCheckValid && a.count > 0 && a.replicating === 0) return 'AllCoMasterReplicasNotReplicating';
  }
  if (!a.isMaster && !a.lastCheckValid) {
    if (a.count === 1 && a.valid === a.count && a.failing === a.count && noWitnessOfLife) {
      return 'DeadIntermediateMasterWithSingleReplicaFailingToConnect';
    }
    if (a.count === 1 && a.valid === a.count && noWitnessOfLife) return 'DeadIntermediateMasterWithSingleReplica';
    if (a.count > 1 && a.valid === a.count && noWitnessOfLife) return 'DeadIntermediateMaster';
    if (a.valid < a.count && a.valid > 0 && noWitnessOfLife) return 'DeadIntermediateMasterAndSomeReplicas';
    if (a.count > 0 && a.valid === 0) return 'DeadIntermediateMasterAndReplicas';
    if (a.lagging === a.count && a.delayed < a.count && a.replicating > 0) {
      return 'UnreachableIntermediateMasterWithLaggingReplicas';
    }
    if (!a.partial && a.valid > 0 && someWitnessOfLife) return 'UnreachableIntermediateMaster';
  }
  if (!a.isMaster && a.lastCheckValid) {
    if (a.count > 1 && a.replicating === 0 && a.failing > 0 && a.failing === a.valid) {
      return 'AllIntermediateMasterReplicasFailingToConnectOrDead';
    }
    if (a.count > 0 && a.replicating === 0) return 'AllIntermediateMasterReplicasNotReplicating';
  }
  if (a.isBinlogServer && a.isFailing) return 'BinlogServerFailingToConnectToMaster';
  if (a.depth === 1 && a.isFailing) return 'FirstTierReplicaFailingToConnectToMaster';
  return 'NoProblem';
}

interface SemiSyncView {
  enabled: boolean;
  active: boolean;
  waitFor: number;
  clients: number;
  isStale: boolean;
}

function minMax(values: readonly string[]): [string, string] {
  if (values.length === 0) return ['', ''];
  const sorted = [...values].sort();
  return [sorted[0]!, sorted[sorted.length - 1]!];
}

function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * The replica's errant GTIDs against its primary, '' when none. A GTID text that does not parse
 * cannot prove the replica clean, so it is reported in place of the errant set (and raises
 * ErrantGTIDStructureWarning) rather than read as "nothing errant".
 */
function errantOf(replica: Instance, master: Instance): string {
  if (master.lastSeenAt === null || replica.executedGtidSet === '' || master.executedGtidSet === '') return '';
  try {
    if (replica.flavor === 'mariadb' && master.flavor === 'mariadb') {
      return mariaDbErrantGtid(replica.executedGtidSet, master.executedGtidSet, replica.serverId);
    }
    if (replica.gtidMode.startsWith('ON') && master.gtidMode.startsWith('ON')) {
      return mysqlErrantGtid(replica.executedGtidSet, master.executedGtidSet, master.serverUuid);
    }
  } catch (error) {
    if (isTopologyError(error, 'INVALID_GTID_SET')) return `unknown (${replica.key}: ${error.message})`;
    throw error;
  }
  return '';
}

/**
 * orchestrator's replication analysis as a pure function: for each server of the snapshot (except
 * those under maintenance and those never reached), its code, structure warnings and counts.
 *
 * A primary is `DeadMaster` only when orc cannot reach it AND every replica orc can reach agrees:
 * none is replicating and none still has its IO thread connected. A primary orc cannot reach while
 * its replicas still replicate is `UnreachableMaster`, never dead.
 *
 * @example
 * const entries = analyzeReplication({ now: Date.now(), instances });
 * const dead = entries.filter((e) => e.Analysis === 'DeadMaster');
 */
export function analyzeReplication(snapshot: AnalysisSnapshot, options: AnalysisOptions = {}): ReplicationAnalysis[] {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  const now = snapshot.now;
  const active = <T extends { endsAt: number | null }>(x: T): boolean => x.endsAt === null || x.endsAt > now;
  const downtimes = new Map<InstanceKey, number | null>();
  for (const d of snapshot.downtimes ?? []) if (active(d)) downtimes.set(d.key, d.endsAt);
  const maintained = new Set<InstanceKey>();
  for (const m of snapshot.maintenance ?? []) if (active(m)) maintained.add(m.key);
  const candidateRules = new Map<InstanceKey, PromotionRule>();
  for (const c of snapshot.candidates ?? []) {
    if (c.expiresAt === null || c.expiresAt > now) candidateRules.set(c.key, c.promotionRule);
  }
  const promotionRule = (i: Instance): PromotionRule => candidateRules.get(i.key) ?? i.promotionRule;

  const known = snapshot.instances.filter((i) => i.lastSeenAt !== null);
  const resolution = resolveClusters(known, {
    clusterNameToAlias: o.clusterNameToAlias,
    aliasOverrides: snapshot.clusterAliasOverrides ?? {},
  });
  const replicasOf = new Map<InstanceKey, Instance[]>();
  for (const r of known) {
    if (r.masterKey === null || r.masterKey === r.key || isMasterInstance(r)) continue;
    const list = replicasOf.get(r.masterKey) ?? [];
    list.push(r);
    replicasOf.set(r.masterKey, list);
  }
  const lockedSeconds = o.reasonableLockedSemiSyncMasterSeconds || o.reasonableReplicationLagSeconds;

  const rows: { entry: ReplicationAnalysis; isClusterMaster: boolean }[] = [];
  for (const m of known) {
    if (maintained.has(m.key)) continue;
    const placement = resolution.placements.get(m.key)!;
    const cluster = resolution.clusters.get(placement.clusterName)!;
    const replicas = (replicasOf.get(m.key) ?? []).slice().sort((x, y) => (x.key < y.key ? -1 : 1));
    const valid = replicas.filter(isRowValid);
    const lastCheckValid = isLastCheckValid(m, o);
    // While orc reaches the server its replicas' heartbeats are not needed; once it cannot, a
    // replica that stopped hearing it (ADR 0503) is no sign of life, whatever its IO thread says.
    const hearing =
      lastCheckValid || o.heartbeatSilentPeriods <= 0
        ? valid
        : valid.filter((r) => !isHeartbeatSilent(r, o.heartbeatSilentPeriods));
    const logging = replicas.filter((r) => r.hasLogBin && r.hasLogReplicaUpdates);
    const a: Aggregate = {
      isMaster: isMasterInstance(m),
      isCoMaster: placement.isCoMaster || replicas.some((r) => resolution.placements.get(r.key)?.isCoMaster === true),
      lastCheckValid,
      partial: m.isLastCheckPartialSuccess,
      count: replicas.length,
      valid: valid.length,
      replicating: hearing.filter(isReplicating).length,
      connected: hearing.filter(isIoThreadRunning).length,
      failing: valid.filter(isFailingToConnectToMaster).length,
      downtimedReplicas: replicas.filter((r) => downtimes.has(r.key)).length,
      lagging: replicas.filter((r) => (r.replication?.secondsBehindMaster ?? -1) > o.reasonableReplicationLagSeconds)
        .length,
      delayed: replicas.filter((r) => (r.replication?.sqlDelaySeconds ?? 0) > 0).length,
      isFailing: isFailingToConnectToMaster(m),
      isBinlogServer: m.isBinlogServer,
      depth: placement.replicationDepth,
    };
    // orchestrator's ReduceReplicationAnalysisCount: a healthy server with no replicas is not a row.
    if (a.count === 0 && a.lastCheckValid && !a.isFailing) continue;

    const stale =
      m.binlogCoordinatesUnchangedSince !== null && now - m.binlogCoordinatesUnchangedSince > lockedSeconds * 1000;
    const semi: SemiSyncView = {
      enabled: m.semiSync.isMasterEnabled,
      active: m.semiSync.isMasterActive,
      waitFor: m.semiSync.masterWaitForReplicaCount,
      clients: m.semiSync.masterClients,
      isStale: stale,
    };
    const code = pickCode(a, semi, o, m.isReadOnly);

    const countOf = (f: string): number => logging.filter((r) => r.binlogFormat.toUpperCase() === f).length;
    const statementCount = countOf('STATEMENT');
    const mixedCount = countOf('MIXED');
    const rowCount = countOf('ROW');
    const majors = new Set(logging.map((r) => r.majorVersion)).size;
    const isValidVia = (pred: (r: Instance) => boolean): boolean =>
      valid.length > 0 && valid.filter(pred).length === valid.length;
    const oracleGtid = isValidVia((r) => r.replication?.isAutoPosition === true);
    const mariaGtid = isValidVia((r) => !['', 'NO'].includes((r.replication?.usingMariaDbGtid ?? '').toUpperCase()));
    const binlogServers = isValidVia((r) => r.isBinlogServer);
    const [minMode, maxMode] = minMax(replicas.map((r) => r.gtidMode));
    const errants = replicas
      .filter((r) => !downtimes.has(r.key))
      .map((r) => errantOf(r, m))
      .filter((e) => e !== '')
      .sort();
    const maxErrant = errants[errants.length - 1] ?? '';

    const structure: StructureAnalysisCode[] = [];
    const noLogging = a.isMaster && logging.length === 0 && a.count > 1;
    if (noLogging) structure.push('NoLoggingReplicasStructureWarning');
    if (a.isMaster && a.count > 1 && !oracleGtid && !mariaGtid && !binlogServers) {
      structure.push('NoFailoverSupportStructureWarning');
    }
    if (a.isMaster && statementCount > 0 && mixedCount > 0) {
      structure.push('StatementAndMixedLoggingReplicasStructureWarning');
    }
    if (a.isMaster && statementCount > 0 && rowCount > 0)
      structure.push('StatementAndRowLoggingReplicasStructureWarning');
    if (a.isMaster && mixedCount > 0 && rowCount > 0) structure.push('MixedAndRowLoggingReplicasStructureWarning');
    if (a.isMaster && majors > 1) structure.push('MultipleMajorVersionsLoggingReplicasStructureWarning');
    if (a.count > 0 && (m.gtidMode !== minMode || m.gtidMode !== maxMode)) {
      structure.push('DifferentGTIDModesStructureWarning');
    }
    if (maxErrant !== '') structure.push('ErrantGTIDStructureWarning');
    if (a.isMaster && m.isReadOnly) structure.push('NoWriteableMasterStructureWarning');
    if (a.isMaster && semi.enabled && !semi.active && semi.waitFor > 0 && semi.clients < semi.waitFor) {
      structure.push('NotEnoughValidSemiSyncReplicasStructureWarning');
    }
    const promotable = logging.filter((r) => !r.isBinlogServer && promotionRule(r) !== 'must_not');
    if (a.isMaster && a.count > 0 && promotable.length === 0 && !noLogging) {
      structure.push('NoPromotableReplicasStructureWarning');
    }

    if (code === 'NoProblem' && structure.length === 0 && !o.includeNoProblem) continue;
    if (o.recoveryIgnoreHostnameFilters.some((f) => new RegExp(f).test(splitInstanceKey(m.key).host))) continue;

    const downtimeEnd = downtimes.get(m.key);
    const isDowntimed = downtimeEnd !== undefined;
    const isReplicasDowntimed = a.count === a.downtimedReplicas && REPLICA_CENTRIC.has(code);
    const skippable = isDowntimed || isReplicasDowntimed;
    if (skippable && !o.includeDowntimed) continue;

    const replicaKeys = replicas.map((r) => toOrchestratorKey(r.key));
    const clusterInfo = { ClusterName: cluster.clusterName, ClusterAlias: cluster.clusterAlias };
    const entry: ReplicationAnalysis = {
      AnalyzedInstanceKey: toOrchestratorKey(m.key),
      AnalyzedInstanceMasterKey: toOrchestratorKey(m.masterKey),
      ClusterDetails: {
        ...clusterInfo,
        ClusterDomain: cluster.clusterDomain || cluster.clusterName,
        CountInstances: cluster.instanceKeys.length,
        HeuristicLag: 0,
        HasAutomatedMasterRecovery: matchesClusterFilters(o.recoverMasterClusterFilters, clusterInfo),
        HasAutomatedIntermediateMasterRecovery: matchesClusterFilters(
          o.recoverIntermediateMasterClusterFilters,
          clusterInfo,
        ),
      },
      AnalyzedInstanceDataCenter: m.dataCenter,
      AnalyzedInstanceRegion: m.region,
      AnalyzedInstancePhysicalEnvironment: m.physicalEnvironment,
      AnalyzedInstanceBinlogCoordinates: {
        LogFile: m.selfBinlogCoordinates?.file ?? '',
        LogPos: m.selfBinlogCoordinates?.position ?? 0,
        Type: 0,
      },
      IsMaster: a.isMaster,
      IsReplicationGroupMember: false,
      IsCoMaster: a.isCoMaster,
      LastCheckValid: a.lastCheckValid,
      LastCheckPartialSuccess: a.partial,
      CountReplicas: a.count,
      CountValidReplicas: a.valid,
      CountValidReplicatingReplicas: a.replicating,
      CountValidReplicasConnectedToMaster: a.connected,
      CountReplicasFailingToConnectToMaster: a.failing,
      CountDowntimedReplicas: a.downtimedReplicas,
      ReplicationDepth: a.depth,
      Replicas: replicaKeys,
      SlaveHosts: replicaKeys,
      IsFailingToConnectToMaster: a.isFailing,
      Analysis: code,
      Description: ANALYSIS_DESCRIPTIONS[code],
      StructureAnalysis: structure,
      IsDowntimed: isDowntimed,
      IsReplicasDowntimed: isReplicasDowntimed,
      DowntimeEndTimestamp: downtimeEnd === undefined || downtimeEnd === null ? '' : formatTimestamp(downtimeEnd),
      DowntimeRemainingSeconds:
        downtimeEnd === undefined || downtimeEnd === null ? 0 : Math.max(0, Math.round((downtimeEnd - now) / 1000)),
      IsBinlogServer: m.isBinlogServer,
      PseudoGTIDImmediateTopology: false,
      OracleGTIDImmediateTopology: oracleGtid,
      MariaDBGTIDImmediateTopology: mariaGtid,
      BinlogServerImmediateTopology: binlogServers,
      SemiSyncMasterEnabled: semi.enabled,
      SemiSyncMasterStatus: semi.active,
      SemiSyncMasterWaitForReplicaCount: semi.waitFor,
      SemiSyncMasterClients: semi.clients,
      CountSemiSyncReplicasEnabled: replicas.filter((r) => r.semiSync.isReplicaEnabled).length,
      CountLoggingReplicas: logging.length,
      CountStatementBasedLoggingReplicas: statementCount,
      CountMixedBasedLoggingReplicas: mixedCount,
      CountRowBasedLoggingReplicas: rowCount,
      CountDistinctMajorVersionsLoggingReplicas: majors,
      CountDelayedReplicas: a.delayed,
      CountLaggingReplicas: a.lagging,
      IsActionableRecovery: false,
      ProcessingNodeHostname: '',
      ProcessingNodeToken: '',
      CountAdditionalAgreeingNodes: 0,
      StartActivePeriod: '',
      SkippableDueToDowntime: skippable,
      GTIDMode: m.gtidMode,
      MinReplicaGTIDMode: minMode,
      MaxReplicaGTIDMode: maxMode,
      MaxReplicaGTIDErrant: maxErrant,
      CommandHint: '',
      IsReadOnly: m.isReadOnly,
    };
    rows.push({ entry, isClusterMaster: cluster.clusterName === m.key });
  }
  // orchestrator's ORDER BY is_master DESC, is_cluster_master DESC, count_replicas DESC; then by key.
  rows.sort(
    (x, y) =>
      Number(y.entry.IsMaster) - Number(x.entry.IsMaster) ||
      Number(y.isClusterMaster) - Number(x.isClusterMaster) ||
      y.entry.CountReplicas - x.entry.CountReplicas ||
      keyOrder(x.entry, y.entry),
  );
  return rows.map((r) => r.entry);
}

function keyOrder(x: ReplicationAnalysis, y: ReplicationAnalysis): number {
  const a = `${x.AnalyzedInstanceKey.Hostname}:${x.AnalyzedInstanceKey.Port}`;
  const b = `${y.AnalyzedInstanceKey.Hostname}:${y.AnalyzedInstanceKey.Port}`;
  return a < b ? -1 : a > b ? 1 : 0;
}

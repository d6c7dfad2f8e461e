import type { TopologyErrorCode } from '../errors.js';
import type { InstanceKey } from './instance-key.js';

/** Which server family answered the probe. */
export type ServerFlavor = 'mariadb' | 'mysql' | 'percona' | 'unknown';

/** A binary or relay log position. */
export interface BinlogCoordinates {
  readonly file: string;
  readonly position: number;
}

/**
 * State of the replication IO thread as the server reports it. `Connecting` is what a replica
 * shows while it cannot reach (or lost) its primary; only `Yes` counts as running.
 */
export type IoThreadState = 'Yes' | 'No' | 'Connecting';

/** A replica's view of its replication stream (SHOW SLAVE/REPLICA STATUS), normalised across versions. */
export interface ReplicationStatus {
  /** Source host exactly as configured by CHANGE MASTER TO. */
  readonly masterHost: string;
  readonly masterPort: number;
  readonly masterUser: string;
  readonly ioThreadState: IoThreadState;
  readonly isSqlThreadRunning: boolean;
  /** Source position the IO thread has read up to. */
  readonly readBinlogCoordinates: BinlogCoordinates | null;
  /** Source position the SQL thread has executed up to. */
  readonly execBinlogCoordinates: BinlogCoordinates | null;
  readonly relaylogCoordinates: BinlogCoordinates | null;
  readonly lastIoErrno: number;
  readonly lastIoError: string;
  readonly lastSqlErrno: number;
  readonly lastSqlError: string;
  /** Seconds_Behind_Master; null when the server reports NULL (a thread is stopped). */
  readonly secondsBehindMaster: number | null;
  readonly sqlDelaySeconds: number;
  /** MariaDB `Using_Gtid` (`No`, `Slave_Pos`, `Current_Pos`); '' on MySQL. */
  readonly usingMariaDbGtid: string;
  /** MySQL `Auto_Position = 1`. */
  readonly isAutoPosition: boolean;
  readonly masterUuid: string;
  /** MariaDB `Gtid_IO_Pos`, MySQL `Retrieved_Gtid_Set`. */
  readonly retrievedGtidSet: string;
  /**
   * Heartbeats the IO thread received from its source since it started (MariaDB
   * `Slave_received_heartbeats`); undefined/null when the server does not say.
   */
  readonly receivedHeartbeats?: number | null;
  /** `MASTER_HEARTBEAT_PERIOD` in seconds (MariaDB `Slave_heartbeat_period`); 0/undefined = no heartbeats. */
  readonly heartbeatPeriodSeconds?: number | null;
}

/** Semi-synchronous replication state (plugin variables and status; all false/0 without the plugin). */
export interface SemiSyncState {
  readonly isMasterEnabled: boolean;
  readonly isMasterActive: boolean;
  readonly masterWaitForReplicaCount: number;
  readonly masterClients: number;
  readonly isReplicaEnabled: boolean;
  readonly isReplicaActive: boolean;
}

/** orchestrator's promotion rules, from most to least wanted. */
export type PromotionRule = 'must' | 'prefer' | 'neutral' | 'prefer_not' | 'must_not';

/** The recorded outcome of the last failed probe. */
export interface ProbeErrorRecord {
  readonly code: TopologyErrorCode;
  readonly message: string;
  readonly at: number;
}

/**
 * Everything orc knows about one server: the last successful probe's findings plus the check
 * timestamps (milliseconds since the epoch) that tell whether that knowledge is current.
 *
 * A server that stops answering keeps its last known state; its `lastCheckedAt` moves past
 * `lastSeenAt`, which is how the analysis knows the row is stale (orchestrator's
 * `last_checked > last_seen`).
 */
export interface Instance {
  readonly key: InstanceKey;
  // Identity
  readonly hostname: string;
  readonly reportHost: string;
  readonly serverId: number;
  readonly serverUuid: string;
  readonly version: string;
  readonly versionComment: string;
  readonly flavor: ServerFlavor;
  /** `major.minor`, e.g. "10.11" or "8.0". */
  readonly majorVersion: string;
  readonly uptimeSeconds: number;
  // Binary logging
  readonly isReadOnly: boolean;
  readonly hasLogBin: boolean;
  readonly hasLogReplicaUpdates: boolean;
  /** ROW, STATEMENT or MIXED. */
  readonly binlogFormat: string;
  readonly selfBinlogCoordinates: BinlogCoordinates | null;
  /** When the server's own binlog coordinates were first seen at their current value (locked semi-sync detection). */
  readonly binlogCoordinatesUnchangedSince: number | null;
  /**
   * Wall ms of the last probe at which this replica had heard from its source since the probe
   * before: its heartbeat counter or read position moved (or it was first seen replicating). A
   * replica whose IO thread says `Yes` while this stays put for a few heartbeat periods is a
   * witness that the source went silent (ADR 0503). Undefined/null when not a replica.
   */
  readonly replicationHeardAt?: number | null;
  // GTID
  /** MySQL `@@gtid_mode` (OFF, ON, ...); '' on MariaDB. */
  readonly gtidMode: string;
  /**
   * MySQL `@@gtid_executed` (parse with `MysqlGtidSet`); MariaDB `@@gtid_binlog_state`, one GTID
   * per domain AND server id (parse with `MariaDbGtidList.parse(text, 'gtid_binlog_state')`, not
   * as a position).
   */
  readonly executedGtidSet: string;
  readonly gtidPurged: string;
  /** MariaDB `@@gtid_current_pos` (a position: one GTID per domain); '' on MySQL. */
  readonly gtidCurrentPos: string;
  readonly semiSync: SemiSyncState;
  // Replication
  /** Where this server replicates from, or null for a server that does not replicate. */
  readonly masterKey: InstanceKey | null;
  readonly replication: ReplicationStatus | null;
  /** Replicas the server itself reports (SHOW SLAVE HOSTS or its processlist). */
  readonly replicaKeys: readonly InstanceKey[];
  readonly isBinlogServer: boolean;
  // Placement (from detection queries or hostname patterns)
  readonly dataCenter: string;
  readonly region: string;
  readonly physicalEnvironment: string;
  readonly promotionRule: PromotionRule;
  readonly instanceAlias: string;
  /** `DetectClusterAliasQuery`'s answer on this server ('' when none). */
  readonly suggestedClusterAlias: string;
  readonly clusterDomain: string;
  // Derived from the topology (filled by cluster resolution)
  readonly clusterName: string;
  readonly replicationDepth: number;
  readonly isCoMaster: boolean;
  // Check bookkeeping (ms since epoch; null = never)
  readonly lastCheckedAt: number | null;
  readonly lastSeenAt: number | null;
  readonly lastAttemptedCheckAt: number | null;
  /** The identity query answered but a later probe query failed. */
  readonly isLastCheckPartialSuccess: boolean;
  readonly lastProbeError: ProbeErrorRecord | null;
}

/** Semi-sync state of a server without the plugin. */
export const NO_SEMI_SYNC: SemiSyncState = Object.freeze({
  isMasterEnabled: false,
  isMasterActive: false,
  masterWaitForReplicaCount: 0,
  masterClients: 0,
  isReplicaEnabled: false,
  isReplicaActive: false,
});

/**
 * An instance row for a key orc has heard of but never probed successfully: every finding empty,
 * `lastSeenAt` null.
 */
export function unseenInstance(key: InstanceKey): Instance {
  return {
    key,
    hostname: '',
    reportHost: '',
    serverId: 0,
    serverUuid: '',
    version: '',
    versionComment: '',
    flavor: 'unknown',
    majorVersion: '',
    uptimeSeconds: 0,
    isReadOnly: false,
    hasLogBin: false,
    hasLogReplicaUpdates: false,
    binlogFormat: '',
    selfBinlogCoordinates: null,
    binlogCoordinatesUnchangedSince: null,
    gtidMode: '',
    executedGtidSet: '',
    gtidPurged: '',
    gtidCurrentPos: '',
    semiSync: NO_SEMI_SYNC,
    masterKey: null,
    replication: null,
    replicaKeys: [],
    isBinlogServer: false,
    dataCenter: '',
    region: '',
    physicalEnvironment: '',
    promotionRule: 'neutral',
    instanceAlias: '',
    suggestedClusterAlias: '',
    clusterDomain: '',
    clusterName: '',
    replicationDepth: 0,
    isCoMaster: false,
    lastCheckedAt: null,
    lastSeenAt: null,
    lastAttemptedCheckAt: null,
    isLastCheckPartialSuccess: false,
    lastProbeError: null,
  };
}

/**
 * Whether the server is a topology primary as orchestrator decides it: it has no replication
 * source, or the source host is '' / '_' / starts with '//' (detached), or the source port is 0.
 */
export function isMasterInstance(instance: Instance): boolean {
  const r = instance.replication;
  if (instance.masterKey === null || r === null) return true;
  return r.masterHost === '' || r.masterHost === '_' || r.masterHost.startsWith('//') || r.masterPort === 0;
}

/** The replication IO thread is connected to the source (`Yes`). */
export function isIoThreadRunning(instance: Instance): boolean {
  return instance.replication?.ioThreadState === 'Yes';
}

/**
 * The IO thread still says `Yes` but has heard nothing from its source (no heartbeat, no event)
 * for `periods` heartbeat periods, as of the replica's own last probe. False when heartbeats are
 * off or the counter is unknown: then only the IO thread's own timeout can tell.
 *
 * @example
 * isHeartbeatSilent(replica, 3); // true: counter stuck for >= 3 x MASTER_HEARTBEAT_PERIOD
 */
export function isHeartbeatSilent(instance: Instance, periods: number): boolean {
  const rep = instance.replication;
  if (rep === null || rep.ioThreadState !== 'Yes') return false;
  const period = rep.heartbeatPeriodSeconds ?? 0;
  if (!(period > 0) || rep.receivedHeartbeats === undefined || rep.receivedHeartbeats === null) return false;
  const heardAt = instance.replicationHeardAt;
  if (heardAt === undefined || heardAt === null || instance.lastCheckedAt === null) return false;
  return instance.lastCheckedAt - heardAt >= periods * period * 1000;
}

/** Both replication threads run: orchestrator's "replicating". */
export function isReplicating(instance: Instance): boolean {
  return isIoThreadRunning(instance) && instance.replication?.isSqlThreadRunning === true;
}

/**
 * The IO thread is down with a connection error while the SQL thread runs: the replica is trying
 * and failing to reach its source (orchestrator: `last_io_error like '%error %connecting to master%'`).
 */
export function isFailingToConnectToMaster(instance: Instance): boolean {
  const r = instance.replication;
  if (r === null || r.ioThreadState === 'Yes' || !r.isSqlThreadRunning) return false;
  return /error \S*connecting to (master|source)/i.test(r.lastIoError);
}

import type { Backend, InstanceRecord } from '@orc/backend';
import type { InstanceStore } from '../discovery/instance-store.js';
import type { Instance, IoThreadState } from '../instance/instance.js';
import { NO_SEMI_SYNC, unseenInstance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey, splitInstanceKey } from '../instance/instance-key.js';
import { parseServerVersion } from '../probe/probe-dialect.js';

// orchestrator's ReplicationThreadState: -1 no thread, 0 stopped, 1 running, 2 other (connecting).
const IO_STATE_CODE: Record<IoThreadState, number> = { No: 0, Yes: 1, Connecting: 2 };
const orNull = (ms: number): number | null => (ms > 0 ? ms : null);

/** An {@link Instance} as a `database_instance` row of @orc/backend. */
export function toInstanceRecord(i: Instance): InstanceRecord {
  const { host, port } = splitInstanceKey(i.key);
  const r = i.replication;
  const isMaria = i.flavor === 'mariadb';
  return {
    hostname: host,
    port,
    lastChecked: i.lastCheckedAt ?? 0,
    lastAttemptedCheck: i.lastAttemptedCheckAt ?? 0,
    lastCheckPartialSuccess: i.isLastCheckPartialSuccess,
    lastSeen: i.lastSeenAt ?? 0,
    uptime: i.uptimeSeconds,
    serverId: i.serverId,
    serverUuid: i.serverUuid,
    version: i.version,
    majorVersion: i.majorVersion,
    versionComment: i.versionComment,
    binlogServer: i.isBinlogServer,
    readOnly: i.isReadOnly,
    binlogFormat: i.binlogFormat,
    binlogRowImage: '',
    logBin: i.hasLogBin,
    logSlaveUpdates: i.hasLogReplicaUpdates,
    binaryLogFile: i.selfBinlogCoordinates?.file ?? '',
    binaryLogPos: i.selfBinlogCoordinates?.position ?? 0,
    masterHost: r?.masterHost ?? '',
    masterPort: r?.masterPort ?? 0,
    slaveSqlRunning: r?.isSqlThreadRunning ?? false,
    slaveIoRunning: r?.ioThreadState === 'Yes',
    replicationSqlThreadState: r === null ? -1 : r.isSqlThreadRunning ? 1 : 0,
    replicationIoThreadState: r === null ? -1 : IO_STATE_CODE[r.ioThreadState],
    hasReplicationFilters: false,
    supportsOracleGtid: !isMaria && i.gtidMode !== '',
    oracleGtid: r?.isAutoPosition ?? false,
    masterUuid: r?.masterUuid ?? '',
    ancestryUuid: '',
    executedGtidSet: i.executedGtidSet,
    gtidMode: i.gtidMode,
    gtidPurged: i.gtidPurged,
    gtidErrant: '',
    mariadbGtid: isMaria && r !== null && !['', 'NO'].includes(r.usingMariaDbGtid.toUpperCase()),
    gtidCurrentPos: i.gtidCurrentPos,
    // Not quite what the column names say: gtid_slave_pos holds
    // Gtid_IO_Pos (received, not applied) and gtid_binlog_pos holds gtid_binlog_state (per domain
    // and server id, not a position). A failover check reads gtid_current_pos instead.
    gtidSlavePos: r?.retrievedGtidSet ?? '',
    gtidBinlogPos: isMaria ? i.executedGtidSet : '',
    pseudoGtid: false,
    masterLogFile: r?.readBinlogCoordinates?.file ?? '',
    readMasterLogPos: r?.readBinlogCoordinates?.position ?? 0,
    relayMasterLogFile: r?.execBinlogCoordinates?.file ?? '',
    execMasterLogPos: r?.execBinlogCoordinates?.position ?? 0,
    relayLogFile: r?.relaylogCoordinates?.file ?? '',
    relayLogPos: r?.relaylogCoordinates?.position ?? 0,
    lastSqlError: r?.lastSqlError ?? '',
    lastIoError: r?.lastIoError ?? '',
    secondsBehindMaster: r?.secondsBehindMaster ?? null,
    slaveLagSeconds: r?.secondsBehindMaster ?? null,
    sqlDelay: r?.sqlDelaySeconds ?? 0,
    numSlaveHosts: i.replicaKeys.length,
    slaveHosts: JSON.stringify(
      i.replicaKeys.map((k) => ({ Hostname: splitInstanceKey(k).host, Port: splitInstanceKey(k).port })),
    ),
    clusterName: i.clusterName,
    suggestedClusterAlias: i.suggestedClusterAlias,
    dataCenter: i.dataCenter,
    region: i.region,
    physicalEnvironment: i.physicalEnvironment,
    instanceAlias: i.instanceAlias,
    replicationDepth: i.replicationDepth,
    isCoMaster: i.isCoMaster,
    replicationCredentialsAvailable: false,
    hasReplicationCredentials: false,
    allowTls: false,
    semiSyncEnforced: false,
    semiSyncAvailable: i.semiSync.isMasterEnabled || i.semiSync.isReplicaEnabled,
    semiSyncMasterEnabled: i.semiSync.isMasterEnabled,
    semiSyncReplicaEnabled: i.semiSync.isReplicaEnabled,
    semiSyncMasterTimeout: 0,
    semiSyncMasterWaitForSlaveCount: i.semiSync.masterWaitForReplicaCount,
    semiSyncMasterStatus: i.semiSync.isMasterActive,
    semiSyncReplicaStatus: i.semiSync.isReplicaActive,
    semiSyncMasterClients: i.semiSync.masterClients,
    lastDiscoveryLatency: 0,
    replicationGroupName: '',
    replicationGroupIsSinglePrimaryMode: false,
    replicationGroupMemberState: '',
    replicationGroupMemberRole: '',
    replicationGroupMembers: '',
    replicationGroupPrimaryHost: '',
    replicationGroupPrimaryPort: 0,
  };
}

function replicaKeysOf(json: string): InstanceKey[] {
  try {
    const list = JSON.parse(json || '[]') as { Hostname?: unknown; Port?: unknown }[];
    return Array.isArray(list) ? list.map((x) => instanceKey(String(x.Hostname), Number(x.Port))) : [];
  } catch {
    return [];
  }
}

/**
 * A `database_instance` row back into an {@link Instance}. Fields the table has no column for
 * (the last probe error, report_host, Last_IO_Errno, the replication user) come back empty: the
 * discovery loop refills them on its first probe after a restart.
 */
export function fromInstanceRecord(r: InstanceRecord): Instance {
  const key = instanceKey(r.hostname, r.port);
  const hasReplication = r.masterHost !== '' || r.replicationIoThreadState >= 0;
  const ioThreadState: IoThreadState =
    r.replicationIoThreadState === 1 || r.slaveIoRunning
      ? 'Yes'
      : r.replicationIoThreadState === 2
        ? 'Connecting'
        : 'No';
  const flavor = parseServerVersion(r.version, r.versionComment).flavor;
  let masterKey: InstanceKey | null = null;
  if (r.masterHost !== '' && r.masterPort > 0) {
    try {
      masterKey = instanceKey(r.masterHost, r.masterPort);
    } catch {
      masterKey = null;
    }
  }
  return {
    ...unseenInstance(key),
    hostname: r.hostname,
    serverId: r.serverId,
    serverUuid: r.serverUuid,
    version: r.version,
    versionComment: r.versionComment,
    flavor,
    majorVersion: r.majorVersion,
    uptimeSeconds: r.uptime,
    isReadOnly: r.readOnly,
    hasLogBin: r.logBin,
    hasLogReplicaUpdates: r.logSlaveUpdates,
    binlogFormat: r.binlogFormat,
    selfBinlogCoordinates: r.binaryLogFile === '' ? null : { file: r.binaryLogFile, position: r.binaryLogPos },
    gtidMode: r.gtidMode,
    executedGtidSet: r.executedGtidSet,
    gtidPurged: r.gtidPurged,
    gtidCurrentPos: r.gtidCurrentPos,
    semiSync: {
      ...NO_SEMI_SYNC,
      isMasterEnabled: r.semiSyncMasterEnabled,
      isMasterActive: r.semiSyncMasterStatus,
      masterWaitForReplicaCount: r.semiSyncMasterWaitForSlaveCount,
      masterClients: r.semiSyncMasterClients,
      isReplicaEnabled: r.semiSyncReplicaEnabled,
      isReplicaActive: r.semiSyncReplicaStatus,
    },
    masterKey,
    replication: !hasReplication
      ? null
      : {
          masterHost: r.masterHost,
          masterPort: r.masterPort,
          masterUser: '',
          ioThreadState,
          isSqlThreadRunning: r.slaveSqlRunning,
          readBinlogCoordinates:
            r.masterLogFile === '' ? null : { file: r.masterLogFile, position: r.readMasterLogPos },
          execBinlogCoordinates:
            r.relayMasterLogFile === '' ? null : { file: r.relayMasterLogFile, position: r.execMasterLogPos },
          relaylogCoordinates: r.relayLogFile === '' ? null : { file: r.relayLogFile, position: r.relayLogPos },
          lastIoErrno: 0,
          lastIoError: r.lastIoError,
          lastSqlErrno: 0,
          lastSqlError: r.lastSqlError,
          secondsBehindMaster: r.secondsBehindMaster,
          sqlDelaySeconds: r.sqlDelay,
          usingMariaDbGtid: flavor === 'mariadb' ? (r.mariadbGtid ? 'Slave_Pos' : 'No') : '',
          isAutoPosition: r.oracleGtid,
          masterUuid: r.masterUuid,
          retrievedGtidSet: r.gtidSlavePos,
        },
    replicaKeys: replicaKeysOf(r.slaveHosts),
    isBinlogServer: r.binlogServer,
    dataCenter: r.dataCenter,
    region: r.region,
    physicalEnvironment: r.physicalEnvironment,
    instanceAlias: r.instanceAlias,
    suggestedClusterAlias: r.suggestedClusterAlias,
    clusterName: r.clusterName,
    replicationDepth: r.replicationDepth,
    isCoMaster: r.isCoMaster,
    lastCheckedAt: orNull(r.lastChecked),
    lastSeenAt: orNull(r.lastSeen),
    lastAttemptedCheckAt: orNull(r.lastAttemptedCheck),
    isLastCheckPartialSuccess: r.lastCheckPartialSuccess,
  };
}

/**
 * The discovery loop's {@link InstanceStore} over @orc/backend's `database_instance`
 * repository: batched upserts in one transaction, reads of every row, forgets.
 */
export class BackendInstanceStore implements InstanceStore {
  readonly #backend: Pick<Backend, 'instances'>;

  constructor(backend: Pick<Backend, 'instances'>) {
    this.#backend = backend;
  }

  async upsertInstances(instances: readonly Instance[]): Promise<void> {
    await this.#backend.instances.upsert(instances.map(toInstanceRecord));
  }

  async readInstances(): Promise<Instance[]> {
    return (await this.#backend.instances.readAll()).map(fromInstanceRecord);
  }

  async deleteInstances(keys: readonly InstanceKey[]): Promise<void> {
    for (const key of keys) {
      const { host, port } = splitInstanceKey(key);
      await this.#backend.instances.forget({ hostname: host, port });
    }
  }
}

// Instance-row fixtures shared by the backend's and topology's tests. The shape is declared here
// rather than imported from @orc/backend so that testkit stays a leaf (backend's tests depend on
// testkit); packages/backend/test/support/fixtures.ts asserts at compile time that this shape and
// @orc/backend's `InstanceRecord` are the same type, so a new column breaks the build, not a test.

/**
 * One `database_instance` row in camelCase: what discovery writes for a server and analysis
 * reads. Structurally identical to @orc/backend's `InstanceRecord`. Times are epoch milliseconds.
 *
 * @example
 * ```ts
 * const rows: InstanceRow[] = [instanceRow('db1', 3306), replicaRow('db2', 3306, { hostname: 'db1', port: 3306 }, 'db1:3306')];
 * ```
 */
export interface InstanceRow {
  hostname: string;
  port: number;
  lastChecked: number;
  lastAttemptedCheck: number;
  lastCheckPartialSuccess: boolean;
  lastSeen: number;
  uptime: number;
  serverId: number;
  serverUuid: string;
  version: string;
  majorVersion: string;
  versionComment: string;
  binlogServer: boolean;
  readOnly: boolean;
  binlogFormat: string;
  binlogRowImage: string;
  logBin: boolean;
  logSlaveUpdates: boolean;
  binaryLogFile: string;
  binaryLogPos: number;
  masterHost: string;
  masterPort: number;
  slaveSqlRunning: boolean;
  slaveIoRunning: boolean;
  replicationSqlThreadState: number;
  replicationIoThreadState: number;
  hasReplicationFilters: boolean;
  supportsOracleGtid: boolean;
  oracleGtid: boolean;
  masterUuid: string;
  ancestryUuid: string;
  executedGtidSet: string;
  gtidMode: string;
  gtidPurged: string;
  gtidErrant: string;
  mariadbGtid: boolean;
  gtidCurrentPos: string;
  gtidSlavePos: string;
  gtidBinlogPos: string;
  pseudoGtid: boolean;
  masterLogFile: string;
  readMasterLogPos: number;
  relayMasterLogFile: string;
  execMasterLogPos: number;
  relayLogFile: string;
  relayLogPos: number;
  lastSqlError: string;
  lastIoError: string;
  secondsBehindMaster: number | null;
  slaveLagSeconds: number | null;
  sqlDelay: number;
  numSlaveHosts: number;
  slaveHosts: string;
  clusterName: string;
  suggestedClusterAlias: string;
  dataCenter: string;
  region: string;
  physicalEnvironment: string;
  instanceAlias: string;
  replicationDepth: number;
  isCoMaster: boolean;
  replicationCredentialsAvailable: boolean;
  hasReplicationCredentials: boolean;
  allowTls: boolean;
  semiSyncEnforced: boolean;
  semiSyncAvailable: boolean;
  semiSyncMasterEnabled: boolean;
  semiSyncReplicaEnabled: boolean;
  semiSyncMasterTimeout: number;
  semiSyncMasterWaitForSlaveCount: number;
  semiSyncMasterStatus: boolean;
  semiSyncReplicaStatus: boolean;
  semiSyncMasterClients: number;
  lastDiscoveryLatency: number;
  replicationGroupName: string;
  replicationGroupIsSinglePrimaryMode: boolean;
  replicationGroupMemberState: string;
  replicationGroupMemberRole: string;
  replicationGroupMembers: string;
  replicationGroupPrimaryHost: string;
  replicationGroupPrimaryPort: number;
}

/**
 * Where a replica row points: its primary's host and port.
 *
 * @example
 * ```ts
 * const primary: RowKey = { hostname: 'db1', port: 3306 };
 * ```
 */
export interface RowKey {
  readonly hostname: string;
  readonly port: number;
}

/**
 * A complete row for a healthy MariaDB server that replicates from nobody (a primary, or a
 * standalone server): binary log on, MariaDB GTID at `0-1-100`, writable, `serverId` = port,
 * every time 0. `overrides` win, so a test states only what it is about.
 *
 * @example
 * ```ts
 * const primary = instanceRow('db1', 3306, { clusterName: 'db1:3306', lastSeen: clock.wallNow() });
 * ```
 */
export function instanceRow(hostname: string, port: number, overrides: Partial<InstanceRow> = {}): InstanceRow {
  return {
    hostname,
    port,
    lastChecked: 0,
    lastAttemptedCheck: 0,
    lastCheckPartialSuccess: false,
    lastSeen: 0,
    uptime: 100,
    serverId: port,
    serverUuid: '',
    version: '10.11.19-MariaDB-0+deb12u1',
    majorVersion: '10.11',
    versionComment: 'Debian 12',
    binlogServer: false,
    readOnly: false,
    binlogFormat: 'ROW',
    binlogRowImage: 'FULL',
    logBin: true,
    logSlaveUpdates: true,
    binaryLogFile: 'mysql-bin.000001',
    binaryLogPos: 328,
    masterHost: '',
    masterPort: 0,
    slaveSqlRunning: false,
    slaveIoRunning: false,
    replicationSqlThreadState: 0,
    replicationIoThreadState: 0,
    hasReplicationFilters: false,
    supportsOracleGtid: false,
    oracleGtid: false,
    masterUuid: '',
    ancestryUuid: '',
    executedGtidSet: '',
    gtidMode: '',
    gtidPurged: '',
    gtidErrant: '',
    mariadbGtid: true,
    gtidCurrentPos: '0-1-100',
    gtidSlavePos: '',
    gtidBinlogPos: '0-1-100',
    pseudoGtid: false,
    masterLogFile: '',
    readMasterLogPos: 0,
    relayMasterLogFile: '',
    execMasterLogPos: 0,
    relayLogFile: '',
    relayLogPos: 0,
    lastSqlError: '',
    lastIoError: '',
    secondsBehindMaster: null,
    slaveLagSeconds: null,
    sqlDelay: 0,
    numSlaveHosts: 0,
    slaveHosts: '[]',
    clusterName: '',
    suggestedClusterAlias: '',
    dataCenter: 'dc1',
    region: 'eu',
    physicalEnvironment: 'test',
    instanceAlias: '',
    replicationDepth: 0,
    isCoMaster: false,
    replicationCredentialsAvailable: false,
    hasReplicationCredentials: false,
    allowTls: false,
    semiSyncEnforced: false,
    semiSyncAvailable: false,
    semiSyncMasterEnabled: false,
    semiSyncReplicaEnabled: false,
    semiSyncMasterTimeout: 10000,
    semiSyncMasterWaitForSlaveCount: 1,
    semiSyncMasterStatus: false,
    semiSyncReplicaStatus: false,
    semiSyncMasterClients: 0,
    lastDiscoveryLatency: 3,
    replicationGroupName: '',
    replicationGroupIsSinglePrimaryMode: false,
    replicationGroupMemberState: '',
    replicationGroupMemberRole: '',
    replicationGroupMembers: '',
    replicationGroupPrimaryHost: '',
    replicationGroupPrimaryPort: 0,
    ...overrides,
  };
}

/**
 * A row for a healthy, read-only replica of `primary` in `clusterName`: both replication threads
 * running, no lag, depth 1, caught up at `0-1-100`. `overrides` win.
 *
 * @example
 * ```ts
 * const r = replicaRow('db2', 3306, { hostname: 'db1', port: 3306 }, 'db1:3306', { slaveIoRunning: false });
 * ```
 */
export function replicaRow(
  hostname: string,
  port: number,
  primary: RowKey,
  clusterName: string,
  overrides: Partial<InstanceRow> = {},
): InstanceRow {
  return instanceRow(hostname, port, {
    masterHost: primary.hostname,
    masterPort: primary.port,
    slaveIoRunning: true,
    slaveSqlRunning: true,
    secondsBehindMaster: 0,
    slaveLagSeconds: 0,
    replicationDepth: 1,
    clusterName,
    readOnly: true,
    gtidSlavePos: '0-1-100',
    ...overrides,
  });
}

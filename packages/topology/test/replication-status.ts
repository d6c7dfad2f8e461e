// The replication status of a replica whose threads both run, for unit tests that build instances
// by hand (analysis, cluster resolution, the fake discovery world): each names only what it varies.
import type { InstanceKey, ReplicationStatus } from '../src/index.js';
import { splitInstanceKey } from '../src/index.js';

/**
 * A MariaDB GTID replica of `masterKey` with both threads running, no lag and no errors;
 * `over` replaces fields.
 *
 * @example
 * ```ts
 * const replica = { ...unseenInstance(r1), masterKey: p, replication: runningReplication(p) };
 * ```
 */
export function runningReplication(masterKey: InstanceKey, over: Partial<ReplicationStatus> = {}): ReplicationStatus {
  const { host, port } = splitInstanceKey(masterKey);
  return {
    masterHost: host,
    masterPort: port,
    masterUser: 'repl',
    ioThreadState: 'Yes',
    isSqlThreadRunning: true,
    readBinlogCoordinates: null,
    execBinlogCoordinates: null,
    relaylogCoordinates: null,
    lastIoErrno: 0,
    lastIoError: '',
    lastSqlErrno: 0,
    lastSqlError: '',
    secondsBehindMaster: 0,
    sqlDelaySeconds: 0,
    usingMariaDbGtid: 'Slave_Pos',
    isAutoPosition: false,
    masterUuid: '',
    retrievedGtidSet: '',
    ...over,
  };
}

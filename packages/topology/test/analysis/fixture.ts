// Turns a hand-written fixture (instances.json) into an AnalysisSnapshot, and an analysis into the
// one-line-per-entry text of expected.txt. Fixture instances are written in a compact form: any
// Instance field may be given as is, plus these shorthands:
//   master: "host:port"          the source (sets masterKey and a replication status)
//   io: "Yes"|"No"|"Connecting"  IO thread (default "Yes" when master is set)
//   sql: boolean                 SQL thread running (default true)
//   ioError, sqlError: string    Last_IO_Error / Last_SQL_Error
//   lag: number|null             Seconds_Behind_Master (default 0; null when a thread is stopped)
//   sqlDelay: number             SQL_Delay
//   gtid: "Slave_Pos"|"No"|...   MariaDB Using_Gtid (default "Slave_Pos"); autoPosition: boolean (MySQL)
//   seen, checked, attempted     seconds relative to `now` (default -1 each): a failed check has checked > seen
import type { AnalysisSnapshot, Instance, InstanceKey, ReplicationAnalysis } from '../../src/index.js';
import { parseInstanceKey, splitInstanceKey, unseenInstance } from '../../src/index.js';

type Json = Record<string, unknown>;

/** The fixture's `now`: any fixed moment does; relative times are added to it. */
export const FIXTURE_NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function at(relSeconds: unknown, fallback: number | null): number | null {
  if (relSeconds === null) return null;
  if (typeof relSeconds !== 'number') return fallback;
  return FIXTURE_NOW + relSeconds * 1000;
}

export function fixtureInstance(raw: Json): Instance {
  const key = parseInstanceKey(String(raw['key']));
  const base = unseenInstance(key);
  const { host } = splitInstanceKey(key);
  const {
    master,
    io,
    sql,
    ioError,
    sqlError,
    lag,
    sqlDelay,
    gtid,
    autoPosition,
    seen,
    checked,
    attempted,
    semiSync,
    ...rest
  } = raw;
  const masterKey = typeof master === 'string' ? parseInstanceKey(master) : null;
  const seenAt = at(seen, FIXTURE_NOW - 1000);
  const checkedAt = at(checked, FIXTURE_NOW - 1000);
  const isSqlRunning = sql !== false;
  const ioState = typeof io === 'string' ? io : 'Yes';
  const defaultLag = ioState === 'Yes' && isSqlRunning ? 0 : null;
  const replication =
    masterKey === null
      ? null
      : {
          masterHost: splitInstanceKey(masterKey).host,
          masterPort: splitInstanceKey(masterKey).port,
          masterUser: 'repl',
          ioThreadState: ioState as 'Yes' | 'No' | 'Connecting',
          isSqlThreadRunning: isSqlRunning,
          readBinlogCoordinates: { file: 'mariadb-bin.000001', position: 1000 },
          execBinlogCoordinates: { file: 'mariadb-bin.000001', position: 1000 },
          relaylogCoordinates: { file: 'relay-bin.000002', position: 500 },
          lastIoErrno: typeof ioError === 'string' && ioError !== '' ? 2003 : 0,
          lastIoError: typeof ioError === 'string' ? ioError : '',
          lastSqlErrno: typeof sqlError === 'string' && sqlError !== '' ? 1062 : 0,
          lastSqlError: typeof sqlError === 'string' ? sqlError : '',
          secondsBehindMaster: typeof lag === 'number' ? lag : lag === null ? null : defaultLag,
          sqlDelaySeconds: typeof sqlDelay === 'number' ? sqlDelay : 0,
          usingMariaDbGtid: typeof gtid === 'string' ? gtid : 'Slave_Pos',
          isAutoPosition: autoPosition === true,
          masterUuid: '',
          retrievedGtidSet: '',
        };
  return {
    ...base,
    hostname: host,
    serverId: 1,
    version: '10.11.6-MariaDB-0+deb12u1-log',
    versionComment: 'Debian 12',
    flavor: 'mariadb',
    majorVersion: '10.11',
    uptimeSeconds: 3600,
    isReadOnly: masterKey !== null,
    hasLogBin: true,
    hasLogReplicaUpdates: true,
    binlogFormat: 'ROW',
    selfBinlogCoordinates: { file: 'mariadb-bin.000001', position: 1000 },
    masterKey,
    replication,
    semiSync: { ...base.semiSync, ...((semiSync as Json | undefined) ?? {}) },
    lastSeenAt: seenAt,
    lastCheckedAt: checkedAt,
    lastAttemptedCheckAt: at(attempted, checkedAt),
    ...(rest as Partial<Instance>),
    binlogCoordinatesUnchangedSince: at(rest['binlogCoordinatesUnchangedSince'], null),
  } as Instance;
}

export function fixtureSnapshot(raw: Json): AnalysisSnapshot {
  const rel = (v: unknown): number | null => at(v, null);
  const keyed = (list: unknown): Json[] => (Array.isArray(list) ? (list as Json[]) : []);
  return {
    now: FIXTURE_NOW,
    instances: keyed(raw['instances']).map(fixtureInstance),
    downtimes: keyed(raw['downtimes']).map((d) => ({
      key: parseInstanceKey(String(d['key'])) as InstanceKey,
      endsAt: rel(d['endsIn']),
    })),
    maintenance: keyed(raw['maintenance']).map((d) => ({
      key: parseInstanceKey(String(d['key'])),
      endsAt: rel(d['endsIn']),
    })),
    candidates: keyed(raw['candidates']).map((d) => ({
      key: parseInstanceKey(String(d['key'])),
      promotionRule: d['promotionRule'] as Instance['promotionRule'],
      expiresAt: rel(d['expiresIn']),
    })),
  };
}

const k = (x: { Hostname: string; Port: number }): string => (x.Hostname === '' ? '-' : `${x.Hostname}:${x.Port}`);
const yn = (b: boolean): string => (b ? 'yes' : 'no');

/** One line per entry: what an operator reads to check the verdict. */
export function formatAnalysis(entries: readonly ReplicationAnalysis[]): string {
  return (
    entries
      .map(
        (e) =>
          `${k(e.AnalyzedInstanceKey)} ${e.Analysis}` +
          ` | master=${k(e.AnalyzedInstanceMasterKey)} cluster=${e.ClusterDetails.ClusterName} depth=${e.ReplicationDepth}` +
          ` | replicas=${e.CountReplicas} valid=${e.CountValidReplicas} replicating=${e.CountValidReplicatingReplicas}` +
          ` connected=${e.CountValidReplicasConnectedToMaster} failing=${e.CountReplicasFailingToConnectToMaster}` +
          ` | structure=${e.StructureAnalysis.length === 0 ? '-' : e.StructureAnalysis.join(',')}` +
          ` | downtimed=${yn(e.IsDowntimed)} skippable=${yn(e.SkippableDueToDowntime)}`,
      )
      .join('\n') + '\n'
  );
}

// What to ask a server and how to read its answers, by flavour and version. Pure functions: the
// probe's I/O lives in instance-prober.ts. Every statement that a version may not know comes with
// alternatives, so an unknown statement is never the reason a probe fails.
import type { BinlogCoordinates, IoThreadState, ReplicationStatus, ServerFlavor } from '../instance/instance.js';

/** A parsed server version. */
export interface ServerVersion {
  readonly flavor: ServerFlavor;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `major.minor`. */
  readonly majorVersion: string;
}

/** Reads `@@version` / `@@version_comment` (MariaDB says so in the version, Percona in the comment). */
export function parseServerVersion(version: string, versionComment = ''): ServerVersion {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  const [major, minor, patch] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const flavor: ServerFlavor = /mariadb/i.test(version)
    ? 'mariadb'
    : /percona/i.test(versionComment)
      ? 'percona'
      : m
        ? 'mysql'
        : 'unknown';
  return { flavor, major, minor, patch, majorVersion: `${major}.${minor}` };
}

function atLeast(v: ServerVersion, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

const isMysqlFamily = (v: ServerVersion): boolean => v.flavor === 'mysql' || v.flavor === 'percona';

/** Statements for the replica's own replication status, best first. */
export function replicaStatusStatements(v: ServerVersion): readonly string[] {
  if (isMysqlFamily(v) && atLeast(v, 8, 0, 22)) return ['SHOW REPLICA STATUS', 'SHOW SLAVE STATUS'];
  if (v.flavor === 'mariadb' && atLeast(v, 10, 5, 1)) return ['SHOW SLAVE STATUS', 'SHOW REPLICA STATUS'];
  return ['SHOW SLAVE STATUS'];
}

/**
 * MySQL's heartbeat counter and period of the default channel, the silent-source witness that
 * MariaDB keeps in `Slave_received_heartbeats` (ADR 0503). MySQL's SHOW REPLICA STATUS lacks them.
 */
export const MYSQL_HEARTBEAT_QUERY =
  "SELECT s.COUNT_RECEIVED_HEARTBEATS AS received_heartbeats, c.HEARTBEAT_INTERVAL AS heartbeat_period FROM performance_schema.replication_connection_status s JOIN performance_schema.replication_connection_configuration c ON c.CHANNEL_NAME = s.CHANNEL_NAME WHERE s.CHANNEL_NAME = ''";

/** Statements that read a replica's heartbeat counter beside its status: none where the status row or global status has it. */
export function heartbeatStatements(v: ServerVersion): readonly string[] {
  return isMysqlFamily(v) ? [MYSQL_HEARTBEAT_QUERY] : [];
}

/**
 * Adds the counter and period of a {@link MYSQL_HEARTBEAT_QUERY} row to a replication status
 * that lacks them; the status is returned unchanged when the row is missing.
 */
export function withMysqlHeartbeats(rep: ReplicationStatus, row: Row | undefined): ReplicationStatus {
  if (row === undefined) return rep;
  return {
    ...rep,
    receivedHeartbeats: rep.receivedHeartbeats ?? optionalNum(row, 'received_heartbeats', 'COUNT_RECEIVED_HEARTBEATS'),
    heartbeatPeriodSeconds: rep.heartbeatPeriodSeconds ?? optionalNum(row, 'heartbeat_period', 'HEARTBEAT_INTERVAL'),
  };
}

/** Statements for the server's own binary log position, best first. */
export function binlogStatusStatements(v: ServerVersion): readonly string[] {
  if (isMysqlFamily(v) && atLeast(v, 8, 2, 0)) return ['SHOW BINARY LOG STATUS', 'SHOW MASTER STATUS'];
  if (v.flavor === 'mariadb' && atLeast(v, 10, 5, 2)) return ['SHOW MASTER STATUS', 'SHOW BINLOG STATUS'];
  return ['SHOW MASTER STATUS'];
}

/** Statements listing registered replicas (report_host/report_port), best first. */
export function replicaHostsStatements(v: ServerVersion): readonly string[] {
  if (isMysqlFamily(v) && atLeast(v, 8, 0, 22)) return ['SHOW REPLICAS', 'SHOW SLAVE HOSTS'];
  return ['SHOW SLAVE HOSTS'];
}

/** Replicas connected to this server by its processlist: the fallback when SHOW SLAVE HOSTS fails. */
export const PROCESSLIST_REPLICAS_QUERY =
  "SELECT SUBSTRING_INDEX(host, ':', 1) AS host FROM information_schema.processlist WHERE command IN ('Binlog Dump', 'Binlog Dump GTID')";

/** Global variables the probe reads, in one statement that never fails on a name the server lacks. */
export const PROBE_VARIABLES = [
  'hostname',
  'report_host',
  'report_port',
  'port',
  'server_id',
  'server_uuid',
  'version',
  'version_comment',
  'read_only',
  'binlog_format',
  'log_bin',
  'log_slave_updates',
  'log_replica_updates',
  'gtid_mode',
  'gtid_executed',
  'gtid_purged',
  'gtid_binlog_state',
  'gtid_current_pos',
  'rpl_semi_sync_master_enabled',
  'rpl_semi_sync_source_enabled',
  'rpl_semi_sync_slave_enabled',
  'rpl_semi_sync_replica_enabled',
  'rpl_semi_sync_master_wait_for_slave_count',
  'rpl_semi_sync_source_wait_for_replica_count',
] as const;

/** Status counters the probe reads. */
export const PROBE_STATUS = [
  'Uptime',
  'Rpl_semi_sync_master_status',
  'Rpl_semi_sync_source_status',
  'Rpl_semi_sync_master_clients',
  'Rpl_semi_sync_source_clients',
  'Rpl_semi_sync_slave_status',
  'Rpl_semi_sync_replica_status',
  'Slaves_connected',
  // MariaDB: the default connection's heartbeat counter and period (silent-source witnesses).
  'Slave_received_heartbeats',
  'Slave_heartbeat_period',
] as const;

const inList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ');

/** `SHOW GLOBAL VARIABLES WHERE Variable_name IN (...)`: returns only the names the server has. */
export const VARIABLES_QUERY = `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${inList(PROBE_VARIABLES)})`;
/** `SHOW GLOBAL STATUS WHERE Variable_name IN (...)`. */
export const STATUS_QUERY = `SHOW GLOBAL STATUS WHERE Variable_name IN (${inList(PROBE_STATUS)})`;

type Row = Readonly<Record<string, unknown>>;

/** Name/value rows (`Variable_name`, `Value`) into a map keyed by lower-case name. */
export function nameValueRows(rows: readonly Row[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rows) {
    const name = r['Variable_name'] ?? r['variable_name'];
    const value = r['Value'] ?? r['value'];
    if (typeof name === 'string')
      out.set(name.toLowerCase(), value === null || value === undefined ? '' : String(value));
  }
  return out;
}

/** A boolean server variable: ON, 1, YES, TRUE. */
export function isOn(value: string | undefined): boolean {
  return value !== undefined && ['ON', '1', 'YES', 'TRUE'].includes(value.trim().toUpperCase());
}

function pick(row: Row, ...names: string[]): unknown {
  for (const n of names) if (n in row) return row[n];
  return undefined;
}
function str(row: Row, ...names: string[]): string {
  const v = pick(row, ...names);
  return v === null || v === undefined ? '' : String(v);
}
function num(row: Row, ...names: string[]): number {
  const v = Number(pick(row, ...names));
  return Number.isFinite(v) ? v : 0;
}
function optionalNum(row: Row, ...names: string[]): number | null {
  const v = pick(row, ...names);
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
function coords(file: string, pos: number): BinlogCoordinates | null {
  return file === '' ? null : { file, position: pos };
}

/** One row of SHOW SLAVE STATUS / SHOW REPLICA STATUS (old or new column names) into a {@link ReplicationStatus}. */
export function parseReplicationStatus(row: Row): ReplicationStatus {
  const io = str(row, 'Replica_IO_Running', 'Slave_IO_Running');
  const ioThreadState: IoThreadState = io === 'Yes' ? 'Yes' : io === 'Connecting' ? 'Connecting' : 'No';
  const lag = pick(row, 'Seconds_Behind_Source', 'Seconds_Behind_Master');
  return {
    masterHost: str(row, 'Source_Host', 'Master_Host'),
    masterPort: num(row, 'Source_Port', 'Master_Port'),
    masterUser: str(row, 'Source_User', 'Master_User'),
    ioThreadState,
    isSqlThreadRunning: str(row, 'Replica_SQL_Running', 'Slave_SQL_Running') === 'Yes',
    readBinlogCoordinates: coords(
      str(row, 'Source_Log_File', 'Master_Log_File'),
      num(row, 'Read_Source_Log_Pos', 'Read_Master_Log_Pos'),
    ),
    execBinlogCoordinates: coords(
      str(row, 'Relay_Source_Log_File', 'Relay_Master_Log_File'),
      num(row, 'Exec_Source_Log_Pos', 'Exec_Master_Log_Pos'),
    ),
    relaylogCoordinates: coords(str(row, 'Relay_Log_File'), num(row, 'Relay_Log_Pos')),
    lastIoErrno: num(row, 'Last_IO_Errno'),
    lastIoError: str(row, 'Last_IO_Error'),
    lastSqlErrno: num(row, 'Last_SQL_Errno'),
    lastSqlError: str(row, 'Last_SQL_Error'),
    secondsBehindMaster: lag === null || lag === undefined || lag === '' ? null : Number(lag),
    sqlDelaySeconds: num(row, 'SQL_Delay'),
    usingMariaDbGtid: str(row, 'Using_Gtid'),
    isAutoPosition: num(row, 'Auto_Position') === 1,
    masterUuid: str(row, 'Source_UUID', 'Master_UUID'),
    retrievedGtidSet: str(row, 'Gtid_IO_Pos', 'Retrieved_Gtid_Set'),
    receivedHeartbeats: optionalNum(row, 'Slave_received_heartbeats'),
    heartbeatPeriodSeconds: optionalNum(row, 'Slave_heartbeat_period'),
  };
}

/** One row of SHOW MASTER STATUS / SHOW BINARY LOG STATUS / SHOW BINLOG STATUS. */
export function parseBinlogStatus(row: Row | undefined): BinlogCoordinates | null {
  if (row === undefined) return null;
  return coords(str(row, 'File'), num(row, 'Position'));
}

/** A replica listed by SHOW SLAVE HOSTS / SHOW REPLICAS; host '' when the replica sets no report_host. */
export interface ReportedReplica {
  readonly host: string;
  readonly port: number;
  readonly serverId: number;
}

/** Rows of SHOW SLAVE HOSTS / SHOW REPLICAS. */
export function parseReplicaHosts(rows: readonly Row[]): ReportedReplica[] {
  return rows.map((r) => ({ host: str(r, 'Host'), port: num(r, 'Port'), serverId: num(r, 'Server_id', 'Server_Id') }));
}

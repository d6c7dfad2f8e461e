// What a MariaDB 10.11 answers to the statements orc's probe sends, for fakes built on
// serveFakeMysqlConnection: one place for the variable names, the SHOW SLAVE STATUS columns and
// their order, so the discovery bench's fleet and the tests' fakes answer the same way.
import type { FakeMysqlAnswer } from './fake-mysql-connection.js';

/** A replica's view of its source, as SHOW SLAVE STATUS reports it. */
export interface FakeMariaDbSource {
  readonly host: string;
  readonly port: number;
  /** `Slave_IO_State`, e.g. `Waiting for master to send event`. */
  readonly ioState: string;
  /** `Slave_IO_Running`: `Yes`, `Connecting` or `No`. */
  readonly ioRunning: string;
  /** `Seconds_Behind_Master`; null while the IO thread is not connected. */
  readonly lagSeconds: number | null;
  readonly ioErrno: number;
  readonly ioError: string;
}

/** The state a fake MariaDB server reports. */
export interface FakeMariaDbServer {
  /** `hostname` and `report_host`. */
  readonly host: string;
  readonly port: number;
  readonly serverId: number;
  readonly version: string;
  readonly versionComment: string;
  /** `gtid_binlog_state`, `gtid_current_pos` and a replica's `Gtid_IO_Pos`. */
  readonly gtid: string;
  /** Binlog position (and, on a replica, the read and executed positions). */
  readonly position: number;
  readonly uptimeSeconds: number;
  /** The replicas SHOW SLAVE HOSTS lists (a primary's). */
  readonly replicas: readonly { readonly serverId: number; readonly host: string; readonly port: number }[];
  /** The source of a replica; null for a primary (which is then writable). */
  readonly source: FakeMariaDbSource | null;
}

const SLAVE_STATUS_COLUMNS = [
  'Slave_IO_State',
  'Master_Host',
  'Master_User',
  'Master_Port',
  'Master_Log_File',
  'Read_Master_Log_Pos',
  'Relay_Log_File',
  'Relay_Log_Pos',
  'Relay_Master_Log_File',
  'Slave_IO_Running',
  'Slave_SQL_Running',
  'Exec_Master_Log_Pos',
  'Seconds_Behind_Master',
  'Last_IO_Errno',
  'Last_IO_Error',
  'Last_SQL_Errno',
  'Last_SQL_Error',
  'SQL_Delay',
  'Using_Gtid',
  'Gtid_IO_Pos',
];

const rows = (columns: readonly string[], values: readonly (readonly unknown[])[]): FakeMysqlAnswer => ({
  columns,
  rows: values,
});

/**
 * The answer of a MariaDB 10.11 in state `s` to one of orc's probe statements; undefined for any
 * other statement (the caller decides: serveFakeMysqlConnection answers ER_PARSE_ERROR).
 *
 * @example
 * serveFakeMysqlConnection(conn, { serverVersion: s.version, connectionId: 1, answer: (sql) => fakeMariaDbProbeAnswer(s, sql) });
 */
export function fakeMariaDbProbeAnswer(s: FakeMariaDbServer, sql: string): FakeMysqlAnswer | undefined {
  const src = s.source;
  if (sql.startsWith('SHOW GLOBAL VARIABLES'))
    return rows(
      ['Variable_name', 'Value'],
      [
        ['hostname', s.host],
        ['report_host', s.host],
        ['report_port', s.port],
        ['port', s.port],
        ['server_id', s.serverId],
        ['version', s.version],
        ['version_comment', s.versionComment],
        ['read_only', src === null ? 'OFF' : 'ON'],
        ['binlog_format', 'ROW'],
        ['log_bin', 'ON'],
        ['log_slave_updates', 'ON'],
        ['gtid_binlog_state', s.gtid],
        ['gtid_current_pos', s.gtid],
      ],
    );
  if (sql.startsWith('SHOW GLOBAL STATUS'))
    return rows(
      ['Variable_name', 'Value'],
      [
        ['Uptime', s.uptimeSeconds],
        ['Slaves_connected', s.replicas.length],
      ],
    );
  if (sql === 'SHOW MASTER STATUS')
    return rows(['File', 'Position', 'Binlog_Do_DB', 'Binlog_Ignore_DB'], [['mariadb-bin.000001', s.position, '', '']]);
  if (sql === 'SHOW SLAVE STATUS') {
    if (src === null) return rows(SLAVE_STATUS_COLUMNS, []);
    return rows(SLAVE_STATUS_COLUMNS, [
      [
        src.ioState,
        src.host,
        'repl',
        src.port,
        'mariadb-bin.000001',
        s.position,
        'relay-bin.000002',
        s.position,
        'mariadb-bin.000001',
        src.ioRunning,
        'Yes',
        s.position,
        src.lagSeconds,
        src.ioErrno,
        src.ioError,
        0,
        '',
        0,
        'Slave_Pos',
        s.gtid,
      ],
    ]);
  }
  if (sql === 'SHOW SLAVE HOSTS')
    return rows(
      ['Server_id', 'Host', 'Port', 'Master_id'],
      s.replicas.map((r) => [r.serverId, r.host, r.port, s.serverId]),
    );
  if (sql.includes('information_schema.processlist')) return rows(['host'], []);
  return undefined;
}

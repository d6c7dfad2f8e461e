// A MariaDB 1+2 made of MySQL-protocol fakes (testenv's serveFakeMysqlConnection) that shows each
// client its own view, chosen by the user it logged in as. With real servers one orc node cannot
// see a primary dead alone: the replicas' IO threads are a fact every node reads the same. Here
// a test makes one daemon's user "blind": the primary drops its connections, and the replicas
// tell it their IO thread cannot reach the primary (Connecting, Last_IO_Errno 2003), so its own
// analysis is DeadMaster while every other user still sees a healthy 1+2.
import { createServer } from 'mysql2';
import {
  serveFakeMysqlConnection,
  type FakeMysqlAnswer,
  type FakeMysqlConnection,
  type FakeMysqlSession,
} from '@orc/testenv';

/** One statement a fake received. */
export interface ReceivedStatement {
  readonly server: 'primary' | 'r1' | 'r2';
  readonly user: string;
  readonly statement: string;
}

/** The running fakes. */
export interface SplitViewTopology {
  /** `127.0.0.1:<port>` of the primary. */
  readonly primaryKey: string;
  readonly primaryPort: number;
  readonly replicaPorts: readonly number[];
  /** Users to whom the primary is gone; change it at any time. */
  readonly blind: Set<string>;
  /** Every statement received, in order. */
  readonly received: readonly ReceivedStatement[];
  close(): Promise<void>;
}

const VERSION = '10.11.6-MariaDB-log';
const GTID = '0-1-100';
const rows = (columns: string[], ...values: unknown[][]): FakeMysqlAnswer => ({ columns, rows: values });

interface Member {
  readonly name: ReceivedStatement['server'];
  readonly serverId: number;
  port: number;
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

function answer(
  m: Member,
  members: readonly Member[],
  blind: ReadonlySet<string>,
  sql: string,
  session: FakeMysqlSession,
): FakeMysqlAnswer | undefined {
  const primary = members[0] as Member;
  const isPrimary = m === primary;
  const isBlind = blind.has(session.user);
  if (isPrimary && isBlind) return { drop: true };
  if (sql.startsWith('SHOW GLOBAL VARIABLES'))
    return rows(
      ['Variable_name', 'Value'],
      ['hostname', '127.0.0.1'],
      ['report_host', '127.0.0.1'],
      ['report_port', m.port],
      ['port', m.port],
      ['server_id', m.serverId],
      ['version', VERSION],
      ['version_comment', 'orc split-view fake'],
      ['read_only', isPrimary ? 'OFF' : 'ON'],
      ['binlog_format', 'ROW'],
      ['log_bin', 'ON'],
      ['log_slave_updates', 'ON'],
      ['gtid_binlog_state', GTID],
      ['gtid_current_pos', GTID],
    );
  if (sql.startsWith('SHOW GLOBAL STATUS'))
    return rows(['Variable_name', 'Value'], ['Uptime', 1000], ['Slaves_connected', isPrimary ? 2 : 0]);
  if (sql === 'SHOW MASTER STATUS')
    return rows(['File', 'Position', 'Binlog_Do_DB', 'Binlog_Ignore_DB'], ['mariadb-bin.000001', 1000, '', '']);
  if (sql === 'SHOW SLAVE STATUS') {
    if (isPrimary) return rows(SLAVE_STATUS_COLUMNS);
    const io = isBlind
      ? {
          state: 'Reconnecting after a failed master event read',
          running: 'Connecting',
          lag: null,
          errno: 2003,
          error: `error reconnecting to master 'repl@127.0.0.1:${primary.port}' - retry-time: 60  maximum-retries: 86400  message: Can't connect to server on '127.0.0.1' (111 "Connection refused")`,
        }
      : { state: 'Waiting for master to send event', running: 'Yes', lag: 0, errno: 0, error: '' };
    const p = primary.port;
    return rows(SLAVE_STATUS_COLUMNS, [
      io.state,
      '127.0.0.1',
      'repl',
      p,
      'mariadb-bin.000001',
      1000,
      'relay-bin.000002',
      1000,
      'mariadb-bin.000001',
      io.running,
      'Yes',
      1000,
      io.lag,
      io.errno,
      io.error,
      0,
      '',
      0,
      'Slave_Pos',
      GTID,
    ]);
  }
  if (sql === 'SHOW SLAVE HOSTS')
    return rows(
      ['Server_id', 'Host', 'Port', 'Master_id'],
      ...(isPrimary ? members.slice(1).map((r) => [r.serverId, '127.0.0.1', r.port, primary.serverId]) : []),
    );
  if (sql.includes('information_schema.processlist')) return rows(['host']);
  // Anything else (a recovery's statements) gets ER_PARSE_ERROR: a recovery attempted against
  // these fakes starts and fails, which is all a test needs of it.
  return undefined;
}

/**
 * Starts the primary and two replicas on 127.0.0.1 (ports chosen by the system).
 *
 * @example
 * const topo = await startSplitViewTopology();
 * topo.blind.add('orc2'); // the daemon logging in as orc2 now sees DeadMaster; the others do not
 * await topo.close();
 */
export async function startSplitViewTopology(): Promise<SplitViewTopology> {
  const members: Member[] = [
    { name: 'primary', serverId: 1, port: 0 },
    { name: 'r1', serverId: 2, port: 0 },
    { name: 'r2', serverId: 3, port: 0 },
  ];
  const blind = new Set<string>();
  const received: ReceivedStatement[] = [];
  const conns: FakeMysqlConnection[] = [];
  const servers = await Promise.all(
    members.map(async (m) => {
      const server = createServer((c) => {
        const conn = c as unknown as FakeMysqlConnection;
        conns.push(conn);
        serveFakeMysqlConnection(conn, {
          serverVersion: VERSION,
          connectionId: conns.length,
          answer: (sql, session) => answer(m, members, blind, sql, session),
          onStatement: (statement, session) => received.push({ server: m.name, user: session.user, statement }),
        });
      }) as unknown as {
        listen(port: number, host: string, cb: () => void): void;
        close(cb: () => void): void;
        _server: { address(): { port: number } };
      };
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      m.port = server._server.address().port;
      return server;
    }),
  );
  const [primary, r1, r2] = members as [Member, Member, Member];
  return {
    primaryKey: `127.0.0.1:${primary.port}`,
    primaryPort: primary.port,
    replicaPorts: [r1.port, r2.port],
    blind,
    received,
    close: async () => {
      for (const c of conns) c.stream.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

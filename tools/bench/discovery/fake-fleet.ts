// A worker of the discovery bench: serves the MySQL protocol (mysql2's server side) for servers
// [from, to) of the simulated fleet, one listener per loopback address, answering exactly the
// statements orc's probe sends, like a MariaDB 10.11 would. Prints "ready" when listening.
// Run by main.ts: node --conditions=@orc/source --import tools/scripts/ts-hooks.mjs fake-fleet.ts <from> <to> <port>
import { createRequire } from 'node:module';
import { serveFakeMysqlConnection, type FakeMysqlAnswer, type FakeMysqlConnection } from '../../testenv/src/index.ts';
import { MEMBERS_PER_CLUSTER, addressOf, indexOf, primaryOf } from './fleet-layout.ts';

const require = createRequire(new URL('../../../packages/topology/package.json', import.meta.url));
const mysql = require('mysql2') as {
  createServer(): {
    listen(port: number, host: string, cb: () => void): void;
    on(event: 'connection', cb: (conn: FakeMysqlConnection) => void): void;
    on(event: 'error', cb: (e: Error) => void): void;
  };
};

const [from, to, port] = process.argv.slice(2).map(Number) as [number, number, number];
const started = Date.now();
let connectionId = 0;

const result = (columns: string[], rows: unknown[][]): FakeMysqlAnswer => ({ columns, rows });

function answer(i: number, sql: string): FakeMysqlAnswer {
  const p = primaryOf(i);
  const isPrimary = p === i;
  const ip = addressOf(i);
  const position = 4 + Math.floor((Date.now() - started) / 100) * 200; // the primary keeps writing
  if (sql.startsWith('SHOW GLOBAL VARIABLES')) {
    return result(
      ['Variable_name', 'Value'],
      [
        ['hostname', ip],
        ['report_host', ip],
        ['report_port', port],
        ['port', port],
        ['server_id', i + 1],
        ['version', '10.11.6-MariaDB-log'],
        ['version_comment', 'orc bench fake'],
        ['read_only', isPrimary ? 'OFF' : 'ON'],
        ['binlog_format', 'ROW'],
        ['log_bin', 'ON'],
        ['log_slave_updates', 'ON'],
        ['gtid_binlog_state', `0-${p + 1}-${position}`],
        ['gtid_current_pos', `0-${p + 1}-${position}`],
      ],
    );
  }
  if (sql.startsWith('SHOW GLOBAL STATUS')) {
    return result(
      ['Variable_name', 'Value'],
      [
        ['Uptime', Math.floor((Date.now() - started) / 1000) + 1],
        ['Slaves_connected', isPrimary ? MEMBERS_PER_CLUSTER - 1 : 0],
      ],
    );
  }
  if (sql === 'SHOW MASTER STATUS') {
    return result(['File', 'Position', 'Binlog_Do_DB', 'Binlog_Ignore_DB'], [['mariadb-bin.000001', position, '', '']]);
  }
  if (sql === 'SHOW SLAVE STATUS') {
    const names = [
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
    if (isPrimary) return result(names, []);
    return result(names, [
      [
        'Waiting for master to send event',
        addressOf(p),
        'repl',
        port,
        'mariadb-bin.000001',
        position,
        'relay-bin.000002',
        position,
        'mariadb-bin.000001',
        'Yes',
        'Yes',
        position,
        0,
        0,
        '',
        0,
        '',
        0,
        'Slave_Pos',
        `0-${p + 1}-${position}`,
      ],
    ]);
  }
  if (sql === 'SHOW SLAVE HOSTS') {
    const rows: unknown[][] = [];
    if (isPrimary) for (let m = 1; m < MEMBERS_PER_CLUSTER; m++) rows.push([i + m + 1, addressOf(i + m), port, i + 1]);
    return result(['Server_id', 'Host', 'Port', 'Master_id'], rows);
  }
  if (sql.includes('information_schema.processlist')) return result(['host'], []);
  return { errno: 1064, message: `fake fleet: unsupported statement: ${sql}` };
}

let listening = 0;
const total = to - from;
for (let i = from; i < to; i++) {
  const server = mysql.createServer();
  server.on('error', (e) => {
    console.error(`fleet ${addressOf(i)}: ${e.message}`);
    process.exit(1);
  });
  server.on('connection', (conn) => {
    const idx = indexOf(conn.stream.localAddress ?? '');
    serveFakeMysqlConnection(conn, {
      serverVersion: '10.11.6-MariaDB-log',
      connectionId: ++connectionId,
      answer: (statement) => answer(idx, statement),
    });
  });
  server.listen(port, addressOf(i), () => {
    if (++listening === total) console.log('ready');
  });
}

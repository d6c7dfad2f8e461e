// A worker of the discovery bench: serves the MySQL protocol (mysql2's server side) for servers
// [from, to) of the simulated fleet, one listener per loopback address, answering exactly the
// statements orc's probe sends, like a MariaDB 10.11 would. Prints "ready" when listening.
// Run by main.ts: node --conditions=@orc/source fake-fleet.ts <from> <to> <port>
import { createRequire } from 'node:module';
import { MEMBERS_PER_CLUSTER, addressOf, indexOf, primaryOf } from './fleet-layout.ts';

const require = createRequire(new URL('../../../packages/topology/package.json', import.meta.url));
const mysql = require('mysql2') as {
  createServer(): {
    listen(port: number, host: string, cb: () => void): void;
    on(event: 'connection', cb: (conn: FakeConn) => void): void;
    on(event: 'error', cb: (e: Error) => void): void;
  };
};

interface FakeConn {
  sequenceId: number;
  writeOk(args?: unknown): void;
  stream: { localAddress?: string; on(e: string, cb: (err?: Error) => void): void };
  serverHandshake(args: Record<string, unknown>): void;
  on(event: 'query', cb: (sql: string) => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  writeColumns(columns: unknown[]): void;
  writeTextRow(row: unknown[]): void;
  writeEof(warnings?: number, statusFlags?: number): void;
  writeError(args: { code: number; message: string }): void;
}

const [from, to, port] = process.argv.slice(2).map(Number) as [number, number, number];
const started = Date.now();
let connectionId = 0;

const column = (name: string) => ({
  catalog: 'def',
  schema: '',
  table: '',
  orgTable: '',
  name,
  orgName: name,
  characterSet: 33,
  columnLength: 255,
  columnType: 253,
  flags: 0,
  decimals: 0,
});

const SERVER_STATUS_AUTOCOMMIT = 0x0002;
const SERVER_MORE_RESULTS_EXISTS = 0x0008;
let moreResults = false; // set while answering all but the last statement of a multi-statement query

function result(conn: FakeConn, names: string[], rows: unknown[][]): void {
  conn.writeColumns(names.map(column));
  for (const r of rows) conn.writeTextRow(r.map((v) => (v === null ? null : String(v))));
  conn.writeEof(0, SERVER_STATUS_AUTOCOMMIT | (moreResults ? SERVER_MORE_RESULTS_EXISTS : 0));
}

function answer(conn: FakeConn, i: number, sql: string): void {
  const p = primaryOf(i);
  const isPrimary = p === i;
  const ip = addressOf(i);
  const position = 4 + Math.floor((Date.now() - started) / 100) * 200; // the primary keeps writing
  if (sql.startsWith('SHOW GLOBAL VARIABLES')) {
    return result(
      conn,
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
      conn,
      ['Variable_name', 'Value'],
      [
        ['Uptime', Math.floor((Date.now() - started) / 1000) + 1],
        ['Slaves_connected', isPrimary ? MEMBERS_PER_CLUSTER - 1 : 0],
      ],
    );
  }
  if (sql === 'SHOW MASTER STATUS') {
    return result(
      conn,
      ['File', 'Position', 'Binlog_Do_DB', 'Binlog_Ignore_DB'],
      [['mariadb-bin.000001', position, '', '']],
    );
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
    if (isPrimary) return result(conn, names, []);
    return result(conn, names, [
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
    return result(conn, ['Server_id', 'Host', 'Port', 'Master_id'], rows);
  }
  if (sql.includes('information_schema.processlist')) return result(conn, ['host'], []);
  conn.writeError({ code: 1064, message: `fake fleet: unsupported statement: ${sql}` });
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
    conn.on('error', () => {});
    conn.stream.on('error', () => {});
    // mysql2's server side keeps counting packet numbers across commands, while a client numbers
    // each command from 0: reset after the handshake's OK and after every answer.
    const writeOk = conn.writeOk.bind(conn);
    conn.writeOk = (args?: unknown) => {
      writeOk(args);
      conn.sequenceId = 0;
    };
    conn.serverHandshake({
      protocolVersion: 10,
      serverVersion: '10.11.6-MariaDB-log',
      connectionId: ++connectionId,
      statusFlags: 2,
      characterSet: 8,
      capabilityFlags: 0xffffff & ~0x800, // everything but TLS
    });
    conn.on('query', (sql) => {
      // orc batches its probe statements (multipleStatements): answer each, flagging all but the last.
      const statements = sql
        .split(';')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      statements.forEach((statement, n) => {
        moreResults = n < statements.length - 1;
        answer(conn, idx, statement);
      });
      moreResults = false;
      conn.sequenceId = 0;
    });
  });
  server.listen(port, addressOf(i), () => {
    if (++listening === total) console.log('ready');
  });
}

// A worker of the discovery bench: serves the MySQL protocol (mysql2's server side) for servers
// [from, to) of the simulated fleet, one listener per loopback address, answering exactly the
// statements orc's probe sends, like a MariaDB 10.11 would. Prints "ready" when listening.
// Run by main.ts: node --conditions=@orc/source --import tools/scripts/ts-hooks.mjs fake-fleet.ts <from> <to> <port>
import { createRequire } from 'node:module';
import {
  fakeMariaDbProbeAnswer,
  serveFakeMysqlConnection,
  type FakeMariaDbServer,
  type FakeMysqlAnswer,
  type FakeMysqlConnection,
} from '../../testenv/src/index.ts';
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

const VERSION = '10.11.6-MariaDB-log';

function answer(i: number, sql: string): FakeMysqlAnswer {
  const p = primaryOf(i);
  const isPrimary = p === i;
  const position = 4 + Math.floor((Date.now() - started) / 100) * 200; // the primary keeps writing
  const replicas = [];
  if (isPrimary)
    for (let m = 1; m < MEMBERS_PER_CLUSTER; m++) replicas.push({ serverId: i + m + 1, host: addressOf(i + m), port });
  const server: FakeMariaDbServer = {
    host: addressOf(i),
    port,
    serverId: i + 1,
    version: VERSION,
    versionComment: 'orc bench fake',
    gtid: `0-${p + 1}-${position}`,
    position,
    uptimeSeconds: Math.floor((Date.now() - started) / 1000) + 1,
    replicas,
    source: isPrimary
      ? null
      : {
          host: addressOf(p),
          port,
          ioState: 'Waiting for master to send event',
          ioRunning: 'Yes',
          lagSeconds: 0,
          ioErrno: 0,
          ioError: '',
        },
  };
  return fakeMariaDbProbeAnswer(server, sql) ?? { errno: 1064, message: `fake fleet: unsupported statement: ${sql}` };
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
      serverVersion: VERSION,
      connectionId: ++connectionId,
      answer: (statement) => answer(idx, statement),
    });
  });
  server.listen(port, addressOf(i), () => {
    if (++listening === total) console.log('ready');
  });
}

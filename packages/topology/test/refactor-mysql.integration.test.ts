// The refactoring operations against MySQL-protocol fakes speaking MySQL 8.4: the statements they
// send (STOP/START REPLICA, CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1,
// super_read_only, the `//host` detach) and their verification on what the fakes report. Each fake
// keeps a little state (source, threads, gtid_executed, read_only) for verification to read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FakeMysqlAnswer } from '@orc/testenv';
import type { Instance, InstanceKey } from '../src/index.js';
import { MysqlGtidSet, RefactorOps, instanceKey, systemClock, unseenInstance } from '../src/index.js';
import type { FakeMysqlServer } from './fake-mysql-server.js';
import { fakeServerConnector, startFakeMysqlServer } from './fake-mysql-server.js';

interface FakeState {
  readonly serverId: number;
  readOnly: boolean;
  superReadOnly: boolean;
  gtid: string;
  sourceHost: string | null;
  sourcePort: number;
  running: boolean;
}

const rows = (columns: string[], ...values: unknown[][]): FakeMysqlAnswer => ({ columns, rows: values });
const ok = rows(['ok']);
const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';

function answerFor(s: FakeState, byPort: Map<number, FakeState>): (sql: string) => FakeMysqlAnswer | undefined {
  return (sql) => {
    if (sql.startsWith('SELECT @@GLOBAL.version '))
      return rows(['version', 'version_comment'], ['8.4.2', 'MySQL Community Server - GPL']);
    if (sql.startsWith('SELECT @@GLOBAL.server_id'))
      return rows(
        ['server_id', 'read_only', 'log_bin', 'log_slave_updates', 'binlog_format'],
        [s.serverId, s.readOnly ? 1 : 0, 1, 1, 'ROW'],
      );
    if (sql === 'SELECT @@GLOBAL.gtid_mode AS gtid_mode') return rows(['gtid_mode'], ['ON']);
    if (sql.startsWith('SELECT @@GLOBAL.gtid_executed AS pos')) return rows(['pos', 'binlog_pos'], [s.gtid, s.gtid]);
    if (sql.startsWith('SELECT @@GLOBAL.read_only AS read_only'))
      return rows(['read_only', 'super_read_only'], [s.readOnly ? 1 : 0, s.superReadOnly ? 1 : 0]);
    if (sql === 'SHOW REPLICA STATUS') {
      if (s.sourceHost === null) return rows(['x']);
      return rows(
        [
          'Source_Host',
          'Source_Port',
          'Replica_IO_Running',
          'Replica_SQL_Running',
          'Auto_Position',
          'Last_IO_Errno',
          'Last_SQL_Errno',
        ],
        [s.sourceHost, s.sourcePort, s.running ? 'Yes' : 'No', s.running ? 'Yes' : 'No', 1, 0, 0],
      );
    }
    if (sql === 'STOP REPLICA') {
      s.running = false;
      return ok;
    }
    if (sql === 'START REPLICA') {
      s.running = true;
      const src = s.sourceHost === '127.0.0.1' ? byPort.get(s.sourcePort) : undefined;
      if (src !== undefined) s.gtid = MysqlGtidSet.parse(s.gtid).union(MysqlGtidSet.parse(src.gtid)).toString();
      return ok;
    }
    const change =
      /^CHANGE REPLICATION SOURCE TO SOURCE_HOST='([^']*)'(?:, SOURCE_PORT=(\d+), SOURCE_AUTO_POSITION=1)?$/.exec(sql);
    if (change) {
      s.sourceHost = change[1]!;
      if (change[2] !== undefined) s.sourcePort = Number(change[2]);
      return ok;
    }
    const setRo = /^SET GLOBAL (super_read_only|read_only)=([01])$/.exec(sql);
    if (setRo) {
      const on = setRo[2] === '1';
      if (setRo[1] === 'super_read_only') {
        s.superReadOnly = on;
        if (on) s.readOnly = true;
      } else s.readOnly = on;
      return ok;
    }
    const wait = /^SELECT WAIT_FOR_EXECUTED_GTID_SET\('([^']*)', \d+\) AS r$/.exec(sql);
    if (wait) return rows(['r'], [MysqlGtidSet.parse(s.gtid).contains(MysqlGtidSet.parse(wait[1]!)) ? 0 : 1]);
    return undefined;
  };
}

const servers: FakeMysqlServer[] = [];
const states = new Map<string, FakeState>();
const keys = new Map<string, InstanceKey>();
let ops: RefactorOps;

beforeAll(async () => {
  const byPort = new Map<number, FakeState>();
  for (const [name, id] of [
    ['p', 1],
    ['r1', 2],
    ['r2', 3],
  ] as const) {
    const s: FakeState = {
      serverId: id,
      readOnly: name !== 'p',
      superReadOnly: name !== 'p',
      gtid: `${UUID}:1-100`,
      sourceHost: null,
      sourcePort: 0,
      running: false,
    };
    const server = await startFakeMysqlServer('8.4.2', answerFor(s, byPort));
    servers.push(server);
    byPort.set(server.port, s);
    states.set(name, s);
    keys.set(name, instanceKey('127.0.0.1', server.port));
  }
  for (const name of ['r1', 'r2'])
    Object.assign(states.get(name)!, { sourceHost: '127.0.0.1', sourcePort: servers[0]!.port, running: true });
  const snapshot: Instance[] = ['p', 'r1', 'r2'].map((name) => ({
    ...unseenInstance(keys.get(name)!),
    flavor: 'mysql',
    clusterName: keys.get('p')!,
    masterKey: name === 'p' ? null : keys.get('p')!,
  }));
  ops = new RefactorOps({
    connector: fakeServerConnector(),
    clock: systemClock,
    topology: { instances: () => snapshot },
  });
}, 30_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const sentTo = (name: string): string[] =>
  servers[['p', 'r1', 'r2'].indexOf(name)]!.statements.filter((s) => !/^(SELECT|SHOW)\b/.test(s));

describe('refactoring over the MySQL 8.4 protocol', () => {
  it('relocates with REPLICA words and CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1, verified', async () => {
    const done = await ops.relocate(keys.get('r2')!, keys.get('r1')!);
    expect(done.source).toBe(keys.get('r1'));
    const r2 = states.get('r2')!;
    expect([r2.sourcePort, r2.running]).toEqual([servers[1]!.port, true]);
    expect(sentTo('r2')).toEqual(
      expect.arrayContaining([
        'STOP REPLICA',
        `CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=${servers[1]!.port}, SOURCE_AUTO_POSITION=1`,
        'START REPLICA',
      ]),
    );
    expect(servers[2]!.statements.filter((s) => /\bSLAVE\b|CHANGE MASTER/.test(s))).toEqual([]);
  }, 30_000);

  it('sets super_read_only with read_only and clears both, reading them back', async () => {
    await ops.setReadOnly(keys.get('p')!);
    expect([states.get('p')!.readOnly, states.get('p')!.superReadOnly]).toEqual([true, true]);
    await ops.setWriteable(keys.get('p')!);
    expect([states.get('p')!.readOnly, states.get('p')!.superReadOnly]).toEqual([false, false]);
    expect(sentTo('p')).toEqual([
      'SET GLOBAL super_read_only=1',
      'SET GLOBAL super_read_only=0',
      'SET GLOBAL read_only=0',
    ]);
  }, 30_000);

  it('detaches with SOURCE_HOST=//host and reattaches', async () => {
    await ops.detachReplica(keys.get('r1')!);
    expect(states.get('r1')!.sourceHost).toBe('//127.0.0.1');
    await ops.reattachReplica(keys.get('r1')!);
    expect([states.get('r1')!.sourceHost, states.get('r1')!.running]).toEqual(['127.0.0.1', true]);
    expect(sentTo('r1')).toEqual([
      'STOP REPLICA',
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='//127.0.0.1'",
      "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1'",
      'START REPLICA',
    ]);
  }, 30_000);
});

// The recovery engine against MySQL-protocol fakes speaking MySQL 8.4 and 5.7: the statements it
// sends (CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1, START REPLICA, RESET REPLICA
// ALL, super_read_only) and a failover carried through on them. Each fake keeps a little state
// (read_only, source, threads, gtid_executed) so that verification has something to verify.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { FakeMysqlAnswer } from '@orc/testenv';
import { allocatePort } from '@orc/testenv';
import type { Instance, InstanceKey } from '../src/index.js';
import {
  InMemoryRecoveryStore,
  MysqlGtidSet,
  RecoveryEngine,
  instanceKey,
  systemClock,
  unseenInstance,
  validateRecoveryConfig,
} from '../src/index.js';
import type { FakeMysqlServer } from './fake-mysql-server.js';
import { fakeServerConnector, startFakeMysqlServer } from './fake-mysql-server.js';

interface FakeState {
  readonly version: string;
  readonly uuid: string;
  readOnly: boolean;
  superReadOnly: boolean;
  gtid: string;
  source: number | null;
  running: boolean;
  writes: number;
}

const servers: FakeMysqlServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const rows = (columns: string[], ...values: unknown[][]): FakeMysqlAnswer => ({ columns, rows: values });
const ok = rows(['ok']);

/** A fake MySQL replica; `byPort` lets START REPLICA copy its source's gtid_executed (instant replication). */
function answerFor(s: FakeState, byPort: Map<number, FakeState>): (sql: string) => FakeMysqlAnswer | undefined {
  const modern = s.version.startsWith('8.4');
  const word = modern ? 'REPLICA' : 'SLAVE';
  return (sql) => {
    if (sql.startsWith('SELECT @@GLOBAL.version '))
      return rows(['version', 'version_comment'], [s.version, 'MySQL Community Server - GPL']);
    if (sql.startsWith('SELECT @@GLOBAL.server_id')) {
      return rows(
        ['server_id', 'read_only', 'log_bin', 'log_slave_updates', 'binlog_format'],
        [7, s.readOnly ? 1 : 0, 1, 1, 'ROW'],
      );
    }
    if (sql.startsWith('SELECT @@GLOBAL.gtid_executed AS pos')) return rows(['pos', 'binlog_pos'], [s.gtid, s.gtid]);
    if (sql.startsWith('SELECT @@GLOBAL.read_only AS read_only'))
      return rows(['read_only', 'super_read_only'], [s.readOnly ? 1 : 0, s.superReadOnly ? 1 : 0]);
    if (sql === `SHOW ${word} STATUS`) {
      if (s.source === null) return rows(['x']);
      const p = modern ? 'Source' : 'Master';
      const r = modern ? 'Replica' : 'Slave';
      return rows(
        [
          `${p}_Host`,
          `${p}_Port`,
          `${r}_IO_Running`,
          `${r}_SQL_Running`,
          `${p}_Log_File`,
          `Read_${p}_Log_Pos`,
          `Relay_${p}_Log_File`,
          `Exec_${p}_Log_Pos`,
          'Auto_Position',
          'Last_IO_Errno',
          'Last_SQL_Errno',
        ],
        [
          '127.0.0.1',
          s.source,
          s.running ? 'Yes' : 'No',
          s.running ? 'Yes' : 'No',
          'binlog.000001',
          500,
          'binlog.000001',
          500,
          1,
          0,
          0,
        ],
      );
    }
    if (sql === `STOP ${word} IO_THREAD` || sql === `STOP ${word}`) {
      s.running = false;
      return ok;
    }
    if (sql === `START ${word}`) {
      s.running = true;
      const src = s.source === null ? undefined : byPort.get(s.source);
      if (src !== undefined) s.gtid = MysqlGtidSet.parse(s.gtid).union(MysqlGtidSet.parse(src.gtid)).toString();
      return ok;
    }
    if (sql === `RESET ${word} ALL`) {
      s.source = null;
      return ok;
    }
    const change = modern
      ? /^CHANGE REPLICATION SOURCE TO SOURCE_HOST='127\.0\.0\.1', SOURCE_PORT=(\d+), SOURCE_AUTO_POSITION=1$/.exec(sql)
      : /^CHANGE MASTER TO MASTER_HOST='127\.0\.0\.1', MASTER_PORT=(\d+), MASTER_AUTO_POSITION=1$/.exec(sql);
    if (change) {
      s.source = Number(change[1]);
      return ok;
    }
    if (sql === 'SET GLOBAL super_read_only=0') {
      s.superReadOnly = false;
      return ok;
    }
    if (sql === 'SET GLOBAL read_only=0') {
      if (s.superReadOnly) return { errno: 1290, message: 'super_read_only' };
      s.readOnly = false;
      return ok;
    }
    if (
      sql.startsWith('CREATE DATABASE IF NOT EXISTS orc_meta') ||
      sql.startsWith('CREATE TABLE IF NOT EXISTS orc_meta.') ||
      sql.startsWith('REPLACE INTO orc_meta.')
    ) {
      if (s.readOnly) return { errno: 1290, message: 'The MySQL server is running with the --read-only option' };
      s.writes++;
      s.gtid = MysqlGtidSet.parse(s.gtid)
        .union(MysqlGtidSet.parse(`${s.uuid}:1-${s.writes}`))
        .toString();
      return ok;
    }
    const wait = /^SELECT WAIT_FOR_EXECUTED_GTID_SET\('([^']*)', \d+\) AS r$/.exec(sql);
    if (wait) return rows(['r'], [MysqlGtidSet.parse(s.gtid).contains(MysqlGtidSet.parse(wait[1]!)) ? 0 : 1]);
    return undefined;
  };
}

async function failover(
  version: string,
): Promise<{ statements: string[]; promoted: FakeState; other: FakeState; status: string }> {
  const deadPort = await allocatePort();
  const primaryUuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
  const byPort = new Map<number, FakeState>();
  const statements: string[] = [];
  const keys: InstanceKey[] = [];
  const states: FakeState[] = [];
  for (const [i, gtid] of [`${primaryUuid}:1-100`, `${primaryUuid}:1-90`].entries()) {
    const s: FakeState = {
      version,
      uuid: `00000000-0000-0000-0000-00000000000${i + 1}`,
      readOnly: true,
      superReadOnly: true,
      gtid,
      source: deadPort,
      running: false,
      writes: 0,
    };
    const server = await startFakeMysqlServer(version, answerFor(s, byPort));
    servers.push(server);
    byPort.set(server.port, s);
    keys.push(instanceKey('127.0.0.1', server.port));
    states.push(s);
  }
  const failed = instanceKey('127.0.0.1', deadPort);
  const instances: Instance[] = [
    {
      ...unseenInstance(failed),
      flavor: 'mysql',
      majorVersion: version.slice(0, 3),
      executedGtidSet: `${primaryUuid}:1-100`,
      serverUuid: primaryUuid,
    },
    // The lagging second replica is preferred: it is caught up from the first before promotion.
    ...keys.map((key, i) => ({
      ...unseenInstance(key),
      promotionRule: i === 1 ? ('prefer' as const) : ('neutral' as const),
      flavor: 'mysql' as const,
      majorVersion: version.slice(0, 3),
      masterKey: failed,
      hasLogBin: true,
      hasLogReplicaUpdates: true,
      binlogFormat: 'ROW',
    })),
  ];
  const engine = new RecoveryEngine({
    config: validateRecoveryConfig({ recoverMasterClusterFilters: ['*'], oldPrimaryFenceWindowSeconds: 0 }),
    store: new InMemoryRecoveryStore(systemClock),
    connector: fakeServerConnector(),
    clock: systemClock,
  });
  const report = await engine.recoverDeadMaster({
    analysis: 'DeadMaster',
    failedKey: failed,
    clusterName: failed,
    clusterAlias: 'shop',
    instances,
  });
  await report.settled;
  await report.fenced;
  for (const s of servers) statements.push(...s.statements);
  const promotedIndex = keys.findIndex((k) => k === report.successor);
  return {
    statements,
    promoted: states[promotedIndex]!,
    other: states[1 - promotedIndex]!,
    status: `${report.status}: ${report.reason}`,
  };
}

describe('recovery dialects over the MySQL protocol', () => {
  it('MySQL 8.4: REPLICA words, CHANGE REPLICATION SOURCE TO with SOURCE_AUTO_POSITION, super_read_only cleared, verified', async () => {
    const { statements, promoted, other, status } = await failover('8.4.2');
    expect(status).toMatch(/^successful/);
    expect(promoted.uuid).toBe('00000000-0000-0000-0000-000000000002');
    expect(
      MysqlGtidSet.parse(promoted.gtid).contains(MysqlGtidSet.parse('3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100')),
    ).toBe(true);
    expect(statements.some((s) => s.startsWith('SELECT WAIT_FOR_EXECUTED_GTID_SET('))).toBe(true);
    expect(promoted.readOnly).toBe(false);
    expect(promoted.superReadOnly).toBe(false);
    expect(promoted.source).toBeNull();
    expect(other.running).toBe(true);
    expect(MysqlGtidSet.parse(other.gtid).contains(MysqlGtidSet.parse(promoted.gtid))).toBe(true);
    expect(statements).toEqual(
      expect.arrayContaining([
        'STOP REPLICA IO_THREAD',
        'RESET REPLICA ALL',
        'SET GLOBAL super_read_only=0',
        'START REPLICA',
      ]),
    );
    expect(
      statements.some(
        (s) => s.startsWith('CHANGE REPLICATION SOURCE TO SOURCE_HOST=') && s.endsWith('SOURCE_AUTO_POSITION=1'),
      ),
    ).toBe(true);
    expect(statements.filter((s) => /\bSLAVE\b|CHANGE MASTER/.test(s))).toEqual([]);
  }, 30_000);

  it('MySQL 5.7: SLAVE words and CHANGE MASTER TO ... MASTER_AUTO_POSITION=1', async () => {
    const { statements, status } = await failover('5.7.44');
    expect(status).toMatch(/^successful/);
    expect(statements).toEqual(expect.arrayContaining(['STOP SLAVE IO_THREAD', 'RESET SLAVE ALL', 'START SLAVE']));
    expect(
      statements.some((s) => s.startsWith('CHANGE MASTER TO MASTER_HOST=') && s.endsWith('MASTER_AUTO_POSITION=1')),
    ).toBe(true);
    expect(statements.filter((s) => /\bREPLICA\b|SOURCE_/.test(s))).toEqual([]);
  }, 30_000);
});

import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { isTopologyError, TopologyError } from '../errors.js';
import type { Instance } from '../instance/instance.js';
import { unseenInstance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey, splitInstanceKey } from '../instance/instance-key.js';
import type { ServerConnector, SqlRow } from '../recovery/recovery-ports.js';
import { validateRecoveryConfig } from '../recovery/recovery-config.js';
import type { HookContext } from '../recovery/recovery-ports.js';
import { RefactorOps } from './refactor-ops.js';
import type { RefactorHooks } from './take-master-hook.js';

/** One fake MariaDB 10.11 server: enough state to answer the statements the operations send. */
interface FakeServer {
  serverId: number;
  readOnly: boolean;
  logReplicaUpdates: boolean;
  /** gtid_binlog_pos; a replica that starts against a source takes the source's at once unless `isStuck`. */
  binlogPos: string;
  slavePos: string;
  source: { host: string; port: number; io: boolean; sql: boolean; usingGtid: string } | null;
  isStuck?: boolean;
  ignoresReadOnly?: boolean;
}

const k = (name: string): InstanceKey => instanceKey(name, 3306);

function fakeWorld(servers: Record<string, FakeServer>, snapshot: Instance[], hooks?: RefactorHooks) {
  const clock = new ManualClock();
  const sent: string[] = [];
  const byHost = (host: string): FakeServer | undefined => servers[host];
  const connector: ServerConnector = {
    open: async (key) => {
      const host = splitInstanceKey(key).host;
      const s = byHost(host);
      if (s === undefined) throw new TopologyError('CONNECTION_REFUSED', `${key}: connect ECONNREFUSED`);
      return {
        close: async () => undefined,
        query: async (sql: string): Promise<SqlRow[]> => {
          if (sql.startsWith('SELECT @@GLOBAL.version')) return [{ version: '10.11.6-MariaDB', version_comment: '' }];
          if (sql.startsWith('SELECT @@GLOBAL.server_id'))
            return [
              {
                server_id: s.serverId,
                read_only: s.readOnly ? 1 : 0,
                log_bin: 1,
                log_slave_updates: s.logReplicaUpdates ? 1 : 0,
                binlog_format: 'ROW',
              },
            ];
          if (sql.startsWith('SELECT @@GLOBAL.gtid_slave_pos')) return [{ pos: s.slavePos, binlog_pos: s.binlogPos }];
          if (sql === 'SELECT @@GLOBAL.read_only AS read_only') return [{ read_only: s.readOnly ? 1 : 0 }];
          if (sql.startsWith('SELECT MASTER_GTID_WAIT')) return [{ r: s.source?.io === true && !s.isStuck ? 0 : -1 }];
          if (sql === 'SHOW SLAVE STATUS') {
            const r = s.source;
            if (r === null) return [];
            return [
              {
                Master_Host: r.host,
                Master_Port: r.port,
                Slave_IO_Running: r.io ? 'Yes' : 'No',
                Slave_SQL_Running: r.sql ? 'Yes' : 'No',
                Using_Gtid: r.usingGtid,
                Last_IO_Errno: 0,
                Last_SQL_Errno: 0,
              },
            ];
          }
          sent.push(`${host}: ${sql}`);
          if (sql === 'STOP SLAVE' && s.source !== null) s.source = { ...s.source, io: false, sql: false };
          else if (sql === 'START SLAVE' && s.source !== null) {
            s.source = { ...s.source, io: !s.source.host.startsWith('//'), sql: true };
            const from = byHost(s.source.host);
            if (from !== undefined && !s.isStuck) s.slavePos = from.binlogPos;
          } else if (sql.startsWith('CHANGE MASTER TO')) {
            const host = /MASTER_HOST='([^']*)'/.exec(sql)?.[1] ?? '';
            const port = Number(/MASTER_PORT=(\d+)/.exec(sql)?.[1] ?? s.source?.port ?? 0);
            s.source = { host, port, io: false, sql: false, usingGtid: s.source?.usingGtid ?? 'Slave_Pos' };
          } else if (sql.startsWith('SET GLOBAL read_only=') && s.ignoresReadOnly !== true)
            s.readOnly = sql.endsWith('1');
          return [];
        },
      };
    },
  };
  const ops = new RefactorOps({
    connector,
    clock,
    topology: { instances: () => snapshot },
    ...(hooks === undefined ? {} : { hooks }),
  });
  return { clock, sent, ops };
}

let nextServerId = 100;
const replicaOf = (host: string, pos = '0-1-10'): FakeServer => ({
  serverId: nextServerId++,
  readOnly: true,
  logReplicaUpdates: true,
  binlogPos: pos,
  slavePos: pos,
  source: { host, port: 3306, io: true, sql: true, usingGtid: 'Slave_Pos' },
});
const primary = (): FakeServer => ({
  serverId: 1,
  readOnly: false,
  logReplicaUpdates: true,
  binlogPos: '0-1-10',
  slavePos: '',
  source: null,
});
const inCluster = (name: string, master: string | null): Instance => ({
  ...unseenInstance(k(name)),
  masterKey: master === null ? null : k(master),
  clusterName: 'p:3306',
});
const oneTwo = (): Instance[] => [inCluster('p', null), inCluster('r1', 'p'), inCluster('r2', 'p')];

/** Runs `act` while moving the manual clock, as real time would pass during its waits. */
async function driven<T>(clock: ManualClock, act: Promise<T>): Promise<T> {
  let settled = false;
  const done = act.finally(() => {
    settled = true;
  });
  for (let i = 0; i < 10_000 && !settled; i++) {
    for (let j = 0; j < 20; j++) await Promise.resolve();
    clock.advance(50);
  }
  return done;
}

async function rejection(act: Promise<unknown>): Promise<TopologyError> {
  const error = await act.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTopologyError(error)) throw new Error(`expected a TopologyError, got ${String(error)}`);
  return error;
}

describe('RefactorOps.relocate', () => {
  it('stops the replica, points it at the new source by GTID, starts it and verifies it follows', async () => {
    const servers = { p: primary(), r1: replicaOf('p'), r2: replicaOf('p') };
    const w = fakeWorld(servers, oneTwo());
    const done = await driven(w.clock, w.ops.relocate(k('r2'), k('r1')));
    expect(done).toEqual(
      expect.objectContaining({ op: 'relocate', key: k('r2'), source: k('r1'), changed: [k('r2')] }),
    );
    expect(w.sent).toEqual([
      'r2: STOP SLAVE',
      'r2: STOP SLAVE',
      "r2: CHANGE MASTER TO MASTER_HOST='r1', MASTER_PORT=3306, MASTER_USE_GTID=slave_pos",
      'r2: START SLAVE',
    ]);
  });

  it('refuses a source without log_slave_updates before sending anything', async () => {
    const servers = { p: primary(), r1: { ...replicaOf('p'), logReplicaUpdates: false }, r2: replicaOf('p') };
    const w = fakeWorld(servers, oneTwo());
    const error = await rejection(w.ops.relocate(k('r2'), k('r1')));
    expect([error.code, error.details[0]?.path]).toEqual(['OPERATION_REFUSED', 'below']);
    expect(error.message).toContain('without log_slave_updates');
    expect(w.sent).toEqual([]);
  });

  it('refuses a file:pos replica', async () => {
    const r2 = replicaOf('p');
    r2.source = { ...r2.source!, usingGtid: 'No' };
    const w = fakeWorld({ p: primary(), r1: replicaOf('p'), r2 }, oneTwo());
    const error = await rejection(w.ops.relocate(k('r2'), k('r1')));
    expect(error.message).toContain('binlog file:pos');
    expect(w.sent).toEqual([]);
  });

  it('keeps the code of an unreachable new source and names the argument', async () => {
    const w = fakeWorld({ p: primary(), r2: replicaOf('p') }, oneTwo());
    const error = await rejection(w.ops.relocate(k('r2'), k('r1')));
    expect([error.code, error.details[0]?.path]).toEqual(['CONNECTION_REFUSED', 'below']);
    expect(error.message).toContain('unreachable');
  });

  it('restarts the replica on its old source when the new one never catches up, within the deadline', async () => {
    const servers = { p: primary(), r1: { ...replicaOf('p', '0-1-5'), isStuck: true }, r2: replicaOf('p', '0-1-10') };
    const w = fakeWorld(servers, oneTwo());
    const error = await rejection(driven(w.clock, w.ops.relocate(k('r2'), k('r1'))));
    expect(error.code).toBe('OPERATION_REFUSED');
    expect(error.message).toContain('did not get');
    expect(w.clock.now()).toBeGreaterThanOrEqual(10_000);
    expect(w.sent).toEqual(['r2: STOP SLAVE', 'r2: START SLAVE']);
    expect(servers.r2.source).toEqual(expect.objectContaining({ host: 'p', io: true }));
  });

  it('refuses a second operation on a server that one is changing', async () => {
    const w = fakeWorld({ p: primary(), r1: replicaOf('p'), r2: replicaOf('p') }, oneTwo());
    const first = driven(w.clock, w.ops.relocate(k('r2'), k('r1')));
    const second = await rejection(w.ops.stopReplica(k('r2')));
    expect(second.message).toContain('another operation is changing');
    await first;
  });
});

describe('RefactorOps.takeMaster', () => {
  it('stops the source, waits for the instance to apply it, then swaps the two', async () => {
    const servers = { p: primary(), r1: replicaOf('p'), r2: replicaOf('r1') };
    const w = fakeWorld(servers, [inCluster('p', null), inCluster('r1', 'p'), inCluster('r2', 'r1')]);
    const done = await driven(w.clock, w.ops.takeMaster(k('r2')));
    expect(done.changed).toEqual([k('r2'), k('r1')]);
    expect(servers.r2.source).toEqual(expect.objectContaining({ host: 'p', io: true, sql: true }));
    expect(servers.r1.source).toEqual(expect.objectContaining({ host: 'r2', io: true, sql: true }));
    expect(w.sent[0]).toBe('r1: STOP SLAVE');
  });

  it('runs PostTakeMasterProcesses with the successor and the demoted source', async () => {
    const seen: [string, HookContext][] = [];
    const hooks: RefactorHooks = {
      config: validateRecoveryConfig({ postTakeMasterProcesses: ['echo {successorHost} {failedHost}'] }),
      runner: {
        run: async (kind, _commands, ctx) => {
          seen.push([kind, ctx]);
          return [];
        },
      },
    };
    const servers = { p: primary(), r1: replicaOf('p'), r2: replicaOf('r1') };
    const w = fakeWorld(servers, [inCluster('p', null), inCluster('r1', 'p'), inCluster('r2', 'r1')], hooks);
    await driven(w.clock, w.ops.takeMaster(k('r2')));
    expect(seen.map(([kind, c]) => [kind, c.successorHost, c.failedHost, c.command, c.isSuccessful])).toEqual([
      ['postTakeMasterProcesses', 'r2', 'r1', 'take-master', true],
    ]);
  });
});

describe('replication control', () => {
  it('detaches with //host and reattaches to the same source', async () => {
    const servers = { p: primary(), r1: replicaOf('p'), r2: replicaOf('p') };
    const w = fakeWorld(servers, oneTwo());
    expect((await driven(w.clock, w.ops.detachReplica(k('r1')))).source).toBe('//p:3306');
    expect(w.sent.at(-1)).toBe("r1: CHANGE MASTER TO MASTER_HOST='//p'");
    expect((await rejection(w.ops.startReplica(k('r1')))).message).toContain('use reattach-replica');
    expect((await driven(w.clock, w.ops.reattachReplica(k('r1')))).source).toBe('p:3306');
    expect(servers.r1.source).toEqual(expect.objectContaining({ host: 'p', io: true, sql: true }));
  });

  it('refuses replication statements on a server that does not replicate', async () => {
    const w = fakeWorld({ p: primary() }, oneTwo());
    for (const act of [w.ops.stopReplica, w.ops.startReplica, w.ops.detachReplica])
      expect((await rejection(act.call(w.ops, k('p')))).message).toContain('is not a replica');
    expect(w.sent).toEqual([]);
  });

  it('reports VERIFICATION_FAILED when read_only does not read back as set', async () => {
    const w = fakeWorld({ p: { ...primary(), ignoresReadOnly: true } }, oneTwo());
    const error = await rejection(w.ops.setReadOnly(k('p')));
    expect(error.code).toBe('VERIFICATION_FAILED');
    expect(error.message).toContain('still reads read_only=0');
  });

  it('refuses an instance discovery does not know', async () => {
    const w = fakeWorld({ p: primary() }, oneTwo());
    expect((await rejection(w.ops.setReadOnly(k('elsewhere')))).code).toBe('UNKNOWN_INSTANCE');
  });
});

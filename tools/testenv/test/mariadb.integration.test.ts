import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { createConnection } from 'mysql2/promise';
import {
  startMariaDb,
  startMariaDbTopology,
  TestEnvError,
  type MariaDbInstance,
  type MariaDbTopology,
} from '../src/index.js';
import { createMariaDbInstance } from '../src/mariadb/mariadb-instance.js';
import { validateMariaDbOptions } from '../src/mariadb/mariadb-config.js';
import { defaultBaseDir, readEntries } from '../src/index.js';
import { waitFor } from '@orc/testkit';
import { isProcessAlive as isAlive } from '../src/core/proc-info.js';

async function hasRow(instance: MariaDbInstance, id: number): Promise<true | undefined> {
  const rows = await instance.query<{ id: number }[]>('SELECT id FROM t.rows WHERE id = ?', [id]);
  return rows.length === 1 ? true : undefined;
}

describe('startMariaDbTopology with a chained shape', () => {
  let topo: MariaDbTopology;

  beforeAll(async () => {
    topo = await startMariaDbTopology({
      shape: [{ name: 'p' }, { name: 'r1', source: 'p' }, { name: 'im', source: 'p' }, { name: 'r2', source: 'im' }],
    });
    await topo.primary.query('CREATE DATABASE t; CREATE TABLE t.rows (id INT PRIMARY KEY)');
  }, 120_000);

  afterAll(async () => {
    await topo?.stop();
  }, 60_000);

  it('comes up replicating: a row written on the primary reaches every replica, through the intermediate', async () => {
    expect(topo.instances.map((i) => i.name)).toEqual(['p', 'r1', 'im', 'r2']);
    expect(topo.instance('r2').sourceName).toBe('im');
    await topo.primary.query('INSERT INTO t.rows VALUES (1)');
    for (const replica of topo.replicas)
      await waitFor(`row 1 on ${replica.name}`, () => hasRow(replica, 1), { timeoutMs: 20_000 });
  }, 60_000);

  it('configures distinct server ids, report_port, read_only replicas and GTID replication', async () => {
    const ids = new Set(topo.instances.map((i) => i.serverId));
    expect(ids.size).toBe(4);
    for (const i of topo.instances) {
      const [row] = await i.query<{ id: number; ro: number; rp: number; bf: string; lsu: number }[]>(
        'SELECT @@server_id AS id, @@read_only AS ro, @@report_port AS rp, @@binlog_format AS bf, @@log_slave_updates AS lsu',
      );
      expect(row).toEqual({ id: i.serverId, ro: i.sourceName === null ? 0 : 1, rp: i.port, bf: 'ROW', lsu: 1 });
    }
    const [status] = await topo
      .instance('r2')
      .query<{ Master_Port: number; Using_Gtid: string }[]>('SHOW SLAVE STATUS');
    expect(status?.Master_Port).toBe(topo.instance('im').port);
    expect(status?.Using_Gtid).toBe('Slave_Pos');
  }, 30_000);

  it('gives orcUser what orchestrator needs on 10.11: SHOW SLAVE HOSTS and SET GLOBAL read_only', async () => {
    const conn = await createConnection({ ...topo.primary.connectionConfig(topo.orcUser) });
    try {
      const [hosts] = await conn.query('SHOW SLAVE HOSTS');
      const ports = (hosts as { Port: number }[]).map((h) => h.Port).sort();
      expect(ports).toEqual([topo.instance('r1').port, topo.instance('im').port].sort());
    } finally {
      await conn.end();
    }
    const replica = await createConnection({ ...topo.instance('r1').connectionConfig(topo.orcUser) });
    try {
      await replica.query('SET GLOBAL read_only = 0');
      await replica.query('SET GLOBAL read_only = 1');
    } finally {
      await replica.end();
    }
  }, 30_000);

  it('a stopped replica restarts on the same port and catches up', async () => {
    const r1 = topo.instance('r1');
    const port = r1.port;
    const oldPid = r1.pid;
    await r1.stop();
    expect(r1.isRunning()).toBe(false);
    expect(r1.pid).toBeNull();
    expect(oldPid !== null && isAlive(oldPid)).toBe(false);
    await topo.primary.query('INSERT INTO t.rows VALUES (2)');
    await r1.start();
    expect(r1.port).toBe(port);
    await waitFor('row 2 on r1', () => hasRow(r1, 2), { timeoutMs: 20_000 });
    await waitFor('row 1 kept on r1', () => hasRow(r1, 1), { timeoutMs: 1_000 });
  }, 60_000);

  it('kill -9 of the primary, then start, brings it back with its data and the replicas reconnect', async () => {
    const p = topo.primary;
    const oldPid = p.pid;
    expect(oldPid).not.toBeNull();
    await p.kill();
    expect(isAlive(oldPid ?? 0)).toBe(false);
    await p.start();
    expect(p.pid).not.toBe(oldPid);
    await waitFor('row 2 kept on p', () => hasRow(p, 2), { timeoutMs: 5_000 });
    await topo.waitReplicating({ timeoutMs: 30_000 });
    await p.query('INSERT INTO t.rows VALUES (3)');
    await topo.waitCaughtUp({ timeoutMs: 30_000 });
    for (const replica of topo.replicas)
      await waitFor(`row 3 on ${replica.name}`, () => hasRow(replica, 3), { timeoutMs: 5_000 });
  }, 90_000);

  it('stop() ends exactly its processes and removes its directories', async () => {
    const extra = await startMariaDbTopology({ shape: '1+1', name: 'teardown' });
    const pids = extra.instances.map((i) => i.pid);
    const dirs = extra.instances.map((i) => i.dir);
    expect(pids.every((pid) => pid !== null && isAlive(pid))).toBe(true);
    await extra.stop();
    for (const pid of pids) expect(isAlive(pid ?? 0)).toBe(false);
    for (const dir of dirs) expect(existsSync(dir)).toBe(false);
    // The other topology is untouched.
    expect(topo.primary.isRunning()).toBe(true);
    await topo.primary.query('SELECT 1');
  }, 60_000);
});

describe('startMariaDb', () => {
  it('starts a standalone server that keeps its data across stop/start', async () => {
    const db = await startMariaDb({ name: 'standalone' });
    try {
      expect(db.host).toBe('127.0.0.1');
      expect(db.sourceName).toBeNull();
      await db.query('CREATE DATABASE s; CREATE TABLE s.k (v INT); INSERT INTO s.k VALUES (7)');
      const port = db.port;
      await db.stop();
      await db.start();
      expect(db.port).toBe(port);
      expect(await db.query('SELECT v FROM s.k')).toEqual([{ v: 7 }]);
    } finally {
      await db.destroy();
    }
    expect(existsSync(db.dir)).toBe(false);
  }, 60_000);

  it.each([0, 40, 120])(
    'destroy() %i ms into a start leaves no process, directory or registry entry',
    async (delayMs) => {
      const instance = await createMariaDbInstance(validateMariaDbOptions({ name: 'raced' }), { sourceName: null });
      const starting = instance.start().then(
        () => 'started',
        (e: unknown) => e,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await instance.destroy();
      const outcome = await starting;
      // Either the start finished before destroy() (then destroy ended it) or it failed as destroyed.
      if (outcome !== 'started') expect((outcome as TestEnvError).code).toBe('INVALID_STATE');
      expect(instance.pid).toBeNull();
      expect(instance.isRunning()).toBe(false);
      expect(existsSync(instance.dir)).toBe(false);
      expect(readEntries(join(defaultBaseDir(), 'registry')).some((e) => e.dir === instance.dir)).toBe(false);
      const leftovers = (await import('node:child_process')).execFileSync('ps', ['-eo', 'args']).toString();
      expect(leftovers.includes(instance.dir)).toBe(false);
    },
    30_000,
  );

  it('fails with BINARY_MISSING, naming the Debian package, when mariadbd is absent', async () => {
    const err = await startMariaDb({ mariadbdPath: '/nonexistent/mariadbd' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as TestEnvError).code).toBe('BINARY_MISSING');
    expect((err as TestEnvError).message).toMatch(/mariadb-server/);
    expect((err as TestEnvError).message).toMatch(/tools\/install-services/);
  });

  it('fails with PORT_TAKEN when the fixed port is held by another process', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const address = holder.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const err = await startMariaDb({ port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TestEnvError);
      expect((err as TestEnvError).code).toBe('PORT_TAKEN');
      expect((err as TestEnvError).message).toContain(String(port));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);

  it('fails with PROCESS_EXITED and the error log tail when mariadbd rejects its options', async () => {
    const err = await startMariaDb({ extraArgs: ['--no-such-option=1'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as TestEnvError).code).toBe('PROCESS_EXITED');
    expect((err as TestEnvError).message).toMatch(/unknown variable|unknown option/);
  }, 30_000);

  it('fails with DIR_NOT_WRITABLE when its directory cannot be created', async () => {
    const err = await startMariaDb({ baseDir: '/proc/version/testenv' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as TestEnvError).code).toBe('DIR_NOT_WRITABLE');
    expect((err as TestEnvError).message).toContain('/proc/version/testenv');
  }, 30_000);

  it('rejects a bad shape with every problem listed', async () => {
    const err = await startMariaDbTopology({
      shape: [{ name: 'a' }, { name: 'a', source: 'x' }, { name: 'b c' }],
    }).catch((e: unknown) => e);
    expect((err as TestEnvError).code).toBe('INVALID_CONFIG');
    expect((err as TestEnvError).message).toMatch(/used twice/);
    expect((err as TestEnvError).message).toMatch(/shape\.2\.name/);
  });
});

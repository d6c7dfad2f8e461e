// Graceful takeover against real MariaDB (1+2 from @orc/testenv): a takeover that cannot finish
// leaves the old primary writable; a takeover under a continuous write stream loses no
// acknowledged write and leaves the old primary replicating from the new one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { waitFor } from '@orc/testkit';
import type { MariaDbInstance } from '@orc/testenv';
import type { GracefulTakeoverRequest } from '../src/index.js';
import { idsOn, replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

const APP = { user: 'app', password: 'app-pw' };
let world: RecoveryWorld;
beforeAll(async () => {
  world = await startRecoveryWorld('1+2', {
    name: 'recovery-graceful',
    config: { candidateCatchUpTimeoutSeconds: 2, replicationUser: 'repl', replicationPassword: 'repl' },
  });
  // An application user without READ_ONLY ADMIN: read_only stops its writes, as it would a real client's.
  await world.servers.primary.query(
    `CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6)); CREATE USER '${APP.user}'@'%' IDENTIFIED BY '${APP.password}'; GRANT SELECT, INSERT ON t.* TO '${APP.user}'@'%'`,
  );
  await world.servers.waitCaughtUp();
}, 120_000);
afterAll(() => world?.close(), 60_000);

function requestFor(primary: MariaDbInstance, designated?: MariaDbInstance): GracefulTakeoverRequest {
  const key = world.keyOf(primary);
  const instances = world.topology.instances().filter((i) => i.key === key || i.masterKey === key);
  const p = instances.find((i) => i.key === key)!;
  return {
    primaryKey: key,
    clusterName: p.clusterName,
    clusterAlias: 'main',
    instances,
    ...(designated === undefined ? {} : { designated: world.keyOf(designated) }),
  };
}

async function readOnly(server: MariaDbInstance): Promise<number | undefined> {
  const [row] = (await server.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
  return row?.ro;
}

/**
 * Writes ids 1, 2, ... as the application user to whichever server `target()` names. A refused
 * write (read_only, a connection cut) is counted and retried with the same id: only writes whose
 * INSERT returned are acknowledged.
 */
function retryingWriter(target: () => MariaDbInstance) {
  const acknowledged: number[] = [];
  let refused = 0;
  let running = true;
  let conn: Connection | undefined;
  let connectedTo: MariaDbInstance | undefined;
  const loop = (async () => {
    let next = 1;
    while (running) {
      const server = target();
      try {
        if (connectedTo !== server) {
          conn?.destroy();
          conn = undefined;
          conn = await createConnection({ ...server.connectionConfig(APP), connectTimeout: 1000 });
          connectedTo = server;
        }
        await conn!.query('INSERT INTO t.w VALUES (?, NOW(6))', [next]);
        acknowledged.push(next++);
      } catch (error) {
        const code = (error as { errno?: number }).errno;
        // 1290: read_only. Anything else (a duplicate key above all) is a real failure of the test.
        if (code !== 1290) throw error;
        refused += 1;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    acknowledged,
    refused: () => refused,
    async stop() {
      running = false;
      await loop;
      conn?.destroy();
    },
  };
}

describe('graceful master takeover on MariaDB GTID', () => {
  it('refuses a target that is not a replica of the primary, with a typed error naming it', async () => {
    const { servers } = world;
    await expect(
      world.engine.gracefulMasterTakeover(requestFor(servers.primary, servers.primary)),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', details: [{ path: 'designated' }] });
    await expect(world.engine.gracefulMasterTakeover(requestFor(servers.primary))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('name the one to promote'),
    });
    expect(await readOnly(servers.primary)).toBe(0);
  });

  it('a takeover that fails midway (the designated replica cannot catch up) leaves the old primary writable and says so', async () => {
    const { servers } = world;
    const [designated] = servers.replicas;
    await designated!.query('STOP SLAVE SQL_THREAD');
    await servers.primary.query('INSERT INTO t.w VALUES (-1, NOW(6))');
    const report = await world.engine.gracefulMasterTakeover(requestFor(servers.primary, designated));
    await report.settled;
    expect(report.status).toBe('failed');
    expect(report.successor).toBeNull();
    expect(report.isOldPrimaryRestored).toBe(true);
    expect(report.reason).toContain('made writable again');
    expect(await readOnly(servers.primary)).toBe(0);
    // Still the primary: nothing replicates it away, and the application can write.
    expect(await replicaStatus(servers.primary)).toBeUndefined();
    const app = await createConnection({ ...servers.primary.connectionConfig(APP), connectTimeout: 1000 });
    await app.query('INSERT INTO t.w VALUES (-2, NOW(6))');
    app.destroy();
    const steps = (await world.backend.recoveries.readSteps(report.uid!)).map((s) => s.message);
    expect(steps.some((m) => m.startsWith('[rollback ') && m.includes('made writable again'))).toBe(true);
    expect(await world.backend.recoveries.readByUid(report.uid!)).toMatchObject({ isSuccessful: false });

    await designated!.query('START SLAVE SQL_THREAD');
    await servers.waitCaughtUp();
  }, 60_000);

  it('under a continuous write stream: no acknowledged write lost, the old primary replicates from the new one', async () => {
    const { servers } = world;
    const old = servers.primary;
    const [designated, other] = servers.replicas as [MariaDbInstance, MariaDbInstance];
    let current = old;
    const writer = retryingWriter(() => current);
    await waitFor('rows flowing to every replica', async () => {
      for (const r of servers.replicas) if ((await idsOn(r)).size < 50) return false;
      return true;
    });
    const report = await world.engine.gracefulMasterTakeover(requestFor(old, designated));
    current = designated;
    const before = writer.acknowledged.length;
    await waitFor('the writer goes on against the new primary', () => writer.acknowledged.length > before + 50);
    await writer.stop();
    await report.settled;
    expect({ status: report.status, reason: report.reason }).toEqual({
      status: 'successful',
      reason: expect.any(String),
    });
    expect(report.successor).toBe(world.keyOf(designated));
    expect(report.isDemoted).toBe(true);
    expect(report.repointed).toEqual([world.keyOf(other)]);

    const onNew = await idsOn(designated);
    const lost = writer.acknowledged.filter((id) => !onNew.has(id));
    expect(lost).toEqual([]);
    expect(await readOnly(designated)).toBe(0);
    expect(await readOnly(old)).toBe(1);
    for (const r of [old, other]) {
      expect(await replicaStatus(r)).toMatchObject({
        Master_Port: designated.port,
        Slave_IO_Running: 'Yes',
        Slave_SQL_Running: 'Yes',
      });
      await waitFor(`${r.name} has every acknowledged write`, async () => {
        const ids = await idsOn(r);
        return writer.acknowledged.every((id) => ids.has(id));
      });
    }
    const steps = (await world.backend.recoveries.readSteps(report.uid!)).map((s) => s.message);
    for (const name of ['registered', 'read-only', 'caught-up', 'promote', 'writable', 'repoint', 'resolved']) {
      expect(steps.some((m) => m.startsWith(`[${name} `))).toBe(true);
    }
  }, 120_000);
});

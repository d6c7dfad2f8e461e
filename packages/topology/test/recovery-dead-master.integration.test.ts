// DeadMaster recovery against real MariaDB (1+3 from @orc/testenv): kill -9 of the primary under
// a continuous write stream, then a second failure inside RecoveryPeriodBlockSeconds.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import type { MariaDbInstance } from '@orc/testenv';
import type { RecoveryReport } from '../src/index.js';
import { idsOn, replicaStatus, startRecoveryWorld, startWriter, type RecoveryWorld } from './recovery-harness.js';

let world: RecoveryWorld;
beforeAll(async () => {
  world = await startRecoveryWorld('1+3', { name: 'recovery-dead-master' });
}, 120_000);
afterAll(() => world?.close(), 60_000);

/** What each replica received (its relay log applied), read before orc acts: nothing of it may be lost. */
async function receivedByReplicas(replicas: readonly MariaDbInstance[]): Promise<Set<number>> {
  const all = new Set<number>();
  for (const r of replicas) {
    const status = await replicaStatus(r);
    const received = String(status?.['Gtid_IO_Pos'] ?? '');
    const [row] = (await r.query(`SELECT MASTER_GTID_WAIT(?, 10) AS r`, [received])) as { r: number }[];
    expect(row?.r).toBe(0);
    for (const id of await idsOn(r)) all.add(id);
  }
  return all;
}

describe('DeadMaster recovery on MariaDB GTID', () => {
  let first: RecoveryReport;
  let promoted: MariaDbInstance;

  it('kill -9 under writes: one replica promoted and writable, the others follow it, nothing any replica received is lost', async () => {
    const { servers } = world;
    const writer = await startWriter(servers.primary);
    await waitFor('rows flowing to every replica', async () => {
      for (const r of servers.replicas) if ((await idsOn(r)).size < 50) return false;
      return true;
    });
    await servers.primary.kill();
    const request = await world.deadMasterRequestFor(servers.primary);
    await writer.stop();
    expect(writer.endedBy()).toBeDefined();
    expect(request.analysis).toBe('DeadMaster');

    const received = await receivedByReplicas(servers.replicas);
    first = await world.engine.recoverDeadMaster(request);
    await first.settled;
    expect(first.status).toBe('successful');
    expect(first.successor).not.toBeNull();
    promoted = world.byKey(first.successor!);

    // Exactly one writable server among the replicas, and it is the successor.
    const writable: string[] = [];
    for (const r of servers.replicas) {
      const [ro] = (await r.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
      if (ro?.ro === 0) writable.push(r.name);
    }
    expect(writable).toEqual([promoted.name]);
    expect(await replicaStatus(promoted)).toBeUndefined();
    await promoted.query('INSERT INTO t.w VALUES (1000000, NOW(6))');

    const onPrimary = await idsOn(promoted);
    const missing = [...received].filter((id) => !onPrimary.has(id));
    expect(missing).toEqual([]);
    for (const r of servers.replicas.filter((s) => s !== promoted)) {
      const status = await replicaStatus(r);
      expect(status).toMatchObject({ Master_Port: promoted.port, Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes' });
      await waitFor(`${r.name} has the row written on the new primary`, async () => (await idsOn(r)).has(1000000));
    }
    expect(first.repointed).toHaveLength(2);
    expect(first.timings.writableMs).not.toBeNull();
    const downtimed = await world.backend.downtime.readActive();
    expect(downtimed.map((d) => [d.port, d.reason])).toContainEqual([servers.primary.port, 'lost-in-recovery']);

    // The audit: registered, steps, resolved successful with the successor.
    const row = await world.backend.recoveries.readByUid(first.uid!);
    expect(row).toMatchObject({ isSuccessful: true, successorPort: promoted.port, analysis: 'DeadMaster' });
    const steps = (await world.backend.recoveries.readSteps(first.uid!)).map((s) => s.message);
    for (const name of [
      'registered',
      'gather',
      'relay-logs',
      'candidate',
      'promote',
      'writable',
      'repoint',
      'resolved',
    ]) {
      expect(steps.some((m) => m.startsWith(`[${name} `))).toBe(true);
    }
  }, 120_000);

  it('the old primary, restarted, is fenced read_only and stays outside the cluster', async () => {
    const old = world.servers.primary;
    await old.start();
    expect(await first.fenced).toBe(true);
    const [ro] = (await old.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
    expect(ro?.ro).toBe(1);
    expect(await replicaStatus(old)).toBeUndefined();
    for (const r of world.servers.replicas) expect((await replicaStatus(r))?.['Master_Port']).not.toBe(old.port);
    const steps = (await world.backend.recoveries.readSteps(first.uid!)).map((s) => s.message);
    expect(steps.some((m) => m.startsWith('[fence ') && m.includes('set read_only'))).toBe(true);
  }, 60_000);

  it('a second failure inside RecoveryPeriodBlockSeconds is refused and audited; acknowledging lifts the block', async () => {
    await world.topology.forget(world.keyOf(world.servers.primary));
    await promoted.kill();
    const request = await world.deadMasterRequestFor(promoted);
    const refused = await world.engine.recoverDeadMaster(request);
    expect(refused.status).toBe('refused');
    expect(refused.reason).toContain(first.uid!);
    const blocked = await world.backend.recoveries.readBlocked();
    expect(blocked.map((b) => b.port)).toContain(promoted.port);
    // Nothing was touched: the remaining replicas still point at the dead server.
    for (const r of world.servers.replicas.filter((s) => s !== promoted)) {
      expect((await replicaStatus(r))?.['Master_Port']).toBe(promoted.port);
    }

    expect(await world.store.acknowledge({ uid: first.uid! }, { owner: 'test', comment: 'seen' })).toBe(1);
    const second = await world.engine.recoverDeadMaster(request);
    await second.settled;
    expect(second.status).toBe('successful');
    const next = world.byKey(second.successor!);
    await next.query('INSERT INTO t.w VALUES (2000000, NOW(6))');
    const last = world.servers.replicas.find((s) => s !== promoted && s !== next)!;
    await waitFor('the last replica follows the second successor', async () => (await idsOn(last)).has(2000000));
  }, 120_000);
});

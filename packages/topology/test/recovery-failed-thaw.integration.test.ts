// A recovery that fails before promoting anyone leaves the replicas replicating: a forced failover
// of a live primary (orchestrator's force-master-failover) whose replicas are all `must_not` finds
// no candidate, and the IO threads it stopped to freeze the replicas run again, so the cluster keeps
// its primary and its replicas keep receiving its writes. On real MariaDB.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import { replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

describe('a forced failover that finds no candidate', () => {
  let world: RecoveryWorld;
  beforeAll(async () => {
    world = await startRecoveryWorld('1+2', { name: 'recovery-thaw' });
    await world.servers.primary.query('CREATE DATABASE IF NOT EXISTS thaw; CREATE TABLE thaw.t (id INT PRIMARY KEY)');
    await world.servers.waitCaughtUp();
  }, 120_000);
  afterAll(() => world?.close(), 60_000);

  it('fails, promotes nobody, and leaves both replicas replicating from the live primary', async () => {
    const { primary, replicas } = world.servers;
    const failedKey = world.keyOf(primary);
    const instances = await waitFor('discovery sees the primary and both replicas', () => {
      const all = world.topology.instances();
      return all.filter((i) => i.masterKey === failedKey).length === 2 ? all : undefined;
    });
    const report = await world.engine.recoverDeadMaster({
      analysis: 'DeadMaster',
      failedKey,
      clusterName: instances.find((i) => i.key === failedKey)?.clusterName ?? failedKey,
      clusterAlias: 'main',
      instances,
      candidateRules: replicas.map((r) => ({
        key: world.keyOf(r),
        promotionRule: 'must_not' as const,
        expiresAt: null,
      })),
      now: Date.now(),
      force: true,
      command: 'force-master-failover',
    });
    await report.settled;
    expect(report.status).toBe('failed');
    expect(report.successor).toBeNull();
    expect(report.reason).toMatch(/no candidate/);

    // A started IO thread says `Connecting` until it has reached the primary.
    for (const r of replicas)
      await waitFor(`${r.name}'s IO thread runs against the primary again`, async () => {
        const st = await replicaStatus(r);
        return st?.['Master_Port'] === primary.port && st['Slave_IO_Running'] === 'Yes';
      });
    // Replicating, not merely running: a write on the primary after the failed recovery arrives.
    await primary.query('INSERT INTO thaw.t VALUES (1)');
    for (const r of replicas)
      await waitFor(`${r.name} received the write made after the failed recovery`, async () => {
        const rows = (await r.query('SELECT id FROM thaw.t')) as { id: number }[];
        return rows.length === 1;
      });
    const [ro] = (await primary.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
    expect(ro?.ro).toBe(0);
    const steps = (await world.backend.recoveries.readSteps(report.uid!)).map((s) => s.message);
    expect(steps.some((m) => m.includes('IO threads stopped'))).toBe(true);
    expect(steps.some((m) => m.startsWith('[thaw ') && m.includes('IO threads started again'))).toBe(true);
  }, 120_000);
});

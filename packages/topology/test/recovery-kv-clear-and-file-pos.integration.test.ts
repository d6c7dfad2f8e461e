// Two promises of docs/recovery.md on real MariaDB: with KVClearBeforePromotion the cluster's KV
// entry is deleted before any replica is promoted (a fencing signal for proxies), and a topology
// whose replicas replicate by file:pos is refused with an audited reason, promoting nobody.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import type { KvMaster, KvPublishResult, RecoveryKvPublisher } from '../src/index.js';
import { replicaStatus, startRecoveryWorld, type RecoveryWorld } from './recovery-harness.js';

/** Records the order of the engine's KV calls, each answered ok by one store. */
class RecordingKv implements RecoveryKvPublisher {
  readonly calls: string[] = [];
  publishMaster(master: KvMaster): Promise<KvPublishResult> {
    this.calls.push(`publish ${master.alias}`);
    return Promise.resolve({ ok: true, stores: [{ store: 'recording', ok: true, durationMs: 0 }] });
  }
  clearMaster(alias: string): Promise<KvPublishResult> {
    this.calls.push(`clear ${alias}`);
    return Promise.resolve({ ok: true, stores: [{ store: 'recording', ok: true, durationMs: 0 }] });
  }
}

describe('KVClearBeforePromotion', () => {
  let world: RecoveryWorld;
  const kv = new RecordingKv();
  beforeAll(async () => {
    world = await startRecoveryWorld('1+2', {
      name: 'recovery-kv-clear',
      kv,
      config: { kvClearBeforePromotion: true },
    });
  }, 120_000);
  afterAll(() => world?.close(), 60_000);

  it("deletes the cluster's KV entry before promoting, then publishes the new primary", async () => {
    await world.servers.primary.kill();
    const report = await world.engine.recoverDeadMaster(await world.deadMasterRequestFor(world.servers.primary));
    await report.settled;
    expect(report.status).toBe('successful');
    expect(kv.calls).toEqual(['clear main', 'publish main']);
    const steps = (await world.backend.recoveries.readSteps(report.uid!)).map((s) => s.message);
    const cleared = steps.findIndex((m) => m.startsWith('[kv-clear '));
    expect(cleared).toBeGreaterThanOrEqual(0);
    expect(cleared).toBeLessThan(steps.findIndex((m) => m.startsWith('[promote ')));
  }, 120_000);
});

describe('a file:pos topology', () => {
  let world: RecoveryWorld;
  beforeAll(async () => {
    world = await startRecoveryWorld('1+2', { name: 'recovery-file-pos' });
    for (const r of world.servers.replicas)
      await r.query('STOP SLAVE; CHANGE MASTER TO MASTER_USE_GTID=no; START SLAVE');
    await waitFor('both replicas replicating by file:pos', async () => {
      for (const r of world.servers.replicas) {
        const s = await replicaStatus(r);
        if (s?.['Using_Gtid'] !== 'No' || s['Slave_IO_Running'] !== 'Yes') return false;
      }
      return true;
    });
  }, 120_000);
  afterAll(() => world?.close(), 60_000);

  it('is refused with the reason in the audit, and no replica is promoted', async () => {
    await world.servers.primary.kill();
    const report = await world.engine.recoverDeadMaster(await world.deadMasterRequestFor(world.servers.primary));
    await report.settled;
    expect(report.status).toBe('failed');
    expect(report.reason).toMatch(/file:pos/);
    expect(report.successor).toBeNull();
    for (const r of world.servers.replicas) {
      const [ro] = (await r.query('SELECT @@GLOBAL.read_only AS ro')) as { ro: number }[];
      expect(ro?.ro).toBe(1);
      expect((await replicaStatus(r))?.['Master_Port']).toBe(world.servers.primary.port);
    }
    const row = await world.backend.recoveries.readByUid(report.uid!);
    expect(row).toMatchObject({ isSuccessful: false });
    const steps = (await world.backend.recoveries.readSteps(report.uid!)).map((s) => s.message);
    expect(steps.some((m) => m.includes('file:pos'))).toBe(true);
  }, 120_000);
});

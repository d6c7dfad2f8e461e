import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { Backend } from '@orc/backend';
import { openMemoryBackend } from '../../test/memory-backend.js';
import { instanceKey } from '../instance/instance-key.js';
import { BackendRecoveryStore } from './backend-recovery-store.js';
import type { RecoveryInput } from './recovery-ports.js';

let backend: Backend;
beforeEach(async () => {
  backend = await openMemoryBackend();
});
afterEach(() => backend.close());

const p = instanceKey('db1', 3306);
const r1 = instanceKey('db2', 3306);
const input = (uid: string): RecoveryInput => ({
  uid,
  key: p,
  analysis: 'DeadMaster',
  clusterName: 'db1:3306',
  clusterAlias: 'shop',
  replicaKeys: [r1],
  detectionId: 7,
});

describe('BackendRecoveryStore (SQLite in memory)', () => {
  it('registers, records steps and the KV outcome, resolves, blocks a second recovery and lifts the block on ack', async () => {
    const store = new BackendRecoveryStore(backend, { hostname: 'orc1', token: 't' });
    expect(await store.registerRecovery(input('u1'), { blockPeriodSeconds: 3600 })).toEqual({
      registered: true,
      uid: 'u1',
    });
    await store.appendStep('u1', { at: 0, elapsedMs: 12.4, name: 'promote', message: 'read_only=0 on db2:3306' });
    await store.resolve('u1', {
      status: 'successful',
      successor: r1,
      successorAlias: 'shop',
      lostReplicas: [],
      participatingInstances: [p, r1],
      errors: [],
      kv: {
        ok: false,
        stores: [
          { store: 'internal', ok: true, durationMs: 1 },
          { store: 'etcd', ok: false, durationMs: 5, error: 'TIMEOUT' },
        ],
      },
    });
    const steps = (await backend.recoveries.readSteps('u1')).map((s) => s.message);
    expect(steps).toEqual(['[promote +12ms] read_only=0 on db2:3306', '[kv] internal=ok etcd=failed(TIMEOUT)']);
    const row = await backend.recoveries.readByUid('u1');
    expect(row).toMatchObject({
      isSuccessful: true,
      successorHostname: 'db2',
      successorPort: 3306,
      participatingInstances: 'db1:3306,db2:3306',
    });
    expect(row?.allErrors).toContain('kv etcd: TIMEOUT');

    expect(await store.registerRecovery(input('u2'), { blockPeriodSeconds: 3600 })).toEqual({
      registered: false,
      blockedByUid: 'u1',
    });
    expect((await backend.recoveries.readBlocked()).map((b) => b.hostname)).toEqual(['db1']);
    expect(await store.acknowledge({ uid: 'u1' }, { owner: 'ops', comment: 'seen' })).toBe(1);
    expect((await store.registerRecovery(input('u3'), { blockPeriodSeconds: 3600 })).registered).toBe(true);
  });

  it('registers one detection per instance and reads the global and per-cluster switches', async () => {
    const store = new BackendRecoveryStore(backend, { hostname: 'orc1', token: 't' });
    const d = {
      key: p,
      analysis: 'DeadMaster',
      clusterName: 'db1:3306',
      clusterAlias: '',
      replicaKeys: [r1],
      isActionable: true,
    };
    expect((await store.registerDetection(d, { blockPeriodMinutes: 60 })).registered).toBe(true);
    expect((await store.registerDetection(d, { blockPeriodMinutes: 60 })).registered).toBe(false);
    expect(await store.isGlobalRecoveryDisabled()).toBe(false);
    await backend.recoveries.setGlobalRecoveryDisabled(true);
    expect(await store.isGlobalRecoveryDisabled()).toBe(true);
    await store.setClusterRecoveryDisabled('db1:3306', true, 'ops');
    expect(await store.isClusterRecoveryDisabled('db1:3306')).toBe(true);
    expect(await store.isClusterRecoveryDisabled('db9:3306')).toBe(false);
    // Written to the backend's table, not held by this adapter.
    expect(
      await new BackendRecoveryStore(backend, { hostname: 'orc2', token: 'u' }).isClusterRecoveryDisabled('db1:3306'),
    ).toBe(true);
    expect(await backend.recoveries.readDisabledClusters()).toMatchObject([
      { clusterName: 'db1:3306', disabledBy: 'ops' },
    ]);
    await store.setClusterRecoveryDisabled('db1:3306', false);
    expect(await store.isClusterRecoveryDisabled('db1:3306')).toBe(false);
  });
});

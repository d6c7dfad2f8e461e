import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { instanceKey } from '../instance/instance-key.js';
import { InMemoryRecoveryStore } from './memory-recovery-store.js';
import type { RecoveryInput } from './recovery-ports.js';

const p = instanceKey('db1', 3306);
const r1 = instanceKey('db2', 3306);
const input = (uid: string, key = p, clusterName = 'db1:3306'): RecoveryInput => ({
  uid,
  key,
  analysis: 'DeadMaster',
  clusterName,
  clusterAlias: 'shop',
  replicaKeys: [r1],
  detectionId: 1,
});
const resolution = {
  status: 'successful',
  successor: r1,
  successorAlias: '',
  lostReplicas: [],
  participatingInstances: [],
  errors: [],
  kv: null,
} as const;

describe('InMemoryRecoveryStore anti-flapping', () => {
  it('refuses a second recovery of the cluster inside the block period and records it; acknowledgement lifts it', async () => {
    const clock = new ManualClock();
    const store = new InMemoryRecoveryStore(clock);
    expect(await store.registerRecovery(input('a'), { blockPeriodSeconds: 60 })).toEqual({
      registered: true,
      uid: 'a',
    });
    await store.resolve('a', resolution);
    // The promoted replica dies next: same cluster, and it is the successor of an active recovery.
    expect(await store.registerRecovery(input('b', r1), { blockPeriodSeconds: 60 })).toEqual({
      registered: false,
      blockedByUid: 'a',
    });
    expect(store.blocked).toHaveLength(1);
    expect(await store.acknowledge({ clusterName: 'db1:3306' }, { owner: 'ops', comment: 'checked' })).toBe(1);
    expect(await store.registerRecovery(input('b', r1), { blockPeriodSeconds: 60 })).toEqual({
      registered: true,
      uid: 'b',
    });
  });

  it('lets the block period expire, and force supersedes', async () => {
    const clock = new ManualClock();
    const store = new InMemoryRecoveryStore(clock);
    await store.registerRecovery(input('a'), { blockPeriodSeconds: 60 });
    clock.advance(59_000);
    expect((await store.registerRecovery(input('b'), { blockPeriodSeconds: 60 })).registered).toBe(false);
    expect((await store.registerRecovery(input('c'), { blockPeriodSeconds: 60, force: true })).registered).toBe(true);
    expect(store.recoveries.get('a')?.isAcknowledged).toBe(true);
    clock.advance(61_000);
    expect((await store.registerRecovery(input('d'), { blockPeriodSeconds: 60 })).registered).toBe(true);
  });

  it('registers one detection per instance within the detection block period', async () => {
    const clock = new ManualClock();
    const store = new InMemoryRecoveryStore(clock);
    const d = {
      key: p,
      analysis: 'DeadMaster',
      clusterName: 'c',
      clusterAlias: '',
      replicaKeys: [],
      isActionable: true,
    };
    expect((await store.registerDetection(d, { blockPeriodMinutes: 1 })).registered).toBe(true);
    expect((await store.registerDetection(d, { blockPeriodMinutes: 1 })).registered).toBe(false);
    clock.advance(60_001);
    expect((await store.registerDetection(d, { blockPeriodMinutes: 1 })).registered).toBe(true);
  });
});

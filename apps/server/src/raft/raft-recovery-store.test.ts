import { describe, expect, it } from '@jest/globals';
import type { Backend } from '@orc/backend';
import { ManualClock } from '@orc/testkit';
import { instanceKey, type KvPublishResult, type RecoveryInput } from '@orc/topology';
import type { AgreementDecision } from './failover-agreement.js';
import { FollowerOutcomes } from './follower-outcomes.js';
import { RaftRecoveryStore, raftKvPort, withFollowers, type RaftRecoveryParts } from './raft-recovery-store.js';
import type { RecoveryOp } from './recovery-ops.js';
import { decodeOp, encodeOp } from './replicated-op.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const key = instanceKey('db1', 3306);
const input: RecoveryInput = {
  uid: 'u1',
  key,
  analysis: 'DeadMaster',
  clusterName: 'db1:3306',
  clusterAlias: 'main',
  replicaKeys: [],
  detectionId: 3,
};
const decision: AgreementDecision = {
  key,
  analysis: 'DeadMaster',
  isAgreed: true,
  needed: 2,
  votes: [
    { node: 'orc1:10008', analysis: 'DeadMaster', ageMs: 0 },
    { node: 'orc2:10008', analysis: 'DeadMaster', ageMs: 4 },
    { node: 'orc3:10008', analysis: null, ageMs: null },
  ],
  decidedAt: 0,
};

function parts(answer: (op: RecoveryOp) => unknown): {
  p: RaftRecoveryParts;
  proposed: RecoveryOp[];
  outcomes: FollowerOutcomes;
  clock: ManualClock;
  snapshots: { n: number };
} {
  const proposed: RecoveryOp[] = [];
  const clock = new ManualClock();
  const outcomes = new FollowerOutcomes(clock);
  const snapshots = { n: 0 };
  let id = 0;
  return {
    proposed,
    outcomes,
    clock,
    snapshots,
    p: {
      // Through the codec, as the log carries it.
      propose: async (op) => {
        const decoded = decodeOp(encodeOp(op)) as RecoveryOp;
        proposed.push(decoded);
        return answer(decoded);
      },
      backend: {} as Backend,
      node: { hostname: 'orc1', token: 't1' },
      decisions: { decisionFor: (k) => (k === key ? decision : undefined) },
      followers: () => ['orc2:10008', 'orc3:10008'],
      outcomes,
      followerBoundMs: 1000,
      newId: () => `w${++id}`,
      afterKvWrite: () => void snapshots.n++,
      wallNow: () => 1_000,
      logger,
    },
  };
}

describe('RaftRecoveryStore', () => {
  it('registers through the log with the processing node, then records the agreement as the first step', async () => {
    const { p, proposed } = parts((op) => (op.op === 'write-recovery' ? { registered: true, uid: 'u1' } : undefined));
    const store = new RaftRecoveryStore(p);
    expect(await store.registerRecovery(input, { blockPeriodSeconds: 3600 })).toEqual({ registered: true, uid: 'u1' });
    await Promise.resolve();
    expect(proposed.map((o) => o.op)).toEqual(['write-recovery', 'write-recovery-step']);
    // Stamped with the leader's time: every node writes it instead of its own.
    expect(proposed[0]).toEqual({
      op: 'write-recovery',
      value: { node: { hostname: 'orc1', token: 't1' }, args: [input, { blockPeriodSeconds: 3600 }] },
      at: 1_000,
    });
    const step = proposed[1] as Extract<RecoveryOp, { op: 'write-recovery-step' }>;
    expect(step.value.args[0]).toBe('u1');
    expect(step.at).toBe(1_000);
    expect(step.value.args[1]).toMatchObject({ name: 'agreement', elapsedMs: 0 });
    expect(step.value.args[1].message).toMatch(/^agreed 2\/3 needed 2: orc1:10008=DeadMaster\(0ms ago\)/);
  });

  it('records no agreement step when the recovery is blocked', async () => {
    const { p, proposed } = parts(() => ({ registered: false, blockedByUid: 'u0' }));
    await new RaftRecoveryStore(p).registerRecovery(input, { blockPeriodSeconds: 3600 });
    expect(proposed.map((o) => o.op)).toEqual(['write-recovery']);
  });
});

describe('raftKvPort', () => {
  it("puts through the log, adds the followers' outcomes that arrive within the bound, and asks for a snapshot", async () => {
    const leader: KvPublishResult = { ok: true, stores: [{ store: 'internal', ok: true, durationMs: 2 }] };
    const setup = parts(() => leader);
    const kv = raftKvPort(setup.p);
    const result = kv.publishMaster({ alias: 'main', host: 'db2', port: 3306 });
    await Promise.resolve();
    setup.outcomes.add('orc2:10008', 'w1', [{ store: 'internal', ok: false, error: 'disk full' }]);
    setup.clock.advance(1000);
    expect(await result).toEqual({
      ok: false,
      stores: [
        { store: 'internal', ok: true, durationMs: 2 },
        { store: 'orc2:10008 internal', ok: false, durationMs: 0, error: 'disk full' },
        { store: 'orc3:10008', ok: false, durationMs: 1000, error: 'no KV outcome within 1000 ms' },
      ],
    });
    expect(setup.proposed).toEqual([
      { op: 'put-key-value', value: { id: 'w1', master: { alias: 'main', host: 'db2', port: 3306 } } },
    ]);
    expect(setup.snapshots.n).toBe(1);
  });

  it('keeps a write ok when a follower is only silent', () => {
    const leader: KvPublishResult = { ok: true, stores: [] };
    expect(withFollowers(leader, [{ node: 'orc3:10008', stores: null }], 1000).ok).toBe(true);
  });
});

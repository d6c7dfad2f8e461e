// A node whose snapshot store keeps failing: attempts back off instead of repeating at every
// Ready, the failure is an event and a status field, and the log stops growing at maxLogEntries
// (proposals refused with LOG_FULL naming the failure) until a snapshot succeeds again.
import { describe, it, expect } from '@jest/globals';
import type { SnapshotMeta } from '../core/types.js';
import type { SnapshotSink, SnapshotSource, SnapshotStore, StateMachine } from '../ports.js';
import type { Raft } from '../raft.js';
import { RaftError, isRaftError } from '../errors.js';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.js';
import { MemoryNetwork } from '../transport/memory-transport.js';
import { ManualClock } from '@orc/testkit';
import { turn, untilLeader } from '../../test/support/manual-turns.js';
import { memoryRaft } from '../../test/support/memory-raft.js';
import type { RaftEvents } from './events.js';

/** A snapshot store whose writes fail while `failing` is set, as on a read-only or full disk. */
class FailingSnapshotStore implements SnapshotStore {
  readonly inner = new MemorySnapshotStore();
  failing = true;
  attempts = 0;
  async create(meta: SnapshotMeta): Promise<SnapshotSink> {
    this.attempts++;
    if (this.failing) throw new RaftError('STORAGE', 'snapshot directory is read-only');
    return this.inner.create(meta);
  }
  latest(): Promise<SnapshotSource | null> {
    return this.inner.latest();
  }
  list(): Promise<SnapshotMeta[]> {
    return this.inner.list();
  }
}

const sm: StateMachine<number> = {
  apply: (e) => e.index,
  snapshot: () => ({ persist: async (w) => w.write(Buffer.from('state')) }),
  restore: async () => undefined,
};

async function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; err: unknown }> {
  let out: { ok: true; value: T } | { ok: false; err: unknown } | undefined;
  p.then(
    (value) => (out = { ok: true, value }),
    (err: unknown) => (out = { ok: false, err }),
  );
  for (let i = 0; i < 50 && out === undefined; i++) await turn();
  if (out === undefined) throw new Error('the call did not settle');
  return out;
}

describe('a node whose snapshots keep failing', () => {
  it('backs off, reports it, bounds its log with LOG_FULL, and recovers when snapshots work again', async () => {
    const clock = new ManualClock();
    const snapshots = new FailingSnapshotStore();
    const raft = await memoryRaft({
      id: 'a',
      stateMachine: sm,
      snapshotStore: snapshots,
      clock,
      config: { snapshotThreshold: 4, snapshotTrailing: 0 },
    });
    const failures: RaftEvents['snapshotFailed'][] = [];
    raft.on('snapshotFailed', (e) => failures.push(e));
    await untilLeader(raft, clock);
    expect(raft.state).toBe('leader');

    // maxLogEntries defaults to 2 x (2 x 4 + 0) = 16. No clock time passes while writing.
    let refused: RaftError | null = null;
    let accepted = 0;
    for (let i = 0; i < 40 && refused === null; i++) {
      const r = await settle(raft.apply(Buffer.from(`w${i}`)));
      if (r.ok) accepted++;
      else if (isRaftError(r.err, 'LOG_FULL')) refused = r.err;
      else throw r.err;
    }
    expect(snapshots.attempts).toBe(1);
    expect(failures).toEqual([{ reason: 'snapshot directory is read-only', attempts: 1, retryInMs: 1000 }]);
    expect(refused?.message).toContain('snapshot directory is read-only');
    expect(refused?.retryable).toBe(true);
    const stats = raft.stats();
    expect(stats.lastLogIndex - stats.firstLogIndex + 1).toBe(16);
    expect(stats.snapshotFailure).toMatchObject({ reason: 'snapshot directory is read-only', attempts: 1 });
    expect(accepted).toBeLessThan(16);

    clock.advance(1000); // the retry, still failing: the wait doubles
    for (let i = 0; i < 10; i++) await turn();
    expect(snapshots.attempts).toBe(2);
    expect(failures[1]).toEqual({ reason: 'snapshot directory is read-only', attempts: 2, retryInMs: 2000 });

    snapshots.failing = false;
    const taken = new Promise<RaftEvents['snapshotTaken']>((r) => raft.on('snapshotTaken', r));
    clock.advance(2000);
    await settle(taken);
    expect(raft.stats().snapshotFailure).toBeNull();
    const after = await settle(raft.apply(Buffer.from('after')));
    expect(after.ok).toBe(true);
    await raft.stop();
  });

  it('a follower whose snapshots fail stops taking entries at maxLogEntries instead of growing', async () => {
    const clock = new ManualClock();
    const net = new MemoryNetwork();
    const ids = ['a', 'b', 'c'];
    let isCFailing = true;
    const nodes = await Promise.all(
      ids.map(async (id, k) => {
        const machine: StateMachine<number> = {
          ...sm,
          snapshot: () => {
            if (id === 'c' && isCFailing) throw new Error('no space left on device');
            return sm.snapshot();
          },
        };
        const raft = await memoryRaft({
          id,
          peers: ids,
          stateMachine: machine,
          network: net,
          clock,
          random: () => (k + 1) / 4,
          // c never campaigns first: a and b elect among themselves.
          config: { snapshotThreshold: 4, snapshotTrailing: 0, electionTimeoutMs: id === 'c' ? 1000 : 100 },
        });
        return { id, raft };
      }),
    );
    const c = nodes[2]!.raft;
    const failures: RaftEvents['snapshotFailed'][] = [];
    c.on('snapshotFailed', (e) => failures.push(e));
    let leader: Raft<number> | undefined;
    for (let i = 0; i < 300 && leader === undefined; i++) {
      clock.advance(10);
      for (let j = 0; j < 3; j++) await turn();
      leader = nodes.find((n) => n.raft.state === 'leader')?.raft;
    }
    expect(leader).not.toBe(c);
    let mostHeld = 0;
    for (let i = 0; i < 60; i++) {
      const r = await settle(leader!.apply(Buffer.from(`w${i}`)));
      if (!r.ok) throw r.err;
      const st = c.stats();
      mostHeld = Math.max(mostHeld, st.lastLogIndex - st.firstLogIndex + 1);
    }
    expect(failures.length).toBeGreaterThan(0);
    expect(mostHeld).toBeLessThanOrEqual(16);

    // Once c can snapshot again it catches up (from the log, or a snapshot of the leader's).
    isCFailing = false;
    const target = leader!.stats().commitIndex;
    for (let i = 0; i < 1000 && c.stats().appliedIndex < target; i++) {
      clock.advance(10);
      for (let j = 0; j < 3; j++) await turn();
    }
    expect(c.stats().appliedIndex).toBeGreaterThanOrEqual(target);
    await Promise.all(nodes.map((n) => n.raft.stop()));
  });
});

// What a caller sees when a node stops: after a fatal store failure the reason is in the status,
// an event and every rejected call; a proposal cut short by stop() fails with SHUTDOWN and may
// still be committed (its outcome is unknown, as after a leadership loss).
import { describe, it, expect } from '@jest/globals';
import type { Entry } from '../core/types.js';
import type { StateMachine } from '../ports.js';
import type { Raft } from '../raft.js';
import type { RaftError } from '../errors.js';
import { isRaftError } from '../errors.js';
import { MemoryStore } from '../storage/memory-store.js';
import { MemoryNetwork } from '../transport/memory-transport.js';
import { ManualClock, rejectionOf } from '@orc/testkit';
import { turn, untilLeader } from '../../test/support/manual-turns.js';
import { memoryRaft } from '../../test/support/memory-raft.js';
import type { RaftEvents } from './events.js';

/** A MemoryStore whose appends can be held back or made to fail. */
class TestStore extends MemoryStore {
  failWith: Error | null = null;
  hold: Promise<void> | null = null;
  appended = 0;
  override async append(entries: readonly Entry[]): Promise<void> {
    if (this.hold !== null) await this.hold;
    if (this.failWith !== null) throw this.failWith;
    await super.append(entries);
    this.appended++;
  }
}

class Recorder implements StateMachine<string> {
  readonly applied: string[] = [];
  apply(e: { data: Uint8Array }): string {
    const s = Buffer.from(e.data).toString();
    this.applied.push(s);
    return s;
  }
  snapshot() {
    return { persist: async () => undefined };
  }
  async restore(): Promise<void> {}
}

async function leader(store: TestStore, sm: Recorder, clock: ManualClock): Promise<Raft<string>> {
  const raft = await memoryRaft({ id: 'a', stateMachine: sm, store, clock, config: { snapshotThreshold: 0 } });
  await untilLeader(raft, clock);
  expect(raft.state).toBe('leader');
  return raft;
}

const rejection = (p: Promise<unknown>): Promise<RaftError> => rejectionOf(p, isRaftError);

describe('a node that stops', () => {
  it('exposes a fatal error in its status, an event and every rejected call', async () => {
    const clock = new ManualClock();
    const store = new TestStore();
    const raft = await leader(store, new Recorder(), clock);
    const fatal: RaftEvents['fatalError'][] = [];
    raft.on('fatalError', (e) => fatal.push(e));
    store.failWith = new Error('EIO: i/o error, write');

    const failed = await rejection(raft.apply(Buffer.from('x')));
    expect(failed.code).toBe('FATAL');
    expect(failed.message).toContain('EIO: i/o error, write');
    for (let i = 0; i < 10; i++) await turn();
    expect(raft.state).toBe('shutdown');
    expect(fatal).toHaveLength(1);
    expect(isRaftError(fatal[0]!.error, 'FATAL')).toBe(true);
    expect(fatal[0]!.error.message).toContain('EIO: i/o error, write');
    expect(raft.stats().fatalError).toEqual({ code: 'FATAL', message: fatal[0]!.error.message });

    const later = await rejection(raft.apply(Buffer.from('y')));
    expect(later.code).toBe('FATAL');
    expect(later.retryable).toBe(false);
    expect(later.message).toContain('EIO: i/o error, write');
    expect((await rejection(raft.linearizableRead())).code).toBe('FATAL');
  });

  it('fails a proposal cut short by stop() with SHUTDOWN, outcome unknown: it can still be committed', async () => {
    const clock = new ManualClock();
    const net = new MemoryNetwork();
    const ids = ['a', 'b', 'c'];
    const nodes = await Promise.all(
      ids.map(async (id, k) => {
        const store = new TestStore();
        const sm = new Recorder();
        const raft = await memoryRaft({
          id,
          peers: ids,
          stateMachine: sm,
          store,
          network: net,
          clock,
          random: () => (k + 1) / 4,
          config: { snapshotThreshold: 0 },
        });
        return { id, store, sm, raft };
      }),
    );
    const leaderNode = async (): Promise<(typeof nodes)[number]> => {
      for (let i = 0; i < 300; i++) {
        const l = nodes.find((n) => n.raft.state === 'leader');
        if (l !== undefined) return l;
        clock.advance(10);
        for (let j = 0; j < 3; j++) await turn();
      }
      throw new Error('no leader');
    };
    const old = await leaderNode();
    // One write first, so the leader replicates to both followers in a pipeline (not probing).
    let warmed = false;
    void old.raft.apply(Buffer.from('warm')).then(() => (warmed = true));
    for (let i = 0; i < 50 && !warmed; i++) await turn();
    expect(warmed).toBe(true);
    // The leader's own write hangs; its followers store the entry and acknowledge it, which is a
    // quorum: the entry is committed while the leader has not applied it.
    let release!: () => void;
    old.store.hold = new Promise<void>((r) => (release = r));
    const others = nodes.filter((n) => n !== old);
    const before = others.map((n) => n.store.appended);
    const proposal = old.raft.apply(Buffer.from('maybe'));
    for (let i = 0; i < 50 && others.some((n, k) => n.store.appended === before[k]); i++) await turn();
    expect(others.map((n) => n.store.appended)).toEqual(before.map((b) => b + 1));
    const stopped = old.raft.stop();
    release();
    await stopped;
    const err = await rejection(proposal);
    expect(err.code).toBe('SHUTDOWN');
    expect(err.message).toContain('outcome is unknown');
    expect(old.sm.applied).toEqual(['warm']);

    // The others elect a leader among themselves and apply the entry the caller was told failed.
    for (let i = 0; i < 300 && !others.every((n) => n.sm.applied.includes('maybe')); i++) {
      clock.advance(10);
      for (let j = 0; j < 3; j++) await turn();
    }
    for (const n of others) expect(n.sm.applied).toEqual(['warm', 'maybe']);
    await Promise.all(others.map((n) => n.raft.stop()));
  });
});

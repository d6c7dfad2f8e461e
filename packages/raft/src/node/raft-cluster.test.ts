// Three (or more) nodes over the memory transport with a manual clock: time moves only when the
// test advances it, and each step lets the event loop run the driver's pending turns.
import { describe, it, expect, afterEach } from '@jest/globals';
import type { SnapshotSource, StateMachine } from '../ports.js';
import { Raft } from '../raft.js';
import { MemoryStore } from '../storage/memory-store.js';
import { MemorySnapshotStore } from '../snapshot/memory-snapshot-store.js';
import { MemoryNetwork } from '../transport/memory-transport.js';
import { ManualClock } from '@orc/testkit';
import { turn } from '../../test/support/manual-turns.js';
import { memoryRaft } from '../../test/support/memory-raft.js';
import type { RaftConfigInput } from './raft-config.js';
import { isRaftError } from '../errors.js';

class Kv implements StateMachine<string | null> {
  readonly map = new Map<string, string>();
  apply(e: { data: Uint8Array }): string | null {
    const text = Buffer.from(e.data).toString();
    if (text === 'boom') throw new Error('state machine refused boom');
    const [k, v] = text.split('=') as [string, string];
    const old = this.map.get(k) ?? null;
    this.map.set(k, v);
    return old;
  }
  snapshot() {
    const copy = JSON.stringify([...this.map]);
    return { persist: async (w: { write(c: Uint8Array): Promise<void> }) => w.write(Buffer.from(copy)) };
  }
  async restore(src: SnapshotSource): Promise<void> {
    this.map.clear();
    for (const [k, v] of JSON.parse(Buffer.from(await src.read(0, src.size)).toString()) as [string, string][])
      this.map.set(k, v);
  }
}

interface TestNode {
  raft: Raft<string | null>;
  kv: Kv;
  store: MemoryStore;
  snaps: MemorySnapshotStore;
}
type Reusable = TestNode & { snapshots?: MemorySnapshotStore };

class Cluster {
  readonly clock = new ManualClock();
  readonly net = new MemoryNetwork();
  readonly nodes = new Map<string, TestNode>();
  #seed = 1;

  async start(id: string, peers: string[], extra: Partial<RaftConfigInput> = {}, reuse?: Reusable): Promise<TestNode> {
    const kv = new Kv();
    const store = reuse?.store ?? new MemoryStore();
    const snaps = reuse?.snapshots ?? new MemorySnapshotStore();
    const seed = this.#seed++;
    let s = seed * 7919;
    const raft = await memoryRaft<string | null>({
      id,
      peers,
      stateMachine: kv,
      store,
      snapshotStore: snaps,
      network: this.net,
      clock: this.clock,
      random: () => (s = (s * 48271) % 2147483647) / 2147483647,
      config: extra,
    });
    const node: Reusable = { raft, kv, store, snaps, snapshots: snaps };
    this.nodes.set(id, node);
    return node;
  }

  /**
   * Advances virtual time in 5 ms steps, letting the drivers' turns run, until `cond` holds;
   * fails after `maxMs` of virtual time (no real time passes: this is not a poller).
   */
  async until(cond: () => boolean, maxMs = 5000): Promise<void> {
    for (let t = 0; t < maxMs; t += 5) {
      if (cond()) return;
      this.clock.advance(5);
      for (let i = 0; i < 5; i++) await turn();
    }
    if (!cond()) throw new Error(`condition not reached within ${maxMs} ms of virtual time: ${this.describe()}`);
  }

  /** Runs the cluster while a promise settles, then returns it (a rejection reaches the test). */
  async settle<T>(p: Promise<T>, maxMs = 5000): Promise<T> {
    let done = false;
    const mark = (): void => {
      done = true;
    };
    // Observing both outcomes keeps a rejection from going unhandled while virtual time runs.
    p.then(mark, mark);
    await this.until(() => done, maxMs);
    return p;
  }

  /** Each node's state, for failure messages. */
  describe(): string {
    return [...this.nodes].map(([id, n]) => `${id}:${n.raft.state}`).join(' ');
  }

  leader(): TestNode {
    const ls = [...this.nodes.values()].filter((n) => n.raft.state === 'leader');
    if (ls.length !== 1) throw new Error(`expected one leader, found ${ls.length}`);
    return ls[0]!;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((n) => n.raft.stop()));
  }
}

let cluster: Cluster;
afterEach(async () => {
  await cluster?.stopAll();
});

async function three(extra: Partial<RaftConfigInput> = {}): Promise<Cluster> {
  cluster = new Cluster();
  for (const id of ['a', 'b', 'c']) await cluster.start(id, ['a', 'b', 'c'], extra);
  await cluster.until(() => [...cluster.nodes.values()].filter((n) => n.raft.state === 'leader').length === 1);
  return cluster;
}

const put = (n: TestNode, text: string) => n.raft.apply(Buffer.from(text));

describe('Raft over the memory transport', () => {
  it('elects one leader, replicates applies and returns the state machine results', async () => {
    const c = await three();
    const leader = c.leader();
    expect(await c.settle(put(leader, 'x=1'))).toBeNull();
    expect(await c.settle(put(leader, 'x=2'))).toBe('1');
    await c.until(() => [...c.nodes.values()].every((n) => n.kv.map.get('x') === '2'));
    expect(leader.raft.leader()?.id).toBe(leader.raft.id);
    const stats = leader.raft.stats();
    expect(stats).toMatchObject({ state: 'leader', voters: ['a', 'b', 'c'] });
    expect(stats.appliedIndex).toBeGreaterThanOrEqual(5);
  });

  it('refuses applies on a follower with NOT_LEADER naming the leader, and keeps state machine errors apart', async () => {
    const c = await three();
    const leader = c.leader();
    const follower = [...c.nodes.values()].find((n) => n !== leader)!;
    await c.until(() => follower.raft.leader() !== null);
    const err = await put(follower, 'y=1').catch((e: unknown) => e);
    expect(isRaftError(err, 'NOT_LEADER')).toBe(true);
    expect(err).toMatchObject({ leaderId: leader.raft.id, leaderAddress: `mem://${leader.raft.id}` });
    const smErr = await c.settle(put(leader, 'boom')).catch((e: unknown) => e);
    expect(isRaftError(smErr)).toBe(false);
    expect((smErr as Error).message).toBe('state machine refused boom');
  });

  it('serves linearizable reads on followers, barriers and leader verification', async () => {
    const c = await three();
    const leader = c.leader();
    await c.settle(put(leader, 'k=v'));
    const follower = [...c.nodes.values()].find((n) => n !== leader)!;
    await c.settle(follower.raft.linearizableRead());
    expect(follower.kv.map.get('k')).toBe('v');
    await c.settle(leader.raft.verifyLeader());
    const idx = await c.settle(leader.raft.barrier());
    expect(idx).toBeGreaterThan(0);
    await expect(follower.raft.verifyLeader()).rejects.toMatchObject({ code: 'NOT_LEADER' });
  });

  it('elects a new leader when the leader is cut off; the old one fails its pending applies', async () => {
    const c = await three();
    const old = c.leader();
    c.net.isolate(old.raft.id);
    const pending = put(old, 'lost=1').catch((e: unknown) => e);
    await c.until(() => [...c.nodes.values()].some((n) => n !== old && n.raft.state === 'leader'));
    await c.until(() => old.raft.state !== 'leader'); // check-quorum
    const err = await c.settle(pending);
    expect(isRaftError(err, 'LEADERSHIP_LOST') || isRaftError(err, 'TIMEOUT')).toBe(true);
    c.net.heal(old.raft.id);
    const fresh = [...c.nodes.values()].find((n) => n.raft.state === 'leader')!;
    await c.settle(put(fresh, 'after=1'));
    await c.until(() => old.kv.map.get('after') === '1');
  });

  it('transfers leadership', async () => {
    const c = await three();
    const leader = c.leader();
    const target = [...c.nodes.values()].find((n) => n !== leader)!;
    const res = await c.settle(leader.raft.transferLeadership(target.raft.id));
    expect(res.leaderId).toBe(target.raft.id);
    await c.until(() => target.raft.state === 'leader');
  });

  it('snapshots by threshold, compacts, and brings a new member up through a snapshot', async () => {
    const c = await three({ snapshotThreshold: 20, snapshotTrailing: 5 });
    const leader = c.leader();
    const taken: number[] = [];
    leader.raft.on('snapshotTaken', (e) => taken.push(e.index));
    for (let i = 0; i < 60; i++) await c.settle(put(leader, `k${i}=${i}`));
    await c.until(() => taken.length >= 2);
    await c.until(() => leader.raft.stats().firstLogIndex > 1);
    const d = await c.start('d', ['a', 'b', 'c', 'd'], {
      bootstrap: false,
      snapshotThreshold: 20,
      snapshotTrailing: 5,
    });
    const installed: number[] = [];
    d.raft.on('snapshotInstalled', (e) => installed.push(e.index));
    const members: string[] = [];
    leader.raft.on('membershipChanged', (e) => members.push(`${e.change.type}:${e.change.node}`));
    await c.settle(leader.raft.addVoter('d', 'mem://d'));
    expect(members).toEqual(['addVoter:d']);
    await c.until(() => d.kv.map.get('k59') === '59');
    expect(installed.length).toBeGreaterThan(0);
    expect(d.kv.map.size).toBe(60);
    await c.settle(leader.raft.removeServer('d'));
    expect(leader.raft.stats().voters).toEqual(['a', 'b', 'c']);
  });

  it('takes a snapshot on demand and promotes a non-voter that caught up', async () => {
    const c = await three();
    const leader = c.leader();
    for (let i = 0; i < 10; i++) await c.settle(put(leader, `s${i}=${i}`));
    const snap = await c.settle(leader.raft.snapshot());
    expect(snap.index).toBe(leader.raft.stats().appliedIndex);
    expect(leader.raft.stats().lastSnapshotIndex).toBe(snap.index);
    const e = await c.start('e', ['a', 'b', 'c', 'e'], { bootstrap: false });
    await c.settle(leader.raft.addNonVoter('e', 'mem://e'));
    expect(leader.raft.stats().learners).toEqual(['e']);
    await c.until(() => e.kv.map.get('s9') === '9');
    expect(e.raft.state).toBe('follower');
    await c.settle(leader.raft.addVoter('e', 'mem://e'));
    expect(leader.raft.stats()).toMatchObject({ voters: ['a', 'b', 'c', 'e'], learners: [] });
    await expect(leader.raft.addVoter('e', 'mem://e')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('lets a leader remove itself; another node takes over', async () => {
    const c = await three();
    const old = c.leader();
    await c.settle(old.raft.removeServer(old.raft.id));
    await c.until(() => [...c.nodes.values()].some((n) => n !== old && n.raft.state === 'leader'));
    const fresh = [...c.nodes.values()].find((n) => n !== old && n.raft.state === 'leader')!;
    expect(fresh.raft.stats().voters).toEqual(['a', 'b', 'c'].filter((id) => id !== old.raft.id));
    expect(old.raft.state).not.toBe('leader');
    await c.settle(put(fresh, 'after=removal'));
  });

  it('transfers leadership to the most up-to-date voter when no target is named', async () => {
    const c = await three();
    const old = c.leader();
    const res = await c.settle(old.raft.transferLeadership());
    expect(res.leaderId).not.toBe(old.raft.id);
    await c.until(() => c.nodes.get(res.leaderId)?.raft.state === 'leader');
  });

  it('restarts from its stores and catches up', async () => {
    const c = await three({ snapshotThreshold: 10, snapshotTrailing: 2 });
    const leader = c.leader();
    for (let i = 0; i < 25; i++) await c.settle(put(leader, `r${i}=${i}`));
    const victim = [...c.nodes.values()].find((n) => n !== leader)!;
    await c.until(() => victim.kv.map.size === 25);
    await victim.raft.stop();
    await expect(put(victim, 'z=1')).rejects.toMatchObject({ code: 'SHUTDOWN' });
    for (let i = 25; i < 30; i++) await c.settle(put(leader, `r${i}=${i}`));
    const again = await c.start(
      victim.raft.id,
      ['a', 'b', 'c'],
      { snapshotThreshold: 10, snapshotTrailing: 2 },
      victim,
    );
    await c.until(() => again.kv.map.size === 30);
  });

  it('reports every invalid option at once', async () => {
    await expect(Raft.create({ config: { id: '', heartbeatMs: 900 } } as never)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      details: expect.arrayContaining([
        { path: 'config.id', message: 'must be a non-empty string' },
        { path: 'config.heartbeatMs', message: 'must be less than electionTimeoutMs (300)' },
        { path: 'stateMachine', message: 'is required' },
        { path: 'transport', message: 'is required' },
      ]),
    });
  });
});

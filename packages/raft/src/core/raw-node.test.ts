import { describe, it, expect } from '@jest/globals';
import { RawNode } from './raw-node.js';
import { MemoryStorage } from './storage.js';
import type { Message } from './messages.js';
import { EntryType, nodeId } from './types.js';
import type { NodeId } from './types.js';
import type { RaftCoreConfigInput } from './config.js';
import type { ReadState } from './ready-types.js';
import { RaftError } from '../errors.js';

const ids = [nodeId('1'), nodeId('2'), nodeId('3')];
const conf = { voters: ids, learners: [], votersOutgoing: [] };

function cluster(n = 3, config: Partial<RaftCoreConfigInput> = {}) {
  const members = ids.slice(0, n);
  const storages = new Map<NodeId, MemoryStorage>();
  const nodes = new Map<NodeId, RawNode>();
  const applied = new Map<NodeId, string[]>();
  let seed = 1;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (const id of members) {
    const s = new MemoryStorage({ conf: { ...conf, voters: members } });
    storages.set(id, s);
    nodes.set(id, new RawNode({ ...config, id }, s, rand));
    applied.set(id, []);
  }
  const inbox: Message[] = [];
  const reads = new Map<NodeId, ReadState[]>();
  const blocked = new Set<NodeId>();
  const drain = () => {
    for (let round = 0; round < 1000; round++) {
      let any = false;
      for (const [id, node] of nodes) {
        while (node.hasReady()) {
          any = true;
          const rd = node.ready();
          const s = storages.get(id)!;
          s.append(rd.entries);
          if (rd.hardState) s.setHardState(rd.hardState);
          inbox.push(...rd.messages);
          for (const e of rd.committedEntries) {
            if (e.type === EntryType.Command) applied.get(id)!.push(new TextDecoder().decode(e.data));
          }
          for (const r of rd.readStates) reads.set(id, [...(reads.get(id) ?? []), r]);
          node.advance(rd);
        }
      }
      const batch = inbox.splice(0);
      for (const m of batch) {
        any = true;
        if (!blocked.has(m.to) && !blocked.has(m.from)) nodes.get(m.to)?.step(m);
      }
      if (!any) return;
    }
    throw new Error('did not settle');
  };
  return { nodes, applied, drain, reads, blocked, storages };
}

function storageOf(c: ReturnType<typeof cluster>, id: NodeId): MemoryStorage {
  return c.storages.get(id)!;
}

describe('RawNode', () => {
  it('elects a leader on campaign and replicates a proposal to every node', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    expect(n1.status().role).toBe('leader');
    expect([n1.role, n1.term, n1.leader, c.nodes.get(ids[1]!)!.leader]).toEqual(['leader', 1, ids[0], ids[0]]);
    const res = n1.propose(new TextEncoder().encode('hello'));
    expect(res.ok).toBe(true);
    c.drain();
    for (const id of ids) expect(c.applied.get(id)).toEqual(['hello']);
  });

  it('refuses proposals on a follower, naming the leader', () => {
    const c = cluster();
    c.nodes.get(ids[0]!)!.campaign();
    c.drain();
    const res = c.nodes.get(ids[1]!)!.propose(new Uint8Array([1]));
    expect(res).toMatchObject({ ok: false, reason: 'notLeader', leader: ids[0] });
  });

  it('elects a leader by ticking alone', () => {
    const c = cluster();
    for (let i = 0; i < 40; i++) {
      for (const n of c.nodes.values()) n.tick();
      c.drain();
    }
    const leaders = [...c.nodes.values()].filter((n) => n.status().role === 'leader');
    expect(leaders).toHaveLength(1);
  });

  it('confirms a read on the leader with a heartbeat round and forwards one from a follower', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    n1.readIndex(new TextEncoder().encode('r1'));
    c.nodes.get(ids[2]!)!.readIndex(new TextEncoder().encode('r3'));
    c.drain();
    expect(c.reads.get(ids[0]!)?.map((r) => [new TextDecoder().decode(r.context), r.index])).toEqual([['r1', 1]]);
    expect(c.reads.get(ids[2]!)?.map((r) => [new TextDecoder().decode(r.context), r.index])).toEqual([['r3', 1]]);
  });

  it('does not confirm a read while the leader is cut off from its quorum', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    c.blocked.add(ids[1]!);
    c.blocked.add(ids[2]!);
    n1.readIndex(new TextEncoder().encode('r'));
    c.drain();
    expect(c.reads.get(ids[0]!)).toBeUndefined();
    // After check-quorum deposes it, the pending read is refused.
    for (let i = 0; i < 10; i++) n1.tick();
    c.drain();
    expect(n1.status().role).toBe('follower');
    expect(c.reads.get(ids[0]!)?.map((r) => r.index)).toEqual([null]);
  });

  it('answers at once from the lease when lease reads are on', () => {
    const c = cluster(3, { leaseRead: true });
    // With lease reads on, freshly started nodes refuse votes for one election timeout
    // (they may have promised a lease before a crash).
    let leader: RawNode | undefined;
    for (let i = 0; i < 40 && leader === undefined; i++) {
      for (const n of c.nodes.values()) n.tick();
      c.drain();
      leader = [...c.nodes.values()].find((n) => n.status().role === 'leader');
    }
    expect(leader).toBeDefined();
    leader!.tick();
    c.drain(); // a heartbeat round acknowledged by the quorum
    for (const id of ids) if (id !== leader!.id) c.blocked.add(id);
    leader!.readIndex(new TextEncoder().encode('lease'));
    c.drain();
    expect(c.reads.get(leader!.id)?.map((r) => r.index)).toEqual([leader!.status().commit]);
  });

  it('refuses proposals beyond maxUncommittedSize, but always accepts one', () => {
    const c = cluster(3, { maxUncommittedSize: 10 });
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    c.blocked.add(ids[1]!);
    c.blocked.add(ids[2]!);
    expect(n1.propose(new Uint8Array(8)).ok).toBe(true);
    expect(n1.propose(new Uint8Array(8))).toMatchObject({ ok: false, reason: 'uncommittedLimit' });
  });

  it('a single voter elects itself and commits alone', () => {
    const c = cluster(1);
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    expect(n1.status().role).toBe('leader');
    n1.propose(new TextEncoder().encode('solo'));
    c.drain();
    expect(c.applied.get(ids[0]!)).toEqual(['solo']);
  });

  it('enforces the ready/advance protocol', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    const rd = n1.ready();
    expect(n1.hasReady()).toBe(false);
    expect(() => n1.ready()).toThrow(RaftError);
    expect(() => n1.advance({ ...rd })).toThrow(/not the Ready/);
    n1.advance(rd);
  });

  it('refuses a message of unknown type and ignores one addressed elsewhere', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    expect(() => n1.step({ type: 'bogus', from: ids[1], to: ids[0], term: 1 } as unknown as Message)).toThrow(
      /unknown message type/,
    );
    n1.step({ type: 'timeoutNow', from: ids[1]!, to: ids[2]!, term: 5 } as Message);
    expect(n1.status().term).toBe(0);
  });

  it('refuses leadership transfer to a non-voter and from a follower', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    expect(n1.transferLeader(nodeId('9'))).toMatchObject({ ok: false, reason: 'notVoter' });
    expect(c.nodes.get(ids[1]!)!.transferLeader(ids[2]!)).toMatchObject({
      ok: false,
      reason: 'notLeader',
      leader: ids[0],
    });
  });

  it('restarts from storage with its term, vote and commit', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    n1.propose(new TextEncoder().encode('x'));
    c.drain();
    const before = n1.status();
    // Rebuild node 1 from the same storage, as after a crash.
    const again = new RawNode({ id: ids[0]! }, storageOf(c, ids[0]!), () => 0.5);
    expect(again.status()).toMatchObject({
      term: before.term,
      vote: before.vote,
      commit: before.commit,
      role: 'follower',
    });
  });
});

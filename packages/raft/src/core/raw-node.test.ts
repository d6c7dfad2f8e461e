import { describe, it, expect } from '@jest/globals';
import { RawNode } from './raw-node.js';
import { MemoryStorage } from './storage.js';
import type { Message } from './messages.js';
import { EntryType, nodeId } from './types.js';
import type { NodeId } from './types.js';

const ids = [nodeId('1'), nodeId('2'), nodeId('3')];
const conf = { voters: ids, learners: [], votersOutgoing: [] };

function cluster(n = 3) {
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
    nodes.set(id, new RawNode({ id }, s, rand));
    applied.set(id, []);
  }
  const inbox: Message[] = [];
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
          node.advance(rd);
        }
      }
      const batch = inbox.splice(0);
      for (const m of batch) {
        any = true;
        nodes.get(m.to)?.step(m);
      }
      if (!any) return;
    }
    throw new Error('did not settle');
  };
  return { nodes, applied, drain };
}

describe('RawNode', () => {
  it('elects a leader on campaign and replicates a proposal to every node', () => {
    const c = cluster();
    const n1 = c.nodes.get(ids[0]!)!;
    n1.campaign();
    c.drain();
    expect(n1.status().role).toBe('leader');
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
});

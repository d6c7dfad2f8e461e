// Three node processes of the kv-http example over TCP on 127.0.0.1, each with its SQLite log and
// file snapshots. Clients write while the leader is killed with SIGKILL; every acknowledged write
// must be on every node afterwards, and a node whose data dir was wiped rejoins via a snapshot.
import { describe, it, expect, afterAll, beforeAll } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import { KvCluster } from './support/kv-cluster.js';

let cluster: KvCluster;
beforeAll(async () => {
  // A low threshold so that snapshots and log compaction happen within the test.
  cluster = await KvCluster.create(['a', 'b', 'c'], ['--snapshot-threshold', '100']);
});
afterAll(async () => {
  await cluster?.destroy();
});

/** Writers that send unique keys to whichever node leads, retrying elsewhere on failure. */
function startWriters(c: KvCluster, count: number) {
  const acked = new Map<string, string>();
  let stop = false;
  let seq = 0;
  let leader: string | null = null;
  const loop = async (w: number): Promise<void> => {
    while (!stop) {
      leader ??= await c.leader();
      if (leader === null) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const key = `w${w}-${seq++}`;
      const value = `v-${key}`;
      try {
        const res = await c.request(leader, 'PUT', `/kv/${key}`, value);
        if (res.status === 200) acked.set(key, value);
        else
          leader = typeof res.json['leader'] === 'string' && res.status === 421 ? (res.json['leader'] as string) : null;
      } catch {
        leader = null; // the node is gone or slow: look again
      }
    }
  };
  const done = Promise.all(Array.from({ length: count }, (_, w) => loop(w)));
  return {
    acked,
    async stop() {
      stop = true;
      await done;
    },
  };
}

async function hasAll(c: KvCluster, id: string, acked: Map<string, string>): Promise<true | null> {
  const res = await c.request(id, 'GET', '/kv');
  for (const [k, v] of acked) if (res.json[k] !== v) return null;
  return true;
}

describe('three @orc/raft processes over TCP', () => {
  it('survive kill -9 of the leader without losing acknowledged writes, and re-provision a wiped node', async () => {
    const c = cluster;
    for (const n of c.nodes) c.start(n.id);
    const first = await waitFor('a first leader', () => c.leader());

    const writers = startWriters(c, 4);
    await waitFor('300 acknowledged writes', async () => (writers.acked.size >= 300 ? true : null));
    await c.kill(first);
    const before = writers.acked.size;
    const second = await waitFor('a new leader', async () => {
      const l = await c.leader();
      return l !== null && l !== first ? l : null;
    });
    await waitFor('writes acknowledged by the new leader', async () =>
      writers.acked.size >= before + 200 ? true : null,
    );
    expect(second).not.toBe(first);

    c.start(first);
    await writers.stop();
    for (const n of c.nodes) await waitFor(`every acknowledged write on ${n.id}`, () => hasAll(c, n.id, writers.acked));

    // Wipe a follower's data dir: it comes back empty and is brought up to date by a snapshot.
    const leaderNow = await waitFor('a leader', () => c.leader());
    const victim = c.nodes.find((n) => n.id !== leaderNow)!.id;
    await c.kill(victim);
    c.wipe(victim);
    const more = startWriters(c, 2);
    await waitFor('more writes', async () => (more.acked.size >= 150 ? true : null));
    c.start(victim);
    await more.stop();
    const all = new Map([...writers.acked, ...more.acked]);
    await waitFor(`every write on the wiped node ${victim}`, () => hasAll(c, victim, all), {
      timeoutMs: 30_000,
    });
    const st = await c.status(victim);
    expect(Number(st?.['lastSnapshotIndex'])).toBeGreaterThan(0);
    expect(Number(st?.['firstLogIndex'])).toBeGreaterThan(1);
    for (const n of c.nodes) await waitFor(`convergence on ${n.id}`, () => hasAll(c, n.id, all));

    // Kill every process at once and restart them all: everything comes back from disk.
    await Promise.all(c.nodes.map((n) => c.kill(n.id)));
    for (const n of c.nodes) c.start(n.id);
    await waitFor('a leader after a full restart', () => c.leader());
    for (const n of c.nodes) await waitFor(`every write on ${n.id} after a full restart`, () => hasAll(c, n.id, all));
  }, 90_000);
});

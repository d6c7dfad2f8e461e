// orc-client against three orc daemons in Raft mode (processes on 127.0.0.1, SQLite backends,
// watching a real MariaDB 1+2): with the three URLs in ORCHESTRATOR_API every mutating command is
// sent to the leader itself (each node's orc_http_requests_total shows who received it) and is
// applied on every node; after kill -9 of the leader the next call finds the new one; with
// followers only, the client falls back to routed-leader-check and the follower forwards.
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createRaftNodes,
  startMariaDbTopology,
  type MariaDbTopology,
  type RaftNode,
  type RaftNodes,
} from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { runClientProcess, type ClientRun } from './support/processes.js';

let topo: MariaDbTopology;
let group: RaftNodes;
let P = '';
let R1 = '';
let R2 = '';

const apiOf = (nodes: readonly RaftNode[]): string => nodes.map((n) => n.url).join(' ');
const client = (argv: readonly string[], api: string): Promise<ClientRun> =>
  runClientProcess(argv, { ORCHESTRATOR_API: api });
const alive = (): RaftNode[] => group.nodes.filter((n) => n.isRunning());

async function healthy(nodes: readonly RaftNode[]): Promise<void> {
  await waitFor(
    'every node is a healthy Raft member',
    async () => {
      const codes = await Promise.all(
        nodes.map((n) =>
          n.get('/api/raft-health').then(
            (r) => r.status,
            // Refused until the process listens: that is what this poll waits out.
            () => 0,
          ),
        ),
      );
      return codes.every((c) => c === 200);
    },
    { timeoutMs: 90_000, intervalMs: 200, diagnose: () => nodes.map((n) => `${n.name}: ${n.output().slice(-1500)}`) },
  );
}

async function oneLeader(nodes: readonly RaftNode[]): Promise<RaftNode> {
  return waitFor(
    'exactly one node answers leader-check 200',
    async () => {
      const codes = await Promise.all(nodes.map(async (n) => (await n.get('/api/leader-check')).status));
      const leaders = nodes.filter((_, i) => codes[i] === 200);
      return leaders.length === 1 ? leaders[0] : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
}

/** Requests each route pattern received, from the node's orc_http_requests_total. */
async function received(node: RaftNode): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const text = (await node.get('/metrics')).text;
  for (const m of text.matchAll(/^orc_http_requests_total\{[^}]*route="([^"]+)"[^}]*\} (\d+)$/gm)) {
    const route = m[1] as string;
    counts.set(route, (counts.get(route) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** How many more requests each node received on routes under `prefix` than in `before`. */
async function deltas(
  nodes: readonly RaftNode[],
  before: readonly Map<string, number>[],
  prefix: string,
): Promise<number[]> {
  const sum = (counts: Map<string, number>): number =>
    [...counts].filter(([route]) => route === prefix || route.startsWith(`${prefix}/`)).reduce((s, [, n]) => s + n, 0);
  return Promise.all(nodes.map(async (n, i) => sum(await received(n)) - sum(before[i] as Map<string, number>)));
}

const snapshot = (nodes: readonly RaftNode[]): Promise<Map<string, number>[]> => Promise.all(nodes.map(received));

async function downtimedOn(node: RaftNode): Promise<string[]> {
  const list = (await node.get('/api/downtimed')).body as { Key: { Hostname: string; Port: number } }[];
  return list.map((i) => `${i.Key.Hostname}:${i.Key.Port}`).sort();
}

async function waitDowntimed(nodes: readonly RaftNode[], expected: readonly string[]): Promise<void> {
  for (const n of nodes)
    await waitFor(
      `${n.name} lists ${expected.join(', ') || 'nothing'} as downtimed`,
      async () => JSON.stringify(await downtimedOn(n)) === JSON.stringify([...expected].sort()),
      { timeoutMs: 30_000, intervalMs: 200, diagnose: () => downtimedOn(n) },
    );
}

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  P = `127.0.0.1:${topo.primary.port}`;
  R1 = `127.0.0.1:${topo.instance('r1').port}`;
  R2 = `127.0.0.1:${topo.instance('r2').port}`;
  group = await createRaftNodes(3, { MySQLTopologyUser: 'orc', MySQLTopologyPassword: 'orc' });
  for (const n of group.nodes) n.start();
  await healthy(group.nodes);
}, 180_000);

afterAll(async () => {
  await group?.destroy();
  await topo?.stop();
}, 60_000);

describe('orc-client against a Raft group of three daemons', () => {
  it('sends every mutating command to the leader when all three URLs are listed', async () => {
    const leader = await oneLeader(group.nodes);
    const api = apiOf(group.nodes);
    expect(await client(['-c', 'which-api'], api)).toEqual({ code: 0, out: `${leader.url}/api\n`, err: '' });

    const commands: [argv: string[], out: string | RegExp, route: string][] = [
      [['-c', 'discover', '-i', P], `${P}\n`, '/api/discover'],
      [['-c', 'begin-downtime', '-i', R1, '-r', 'raft', '-u', '1h'], `${R1}\n`, '/api/begin-downtime'],
      [['-c', 'end-downtime', '-i', R1], `${R1}\n`, '/api/end-downtime'],
      [['-c', 'begin-maintenance', '-i', R2, '-r', 'backup'], /^\d+\n$/, '/api/begin-maintenance'],
      [['-c', 'end-maintenance', '-i', R2], `${R2}\n`, '/api/end-maintenance'],
      [['-c', 'register-candidate', '-i', R1, '-R', 'prefer'], `${R1}\n`, '/api/register-candidate'],
      [['-c', 'disable-global-recoveries'], 'disabled\n', '/api/disable-global-recoveries'],
      [['-c', 'enable-global-recoveries'], 'enabled\n', '/api/enable-global-recoveries'],
      [['-c', 'begin-downtime', '-i', R2, '-r', 'raft', '-u', '1h'], `${R2}\n`, '/api/begin-downtime'],
    ];
    for (const [argv, out, route] of commands) {
      const before = await snapshot(group.nodes);
      const run = await client(argv, api);
      expect({ argv, code: run.code, err: run.err }).toEqual({ argv, code: 0, err: '' });
      expect(run.out).toMatch(
        typeof out === 'string' ? new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : out,
      );
      expect({ argv, received: await deltas(group.nodes, before, route) }).toEqual({
        argv,
        received: group.nodes.map((n) => (n === leader ? 1 : 0)),
      });
      if (argv[1] === 'discover')
        // Every node discovers the replicas from the replicated discover, before the next rows use them.
        for (const n of group.nodes)
          for (const key of [P, R1, R2])
            await waitFor(
              `${n.name} knows ${key}`,
              async () => (await n.get(`/api/instance/${key.replace(':', '/')}`)).status === 200,
              { timeoutMs: 60_000, intervalMs: 250 },
            );
    }
    await waitDowntimed(group.nodes, [R2]);
  }, 240_000);

  it('finds the new leader on the next call after kill -9 of the leader', async () => {
    const old = await oneLeader(group.nodes);
    await old.kill('SIGKILL');
    const next = await oneLeader(alive());
    const api = apiOf(group.nodes);
    expect(await client(['-c', 'which-api'], api)).toEqual({ code: 0, out: `${next.url}/api\n`, err: '' });
    const before = await snapshot(alive());
    expect(await client(['-c', 'begin-downtime', '-i', R1, '-r', 'after kill', '-u', '1h'], api)).toEqual({
      code: 0,
      out: `${R1}\n`,
      err: '',
    });
    expect(await deltas(alive(), before, '/api/begin-downtime')).toEqual(alive().map((n) => (n === next ? 1 : 0)));
    await waitDowntimed(alive(), [R1, R2]);
    old.start();
    await healthy(group.nodes);
    await waitDowntimed(group.nodes, [R1, R2]);
  }, 180_000);

  it('falls back to routed-leader-check when only followers are listed, and uses a lone follower as given', async () => {
    const leader = await oneLeader(group.nodes);
    const [f1, f2] = group.nodes.filter((n) => n !== leader) as [RaftNode, RaftNode];
    // The follower must know the leader's URI before it can forward anything.
    await waitFor('both followers know the leader URI', async () => {
      for (const f of [f1, f2])
        if (((await f.get('/api/raft-status')).body as { LeaderURI: string }).LeaderURI !== leader.url) return false;
      return true;
    });
    const everyone = [f1, f2, leader];

    let before = await snapshot(everyone);
    expect(await client(['-c', 'end-downtime', '-i', R1], apiOf([f1, f2]))).toEqual({
      code: 0,
      out: `${R1}\n`,
      err: '',
    });
    expect(await deltas(everyone, before, '/api/leader-check')).toEqual([1, 1, 0]);
    // f1 answered the client's routed-leader-check by forwarding it to the leader.
    expect(await deltas(everyone, before, '/api/routed-leader-check')).toEqual([1, 0, 1]);
    expect(await deltas(everyone, before, '/api/end-downtime')).toEqual([1, 0, 1]);
    await waitDowntimed(group.nodes, [R2]);

    before = await snapshot(everyone);
    expect(await client(['-c', 'which-api'], f2.url)).toEqual({ code: 0, out: `${f2.url}/api\n`, err: '' });
    expect(await client(['-c', 'end-downtime', '-i', R2], f2.url)).toEqual({ code: 0, out: `${R2}\n`, err: '' });
    expect(await deltas(everyone, before, '/api/leader-check')).toEqual([0, 0, 0]);
    expect(await deltas(everyone, before, '/api/end-downtime')).toEqual([0, 1, 1]);
    await waitDowntimed(group.nodes, []);
  }, 120_000);

  it('answers the raft commands from the leader and moves leadership with raft-elect-leader', async () => {
    const leader = await oneLeader(group.nodes);
    const api = apiOf(group.nodes);
    expect(await client(['-c', 'raft-leader'], api)).toEqual({ code: 0, out: `${leader.raftAddress}\n`, err: '' });
    expect(await client(['-c', 'raft-health'], api)).toEqual({ code: 0, out: 'healthy\n', err: '' });
    expect(await client(['-c', 'raft-leader-hostname'], api)).toEqual({ code: 0, out: `${hostname()}\n`, err: '' });
    const target = group.nodes.find((n) => n !== leader) as RaftNode;
    // As the original, raft-leader asked of a follower alone cannot tell.
    const asked = await client(['-c', 'raft-leader'], target.url);
    expect([asked.code, asked.out, asked.err]).toEqual([1, '', expect.stringContaining('Cannot determine raft state')]);
    // The hint is the target's Raft port: only its address contains it.
    const hint = target.raftAddress.split(':')[1] as string;
    const elected = await client(['-c', 'raft-elect-leader', '-H', hint], api);
    expect([elected.code, elected.err]).toEqual([0, '']);
    await waitFor('the hinted node leads', async () => ((await oneLeader(group.nodes)) === target ? true : undefined), {
      timeoutMs: 30_000,
    });
    expect(await client(['-c', 'which-api'], api)).toEqual({ code: 0, out: `${target.url}/api\n`, err: '' });
  }, 120_000);
});

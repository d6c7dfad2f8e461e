// orchestrator's documented HAProxy recipe in front of a three-node Raft group (Debian's haproxy
// from @orc/testenv): `option httpchk GET /api/leader-check` lets requests reach only the leader,
// and after the leader is killed -9 they reach the new one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHaproxy, type HaproxyServer } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { createRaftNodes, type RaftNode, type RaftNodes } from './support/raft-nodes.js';

let group: RaftNodes;
let haproxy: HaproxyServer;
let front: string;

beforeAll(async () => {
  group = await createRaftNodes(3);
  for (const n of group.nodes) n.start();
  await waitFor(
    'every node is a healthy Raft member',
    async () => {
      for (const n of group.nodes) {
        const ok = await n.get('/api/raft-health').then(
          (r) => r.status === 200,
          // Refused until the process listens: that is what this poll waits out.
          () => false,
        );
        if (!ok) return false;
      }
      return true;
    },
    { timeoutMs: 90_000, intervalMs: 200 },
  );
  const servers = group.nodes.map((n) => `  server ${n.name} ${n.url.replace('http://', '')} check`).join('\n');
  haproxy = await startHaproxy({
    name: 'raft15-haproxy',
    config: (ctx) => `defaults
  mode http
  timeout connect 2s
  timeout client 10s
  timeout server 10s

listen orc
  bind ${ctx.host}:${ctx.port}
  option httpchk GET /api/leader-check
  http-check expect status 200
  timeout check 2s
  default-server inter 200ms fall 2 rise 1 on-marked-down shutdown-sessions
${servers}
`,
  });
  front = `http://${haproxy.host}:${haproxy.port}`;
}, 150_000);

afterAll(async () => {
  await haproxy?.destroy();
  await group?.destroy();
}, 60_000);

async function answeredBy(): Promise<{ status: number; advertise: string; state: string }> {
  const res = await fetch(`${front}/api/raft-status`, { signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) return { status: res.status, advertise: '', state: '' };
  const body = (await res.json()) as { RaftAdvertise: string; State: string };
  return { status: 200, advertise: body.RaftAdvertise, state: body.State };
}

const byAddress = (address: string): RaftNode | undefined => group.nodes.find((n) => n.raftAddress === address);

describe('HAProxy with option httpchk GET /api/leader-check', () => {
  it('sends every request to the leader, and to the new leader after kill -9', async () => {
    // HAProxy starts with every server up; the checks mark the followers down within `fall` rounds.
    await waitFor('haproxy has checked every server: one up, two down', async () => {
      const servers = (await haproxy.stats()).filter((s) => s.proxy === 'orc' && s.server.startsWith('n'));
      const up = servers.filter((s) => s.status === 'UP' && s.checkStatus === 'L7OK');
      const down = servers.filter((s) => s.status === 'DOWN');
      return up.length === 1 && down.length === 2;
    });
    const first = await waitFor('haproxy reaches the leader', async () => {
      const a = await answeredBy();
      return a.state === 'Leader' ? byAddress(a.advertise) : undefined;
    });
    for (let i = 0; i < 20; i++)
      expect(await answeredBy()).toEqual({ status: 200, advertise: first.raftAddress, state: 'Leader' });
    await first.kill('SIGKILL');
    const next = await waitFor(
      'haproxy reaches a new leader',
      async () => {
        const a = await answeredBy();
        return a.state === 'Leader' && a.advertise !== first.raftAddress ? byAddress(a.advertise) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    for (let i = 0; i < 20; i++)
      expect(await answeredBy()).toEqual({ status: 200, advertise: next.raftAddress, state: 'Leader' });
  }, 120_000);
});

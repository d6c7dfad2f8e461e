// Three orc daemons in Raft mode as processes on 127.0.0.1, each with its own SQLite backend and
// RaftDataDir: one leader at every sample, mutations sent to a follower applied on all three
// backends, a read-only user refused by the follower and nothing applied, garbage on the Raft
// port refused while the group serves, a new leader after kill -9 of the leader, and a wiped
// node that rejoins with the same rows. (Garbage only: the wrong-secret and other-cluster handshakes are
// covered by @orc/raft's transport tests.)
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitFor } from '@orc/testkit';
import { backendDowntimes, leaders, waitAllHealthy, waitOneLeader } from './support/raft-checks.js';
import { createRaftNodes, type RaftNode, type RaftNodes } from './support/raft-nodes.js';

const admin = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
const readonly = { authorization: `Basic ${Buffer.from('readonly:any').toString('base64')}` };
let group: RaftNodes;

beforeAll(async () => {
  group = await createRaftNodes(3, { AuthenticationMethod: 'multi', HTTPAuthUser: 'admin', HTTPAuthPassword: 'pw' });
  for (const n of group.nodes) n.start();
  await waitAllHealthy(group.nodes);
}, 120_000);

afterAll(async () => {
  await group?.destroy();
}, 60_000);

const hasDowntime = (node: RaftNode, host: string): boolean => backendDowntimes(node).some((d) => d.hostname === host);

describe('raft group of three', () => {
  it('has exactly one leader at every sample, and the followers name it', async () => {
    const leader = await waitOneLeader(group.nodes);
    for (let i = 0; i < 20; i++) expect(await leaders(group.nodes)).toEqual([leader]);
    for (const n of group.nodes) {
      const status = (await n.get('/api/raft-status')).body as { Leader: string; LeaderURI: string; Peers: string[] };
      expect(status.Leader).toBe(leader.raftAddress);
      expect(status.Peers).toHaveLength(3);
    }
    await waitFor('every node knows the leader URI', async () => {
      for (const n of group.nodes) {
        const status = (await n.get('/api/raft-status')).body as { LeaderURI: string };
        if (status.LeaderURI !== leader.url) return false;
      }
      return true;
    });
  }, 60_000);

  it('applies a begin-downtime sent to a follower on all three backends', async () => {
    const leader = await waitOneLeader(group.nodes);
    const follower = group.nodes.find((n) => n !== leader) as RaftNode;
    const res = await follower.get('/api/begin-downtime/db-a/3306/alice/upgrade/1h', { headers: admin });
    expect(res.status).toBe(200);
    for (const n of group.nodes)
      await waitFor(`${n.name} has the downtime row`, () => hasDowntime(n, 'db-a'), { timeoutMs: 10_000 });
    expect(backendDowntimes(group.nodes[0] as RaftNode)).toEqual([
      { hostname: 'db-a', port: 3306, owner: 'alice', reason: 'upgrade' },
    ]);
  }, 60_000);

  it("refuses a read-only user's mutation on a follower and on the leader; nothing is applied", async () => {
    const leader = await waitOneLeader(group.nodes);
    const follower = group.nodes.find((n) => n !== leader) as RaftNode;
    expect((await follower.get('/api/begin-downtime/db-ro/3306/eve/x/1h', { headers: readonly })).status).toBe(403);
    expect((await leader.get('/api/begin-downtime/db-ro/3306/eve/x/1h', { headers: readonly })).status).toBe(403);
    expect((await follower.get('/api/end-downtime/db-a/3306', { headers: readonly })).status).toBe(403);
    // A later command through the same follower is applied everywhere: the refused ones were not.
    expect((await follower.get('/api/begin-downtime/db-b/3306/alice/after/1h', { headers: admin })).status).toBe(200);
    for (const n of group.nodes) {
      await waitFor(`${n.name} applied db-b`, () => hasDowntime(n, 'db-b'), { timeoutMs: 10_000 });
      expect(backendDowntimes(n).map((d) => d.hostname)).toEqual(['db-a', 'db-b']);
    }
  }, 60_000);

  it('refuses garbage on the Raft port with a logged reason while the group keeps serving', async () => {
    const target = group.nodes[0] as RaftNode;
    const [host, port] = target.raftAddress.split(':') as [string, string];
    for (const [name, payload] of [
      ['http', Buffer.from('GET / HTTP/1.1\r\n\r\n')],
      ['ff', Buffer.alloc(64, 0xff)],
    ] as const) {
      // The node closes the connection; a reset (it closed with our bytes unread) is a refusal too.
      const events: string[] = [];
      const ended = await new Promise<string>((resolve) => {
        let how = 'closed';
        const socket = connect({ host, port: Number(port) }, () => {
          events.push('connected');
          socket.write(payload);
        });
        socket.on('data', (d: Buffer) => events.push(`data ${d.length}`));
        socket.on('end', () => events.push('end'));
        socket.on('error', (err: NodeJS.ErrnoException) => (how = err.code ?? err.message));
        socket.setTimeout(5000, () => {
          how = 'still open after 5 s';
          socket.destroy();
        });
        socket.on('close', () => resolve(how));
      });
      expect({
        name,
        ended: ['closed', 'ECONNRESET', 'EPIPE'].includes(ended) ? 'refused' : ended,
        events,
      }).toMatchObject({
        name,
        ended: 'refused',
      });
    }
    await waitFor(
      'the refusal is logged',
      () => /raft transport/.test(target.output()) && /refused|closed|invalid/i.test(target.output()),
    );
    const leader = await waitOneLeader(group.nodes);
    expect((await target.get('/api/begin-downtime/db-c/3306/alice/still/1h', { headers: admin })).status).toBe(200);
    for (const n of group.nodes)
      await waitFor(`${n.name} applied db-c`, () => hasDowntime(n, 'db-c'), { timeoutMs: 10_000 });
    expect(await leaders(group.nodes)).toEqual([leader]);
  }, 60_000);

  it('elects a new leader after kill -9 of the leader; the old one rejoins as a follower', async () => {
    const old = await waitOneLeader(group.nodes);
    await old.kill('SIGKILL');
    const rest = group.nodes.filter((n) => n !== old);
    const next = await waitOneLeader(rest);
    expect(next).not.toBe(old);
    const follower = rest.find((n) => n !== next) as RaftNode;
    // Until the new leader's URI is applied there, the follower answers 503 rather than guess.
    await waitFor('the follower knows the new leader URI', async () => {
      const status = (await follower.get('/api/raft-status')).body as { LeaderURI: string };
      return status.LeaderURI === next.url;
    });
    expect((await follower.get('/api/begin-downtime/db-d/3306/alice/failover/1h', { headers: admin })).status).toBe(
      200,
    );
    old.start();
    await waitAllHealthy(group.nodes);
    await waitFor(`${old.name} caught up`, () => hasDowntime(old, 'db-d'), { timeoutMs: 30_000 });
    expect(await leaders(group.nodes)).toEqual([next]);
  }, 120_000);

  it('serves a wiped node a snapshot and the log; it reports the same rows', async () => {
    const leader = await waitOneLeader(group.nodes);
    expect((await leader.get('/api/raft-snapshot', { headers: admin })).status).toBe(200);
    const victim = group.nodes.find((n) => n !== leader) as RaftNode;
    await victim.kill('SIGKILL');
    victim.wipe();
    expect((await leader.get('/api/begin-downtime/db-e/3306/alice/while-wiped/1h', { headers: admin })).status).toBe(
      200,
    );
    victim.start();
    await waitAllHealthy(group.nodes);
    await waitFor(`${victim.name} has every row again`, () => hasDowntime(victim, 'db-e'), { timeoutMs: 30_000 });
    expect(backendDowntimes(victim)).toEqual(backendDowntimes(leader));
    expect(backendDowntimes(victim).map((d) => d.hostname)).toEqual(['db-a', 'db-b', 'db-c', 'db-d', 'db-e']);
  }, 120_000);
});

// Kubernetes-like renaming: three Raft daemons know each other by host names (orc1..orc3) that a
// hosts file the test controls maps to 127.0.0.x (RaftHostsFile), as a StatefulSet's DNS maps pod
// names. A member killed with -9 comes back on a new address under the same name, with the same
// configuration: the others find it at their next dial, and it catches up on what happened while
// it was away.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { canConnect } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { createRaftNodes, type RaftNode, type RaftNodes } from './support/raft-nodes.js';
import { backendDowntimes, waitAllHealthy, waitOneLeader } from './support/raft-checks.js';

const admin = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };
const hostsDir = mkdtempSync(join(tmpdir(), 'orc-raft-hosts-'));
const hostsFile = join(hostsDir, 'hosts');
let group: RaftNodes;

const writeHosts = (addresses: readonly string[]): void =>
  writeFileSync(hostsFile, addresses.map((a, i) => `${a} orc${i + 1} orc${i + 1}.orc.test\n`).join(''));
const hasDowntime = (node: RaftNode, host: string): boolean => backendDowntimes(node).some((d) => d.hostname === host);

beforeAll(async () => {
  writeHosts(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
  group = await createRaftNodes(
    3,
    { AuthenticationMethod: 'multi', HTTPAuthUser: 'admin', HTTPAuthPassword: 'pw', RaftHostsFile: hostsFile },
    { raftHost: (i) => `orc${i + 1}` },
  );
  for (const n of group.nodes) n.start();
  await waitAllHealthy(group.nodes);
}, 120_000);

afterAll(async () => {
  await group?.destroy();
  rmSync(hostsDir, { recursive: true, force: true });
}, 60_000);

describe('a member restarted on a new address under the same name', () => {
  it('is known by name and listens on the address the hosts file gives', async () => {
    const leader = await waitOneLeader(group.nodes);
    const status = (await leader.get('/api/raft-status')).body as { Leader: string; Peers: string[] };
    expect(status.Leader).toBe(leader.raftAddress);
    expect([...status.Peers].sort()).toEqual(group.nodes.map((n) => n.raftAddress).sort());
    const third = group.nodes[2] as RaftNode;
    const port = Number(third.raftAddress.split(':')[1]);
    expect(await canConnect(port, '127.0.0.3')).toBe(true);
    expect(await canConnect(port, '127.0.0.1')).toBe(false);
  }, 60_000);

  it('rejoins without a configuration change and catches up on a downtime begun while it was away', async () => {
    const leader = await waitOneLeader(group.nodes);
    // A follower moves, so the leader (which never restarts) must re-resolve its name to reach it.
    const moved = group.nodes.find((n) => n !== leader) as RaftNode;
    const index = group.nodes.indexOf(moved);
    const port = Number(moved.raftAddress.split(':')[1]);
    await moved.kill('SIGKILL');
    expect((await leader.get('/api/begin-downtime/db-away/3306/alice/while-moved/1h', { headers: admin })).status).toBe(
      200,
    );

    const addresses = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
    addresses[index] = '127.0.0.13';
    writeHosts(addresses);
    moved.start();
    await waitAllHealthy(group.nodes);
    expect(await canConnect(port, '127.0.0.13')).toBe(true);
    expect(await canConnect(port, `127.0.0.${index + 1}`)).toBe(false);
    await waitFor(`${moved.name} caught up`, () => hasDowntime(moved, 'db-away'), { timeoutMs: 30_000 });

    // Both directions work: a mutation sent to the moved node is forwarded to the leader and
    // replicated back to it at its new address.
    expect((await moved.get('/api/begin-downtime/db-back/3306/alice/after-move/1h', { headers: admin })).status).toBe(
      200,
    );
    for (const n of group.nodes)
      await waitFor(`${n.name} applied db-back`, () => hasDowntime(n, 'db-back'), { timeoutMs: 30_000 });
    for (const n of group.nodes) expect(backendDowntimes(n).map((d) => d.hostname)).toEqual(['db-away', 'db-back']);
    const status = (await moved.get('/api/raft-status')).body as { Peers: string[] };
    expect([...status.Peers].sort()).toEqual(group.nodes.map((n) => n.raftAddress).sort());
  }, 180_000);
});

// DC fencing in network namespaces: three "data centers" (namespaces on one bridge), each with an
// orc node (`ip netns exec`) and its own etcd; a MariaDB 1+2 in the root namespace on the bridge.
// DC2, made the leader first, is isolated: it stops answering 200 to leader-check and raft-health
// and never runs a recovery; the primary is killed meanwhile: DC1 and DC3 fail over and their
// stores name the new primary while DC2's still names the old one; once healed, DC2's store names
// the new one with no command sent. Needs root and iproute2: without them the setup fails, as CI
// must see (no skip). Everything is removed by PID and namespace, also after a failure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createRaftNodes,
  startEtcd,
  startMariaDbTopology,
  type EtcdServer,
  type MariaDbTopology,
  type RaftNode,
  type RaftNodes,
} from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { createDcNetwork, type DcNetwork } from './support/dc-network.js';
import { waitAllHealthy, waitOneLeader } from './support/raft-checks.js';

const KEY = 'mysql/master/main';
const ELECTION_TIMEOUT_MS = 500;
let net: DcNetwork | undefined;
let topo: MariaDbTopology | undefined;
const stores: EtcdServer[] = [];
let group: RaftNodes | undefined;
let oldPrimary = '';
// The partition's sampler of DC2 runs while this holds; afterAll clears it should the test fail.
let sampling = false;

const dcNodes = (): readonly RaftNode[] => group?.nodes ?? [];
const node = (i: number): RaftNode => dcNodes()[i] as RaftNode;

/** The primary DC `i`'s own etcd names, or undefined when the key is absent. */
async function storedPrimary(i: number): Promise<string | undefined> {
  const etcd = stores[i] as EtcdServer;
  const res = await fetch(`${etcd.endpoint}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: Buffer.from(KEY).toString('base64') }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as { kvs?: { value: string }[] };
  const value = body.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}

/** Recoveries this node ran (any outcome but refused or skipped), from its /metrics. */
async function recoveriesRun(n: RaftNode): Promise<number> {
  const text = (await n.get('/metrics')).text;
  let total = 0;
  for (const m of text.matchAll(/^orc_recoveries_total\{[^}]*status="([a-z]+)"[^}]*\} (\d+)$/gm))
    if (m[1] !== 'refused' && m[1] !== 'skipped') total += Number(m[2]);
  return total;
}

// An isolated node that does not answer in time (-1) is not answering 200 either.
const status = async (n: RaftNode, path: string): Promise<number> =>
  n.get(path).then(
    (r) => r.status,
    () => -1,
  );

beforeAll(async () => {
  net = await createDcNetwork(3);
  const { dcs, rootAddress } = net;
  topo = await startMariaDbTopology({ shape: '1+2', host: rootAddress, name: 'dcfence' });
  // The recovery proves a promoted server writable by writing to orc_meta.write_probe.
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  await topo.waitCaughtUp();
  oldPrimary = `${rootAddress}:${topo.primary.port}`;
  for (const dc of dcs)
    stores.push(await startEtcd({ name: `etcd-${dc.name}`, host: dc.managementAddress, netns: dc.ns.name }));
  group = await createRaftNodes(
    3,
    {
      MySQLTopologyUser: topo.orcUser.user,
      MySQLTopologyPassword: topo.orcUser.password,
      DiscoverySeeds: [oldPrimary],
      RecoverMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': 'main' },
      RaftElectionTimeoutMillis: ELECTION_TIMEOUT_MS,
    },
    {
      raftHost: (i) => (dcs[i] as DcNetwork['dcs'][number]).address,
      httpHost: (i) => (dcs[i] as DcNetwork['dcs'][number]).managementAddress,
      wrap: (i) => (dcs[i] as DcNetwork['dcs'][number]).ns.execPrefix,
      // Each node listens on every address of its DC: the others (and the leader URI) use the
      // switch, the test the management link.
      config: (i, ports) => ({
        ListenAddress: `0.0.0.0:${ports.http}`,
        HTTPAdvertise: `http://${(dcs[i] as DcNetwork['dcs'][number]).address}:${ports.http}`,
        EtcdEndpoints: [(stores[i] as EtcdServer).endpoint],
      }),
    },
  );
  for (const n of group.nodes) n.start();
  await waitAllHealthy(group.nodes);
  await waitFor(
    "every DC's store names the primary",
    async () => {
      for (let i = 0; i < 3; i++) if ((await storedPrimary(i)) !== oldPrimary) return false;
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 250, diagnose: () => Promise.all([0, 1, 2].map(storedPrimary)) },
  );
}, 240_000);

afterAll(async () => {
  // Every step runs even when an earlier one fails; the first failure is reported after.
  sampling = false;
  const failures: unknown[] = [];
  const attempt = async (fn: () => Promise<unknown>): Promise<void> => {
    await fn().catch((err: unknown) => failures.push(err));
  };
  await attempt(async () => group?.destroy());
  for (const s of stores) await attempt(() => s.destroy());
  await attempt(async () => topo?.stop());
  await attempt(async () => net?.destroy());
  expect(failures).toEqual([]);
}, 120_000);

describe('a Raft group across three DCs in network namespaces', () => {
  it('fences an isolated DC, fails over in the majority, and heals the isolated store without a command', async () => {
    const dcs = (net as DcNetwork).dcs;
    const dc2 = node(1);
    // DC2 leads first, so its isolation also shows a leader stepping down.
    let leader = await waitOneLeader(dcNodes());
    if (leader !== dc2) {
      const yielded = await leader.get(`/api/raft-yield/${dc2.raftAddress}`);
      expect(yielded.status).toBe(200);
      leader = await waitFor('DC2 leads', async () => ((await waitOneLeader(dcNodes())) === dc2 ? dc2 : undefined), {
        timeoutMs: 30_000,
      });
    }
    expect(leader).toBe(dc2);

    await (dcs[1] as DcNetwork['dcs'][number]).connect(false);
    await waitFor(
      'isolated DC2 answers neither leader-check nor raft-health with 200',
      async () => (await status(dc2, '/api/leader-check')) !== 200 && (await status(dc2, '/api/raft-health')) !== 200,
      { timeoutMs: 20 * ELECTION_TIMEOUT_MS, intervalMs: 50 },
    );
    const majority = [node(0), node(2)];
    await waitOneLeader(majority);
    // From here until the heal, every sample of DC2 must refuse to lead.
    const samples: { leaderCheck: number; raftHealth: number }[] = [];
    sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push({
          leaderCheck: await status(dc2, '/api/leader-check'),
          raftHealth: await status(dc2, '/api/raft-health'),
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    await topo?.primary.kill();
    const newPrimary = await waitFor(
      'DC1 and DC3 stores name a new primary',
      async () => {
        const [a, c] = [await storedPrimary(0), await storedPrimary(2)];
        return a !== undefined && a === c && a !== oldPrimary ? a : undefined;
      },
      {
        timeoutMs: 90_000,
        intervalMs: 250,
        diagnose: async () => ({
          stores: await Promise.all([0, 1, 2].map(storedPrimary)),
          logs: majority.map((n) =>
            n
              .output()
              .split('\n')
              .filter((l) => l.includes('recover'))
              .slice(-8),
          ),
        }),
      },
    );
    // Still isolated: DC2 kept the old primary and never ran a recovery nor led.
    expect(await storedPrimary(1)).toBe(oldPrimary);
    expect(await recoveriesRun(dc2)).toBe(0);
    expect(await status(dc2, '/api/leader-check')).not.toBe(200);
    expect(await status(dc2, '/api/raft-health')).not.toBe(200);
    // The counter moves when the recovery's last step is done, after its KV write.
    const majorityRecoveries = async (): Promise<number> =>
      (await recoveriesRun(node(0))) + (await recoveriesRun(node(2)));
    await waitFor('the majority counts its one recovery', async () => (await majorityRecoveries()) === 1, {
      timeoutMs: 30_000,
      intervalMs: 200,
      diagnose: majorityRecoveries,
    });

    sampling = false;
    await sampler;
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.filter((x) => x.leaderCheck === 200 || x.raftHealth === 200)).toEqual([]);

    await (dcs[1] as DcNetwork['dcs'][number]).connect(true);
    await waitAllHealthy(dcNodes());
    await waitFor("healed DC2's store names the new primary", async () => (await storedPrimary(1)) === newPrimary, {
      timeoutMs: 60_000,
      intervalMs: 250,
      diagnose: () => storedPrimary(1),
    });
    expect(await recoveriesRun(dc2)).toBe(0);
    expect(await majorityRecoveries()).toBe(1);
    expect([await storedPrimary(0), await storedPrimary(2)]).toEqual([newPrimary, newPrimary]);
  }, 300_000);
});

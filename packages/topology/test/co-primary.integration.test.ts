// A co-primary ring on real MariaDB: a and b replicate from each other (a writable, b read-only).
// Discovery must terminate, name the cluster after the writable member, apply the detection
// queries, and a kill -9 of a must read DeadCoMaster, never DeadMaster.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startMariaDbTopology } from '@orc/testenv';
import type { MariaDbTopology } from '@orc/testenv';
import { OrcTopology, instanceKey } from '../src/index.js';
import { waitFor } from '@orc/testkit';
import { replicateFrom } from './co-primary-ring.js';

let topo: MariaDbTopology;
let topology: OrcTopology;
const keyOf = (name: string): string => instanceKey(topo.instance(name).host, topo.instance(name).port);

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: [{ name: 'a' }, { name: 'b', source: 'a' }], name: 'ring' });
  await topo.waitReplicating();
  await replicateFrom(topo, 'a', 'b');
  topology = new OrcTopology({
    config: {
      discoverySeeds: [keyOf('b')],
      mysqlTopologyUser: topo.orcUser.user,
      mysqlTopologyPassword: topo.orcUser.password,
      mysqlConnectTimeoutSeconds: 1,
      instancePollSeconds: 1,
      detectClusterAliasQuery: "SELECT 'ring-alias'",
      detectDataCenterQuery: "SELECT 'dc-test'",
    },
  });
  await topology.start();
}, 90_000);

afterAll(async () => {
  await topology?.stop();
  await topo?.stop();
});

describe('co-primary ring on MariaDB', () => {
  it('is discovered as one cluster named after the writable co-primary, with detection query results', async () => {
    await waitFor('both co-primaries replicating', () => {
      const a = topology.instance(keyOf('a'));
      const b = topology.instance(keyOf('b'));
      return a?.replication?.ioThreadState === 'Yes' && b?.replication?.ioThreadState === 'Yes' && a.clusterName !== '';
    });
    const a = topology.instance(keyOf('a'))!;
    const b = topology.instance(keyOf('b'))!;
    expect(a.masterKey).toBe(keyOf('b'));
    expect(b.masterKey).toBe(keyOf('a'));
    expect([a.isCoMaster, b.isCoMaster]).toEqual([true, true]);
    expect(a.dataCenter).toBe('dc-test');
    const clusters = await topology.clusters();
    expect(clusters.map((c) => [c.clusterName, c.clusterAlias])).toEqual([[keyOf('a'), 'ring-alias']]);
    expect(await topology.analysis()).toEqual([]);
  });

  it('reads a killed co-primary as DeadCoMaster, not DeadMaster', async () => {
    await topo.instance('a').kill();
    const entries = await waitFor('DeadCoMaster', async () => {
      const all = await topology.analysis();
      return all.some((e) => e.Analysis === 'DeadCoMaster') ? all : undefined;
    });
    const dead = entries.find((e) => e.Analysis === 'DeadCoMaster')!;
    expect(`${dead.AnalyzedInstanceKey.Hostname}:${dead.AnalyzedInstanceKey.Port}`).toBe(keyOf('a'));
    expect(dead.IsCoMaster).toBe(true);
    expect(entries.some((e) => e.Analysis === 'DeadMaster')).toBe(false);
  });
});

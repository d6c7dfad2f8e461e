// Discovery and analysis against real MariaDB servers from @orc/testenv: a primary p, an
// intermediate primary im and a replica r1 under p, and r2 under im.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startMariaDbTopology } from '@orc/testenv';
import type { MariaDbTopology } from '@orc/testenv';
import { OrcTopology, instanceKey } from '../src/index.js';
import type { ReplicationAnalysis } from '../src/index.js';
import { waitFor } from '@orc/testkit';

let topo: MariaDbTopology;
let topology: OrcTopology;
const keyOf = (name: string): string => {
  const i = topo.instance(name);
  return instanceKey(i.host, i.port);
};
const codeOf = (entries: ReplicationAnalysis[], name: string): string | undefined =>
  entries.find((e) => `${e.AnalyzedInstanceKey.Hostname}:${e.AnalyzedInstanceKey.Port}` === keyOf(name))?.Analysis;

beforeAll(async () => {
  topo = await startMariaDbTopology({
    shape: [{ name: 'p' }, { name: 'im', source: 'p' }, { name: 'r1', source: 'p' }, { name: 'r2', source: 'im' }],
  });
  await topo.waitReplicating();
  topology = new OrcTopology({
    config: {
      discoverySeeds: [keyOf('r2')],
      mysqlTopologyUser: topo.orcUser.user,
      mysqlTopologyPassword: topo.orcUser.password,
      mysqlConnectTimeoutSeconds: 1,
      mysqlDiscoveryReadTimeoutSeconds: 2,
      instancePollSeconds: 1,
    },
  });
  await topology.start();
}, 90_000);

afterAll(async () => {
  await topology?.stop();
  await topo?.stop();
});

describe('discovery on MariaDB', () => {
  it('finds the 1+3 topology with its chained intermediate primary from one replica', async () => {
    await waitFor('4 instances in one cluster', () => {
      const seen = topology.instances().filter((i) => i.lastSeenAt !== null && i.clusterName === keyOf('p'));
      return seen.length === 4;
    });
    const byName = (n: string) => topology.instance(keyOf(n))!;
    expect(byName('p').masterKey).toBeNull();
    expect(byName('im').masterKey).toBe(keyOf('p'));
    expect(byName('r2').masterKey).toBe(keyOf('im'));
    expect(byName('r2').replicationDepth).toBe(2);
    expect(byName('p').replicaKeys).toEqual([keyOf('im'), keyOf('r1')].sort());
    expect(byName('p').flavor).toBe('mariadb');
    expect(byName('r1').isReadOnly).toBe(true);
    // The heartbeat witnesses (ADR 0502) read the replica's counter and period from the server.
    expect(byName('r1').replication?.heartbeatPeriodSeconds).toBe(1);
    expect(typeof byName('r1').replication?.receivedHeartbeats).toBe('number');
    expect(typeof byName('r1').replicationHeardAt).toBe('number');
    const clusters = await topology.clusters();
    expect(clusters.map((c) => c.clusterName)).toEqual([keyOf('p')]);
    expect(await topology.analysis()).toEqual([]);
  });

  it('reports a stopped IO thread, then a kill -9 of the primary as DeadMaster, and clears both', async () => {
    await topo.instance('r2').query('STOP SLAVE IO_THREAD');
    await waitFor(
      'AllIntermediateMasterReplicasNotReplicating on im',
      async () => codeOf(await topology.analysis(), 'im') === 'AllIntermediateMasterReplicasNotReplicating',
    );
    await topo.instance('r2').query('START SLAVE IO_THREAD');
    await waitFor('no problem after the IO thread restarts', async () => (await topology.analysis()).length === 0);

    await topo.primary.kill();
    const entries = await waitFor('DeadMaster on p', async () => {
      const a = await topology.analysis();
      return codeOf(a, 'p') === 'DeadMaster' ? a : undefined;
    });
    const p = entries.find((e) => e.Analysis === 'DeadMaster')!;
    expect(p.CountReplicas).toBe(2);
    expect(p.CountValidReplicas).toBe(2);
    expect(p.CountValidReplicasConnectedToMaster).toBe(0);
    expect(['CONNECTION_REFUSED', 'CONNECTION_LOST']).toContain(topology.instance(keyOf('p'))?.lastProbeError?.code);

    await topo.primary.start();
    await waitFor('analysis clear after the primary is back', async () => (await topology.analysis()).length === 0, {
      timeoutMs: 30_000,
    });
  });
});

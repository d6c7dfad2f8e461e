// The daemon recovers a dead intermediate primary on its own (p -> im -> r1, r2 on real MariaDB):
// kill -9 of im, and r1 and r2 replicate from p again, with the recovery in the audit.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

let topo: MariaDbTopology;
let orc: DaemonProcess;

interface InstanceJson {
  readonly Key: { readonly Port: number };
  readonly MasterKey: { readonly Port: number };
  readonly Slave_IO_Running: boolean;
  readonly Slave_SQL_Running: boolean;
}

beforeAll(async () => {
  topo = await startMariaDbTopology({
    shape: [{ name: 'p' }, { name: 'im', source: 'p' }, { name: 'r1', source: 'im' }, { name: 'r2', source: 'im' }],
  });
  await topo.waitCaughtUp();
  orc = await startDaemonProcess({
    config: {
      BackendDB: 'sqlite',
      MySQLTopologyUser: topo.orcUser.user,
      MySQLTopologyPassword: topo.orcUser.password,
      InstancePollSeconds: 1,
      DiscoverySeeds: [`127.0.0.1:${topo.primary.port}`],
      RecoverIntermediateMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': 'main' },
    },
  });
  await waitFor(
    'the four servers known',
    async () => ((await orc.get('/api/all-instances')).body as unknown[]).length === 4,
  );
}, 120_000);

afterAll(() => stopDaemonAndServers(orc, topo), 60_000);

describe('automated recovery of an intermediate primary', () => {
  it("relocates the dead intermediate primary's replicas under its source and audits it", async () => {
    const p = topo.primary.port;
    const im = topo.instance('im');
    const replicas = [topo.instance('r1').port, topo.instance('r2').port];
    await im.kill();
    await waitFor(
      'r1 and r2 replicating from p, both threads running',
      async () => {
        const all = (await orc.get('/api/all-instances')).body as InstanceJson[];
        const moved = all.filter((i) => replicas.includes(i.Key.Port));
        return (
          moved.length === 2 && moved.every((i) => i.MasterKey.Port === p && i.Slave_IO_Running && i.Slave_SQL_Running)
        );
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        diagnose: () =>
          orc
            .stdout()
            .split('\n')
            .filter((l) => l.includes('"component":"recovery"') || /"level":(40|50)/.test(l))
            .slice(-12),
      },
    );
    const recoveries = (await orc.get('/api/audit-recovery/cluster/main')).body as {
      IsSuccessful: boolean;
      AnalysisEntry: { Analysis: string; AnalyzedInstanceKey: { Port: number } };
    }[];
    expect(recoveries).toEqual([
      expect.objectContaining({
        IsSuccessful: true,
        AnalysisEntry: expect.objectContaining({
          Analysis: expect.stringMatching(/^DeadIntermediateMaster/),
          AnalyzedInstanceKey: expect.objectContaining({ Port: im.port }),
        }),
      }),
    ]);
  }, 120_000);
});

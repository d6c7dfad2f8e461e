// The daemon recovers a dead primary on its own: kill -9 of the primary of a MariaDB 1+2, a
// replica promoted and writable, the other repointed, the new primary in KV and in /metrics.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

let topo: MariaDbTopology;
let orc: DaemonProcess;

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  // The recovery proves a promoted server writable by writing to orc_meta.write_probe.
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  await topo.waitCaughtUp();
  orc = await startDaemonProcess({
    config: {
      BackendDB: 'sqlite',
      MySQLTopologyUser: topo.orcUser.user,
      MySQLTopologyPassword: topo.orcUser.password,
      InstancePollSeconds: 1,
      DiscoverySeeds: [`127.0.0.1:${topo.primary.port}`],
      RecoverMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': 'main' },
    },
  });
  await waitFor('the topology and its primary in KV', async () => {
    const metrics = (await orc.get('/metrics')).text;
    const all = (await orc.get('/api/all-instances')).body as unknown[];
    return all.length === 3 && /orc_kv_writes_total\{store="internal",outcome="ok"\} [1-9]/.test(metrics);
  });
}, 120_000);

afterAll(() => stopDaemonAndServers(orc, topo), 60_000);

describe('automated recovery', () => {
  it('promotes a replica when the primary is killed, repoints the other, and publishes it', async () => {
    const oldPrimary = topo.primary.port;
    await topo.primary.kill();
    const newPrimary = await waitFor(
      'a new primary serves cluster "main"',
      async () => {
        const res = await orc.get('/api/master/main');
        if (res.status !== 200) return undefined;
        const key = (res.body as { Key: { Port: number }; ReadOnly: boolean }).Key.Port;
        return key !== oldPrimary && (res.body as { ReadOnly: boolean }).ReadOnly === false ? key : undefined;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 200,
        diagnose: () =>
          orc
            .stdout()
            .split('\n')
            .filter(
              (l) => (l.includes('"component":"recovery"') && !l.includes('"refused"')) || /"level":(40|50)/.test(l),
            )
            .slice(0, 12),
      },
    );
    const submitted = await orc.get('/api/submit-masters-to-kv-stores/main');
    expect(submitted.body).toMatchObject({
      Code: 'OK',
      Details: expect.arrayContaining([{ Key: 'mysql/master/main', Value: `127.0.0.1:${newPrimary}` }]),
    });
    await waitFor('/metrics counts one successful recovery', async () =>
      /orc_recoveries_total\{analysis="DeadMaster",status="successful"\} 1/.test((await orc.get('/metrics')).text),
    );
    const recoveries = (await orc.get('/api/audit-recovery/cluster/main')).body as {
      UID: string;
      IsSuccessful: boolean;
      SuccessorKey: { Port: number };
      AnalysisEntry: { Analysis: string };
    }[];
    expect(recoveries).toEqual([
      expect.objectContaining({
        IsSuccessful: true,
        SuccessorKey: { Hostname: '127.0.0.1', Port: newPrimary },
        AnalysisEntry: expect.objectContaining({ Analysis: 'DeadMaster' }),
      }),
    ]);
    const steps = (await orc.get(`/api/audit-recovery-steps/${recoveries[0]?.UID ?? ''}`)).body as {
      Message: string;
    }[];
    expect(steps.length).toBeGreaterThan(3);
    const other = [topo.instance('r1'), topo.instance('r2')].find((i) => i.port !== newPrimary);
    await waitFor('the other replica follows the new primary', async () => {
      const rows = await other?.query<{ Master_Port: number; Slave_IO_Running: string }[]>('SHOW SLAVE STATUS');
      return rows?.[0]?.Master_Port === newPrimary && rows[0].Slave_IO_Running === 'Yes';
    });
  }, 120_000);
});

// The per-cluster recovery switch set through the API is stored in the backend: after a restart of
// the daemon on the same SQLite file, the cluster still reads as disabled; enabling it clears the row.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Backend, validateBackendConfig } from '@orc/backend';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

let topo: MariaDbTopology;
let dataDir: string;
let orc: DaemonProcess | undefined;

const start = (): Promise<DaemonProcess> =>
  startDaemonProcess({
    config: {
      BackendDB: 'sqlite',
      SQLite3DataFile: join(dataDir, 'orc.sqlite3'),
      MySQLTopologyUser: 'orc',
      MySQLTopologyPassword: 'orc',
      InstancePollSeconds: 1,
    },
  });

/** What the SQLite file says, read with the daemon stopped. */
async function disabledClusters(): Promise<string[]> {
  const b = new Backend(validateBackendConfig({ dialect: 'sqlite', sqlite: { file: join(dataDir, 'orc.sqlite3') } }));
  await b.open();
  try {
    return (await b.recoveries.readDisabledClusters()).map((r) => r.clusterName);
  } finally {
    await b.close();
  }
}

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+1' });
  dataDir = mkdtempSync(join(tmpdir(), 'orc-switch-'));
  orc = await start();
}, 180_000);

afterAll(async () => {
  await stopDaemonAndServers(orc, topo);
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('the per-cluster recovery switch', () => {
  it('survives a restart of the daemon on the same SQLite file', async () => {
    const cluster = `127.0.0.1:${topo.primary.port}`;
    expect((await orc!.get(`/api/discover/127.0.0.1/${topo.primary.port}`)).status).toBe(200);
    await waitFor('the cluster is known', async () => (await orc!.get(`/api/cluster/${cluster}`)).status === 200, {
      timeoutMs: 60_000,
    });
    const check = async (): Promise<unknown> => (await orc!.get(`/api/check-cluster-recoveries/${cluster}`)).body;
    expect(await check()).toMatchObject({ Code: 'OK', Details: 'enabled' });
    const off = await orc!.get(`/api/disable-cluster-recoveries/${cluster}`);
    expect(off.body).toMatchObject({ Code: 'OK', Details: cluster });
    expect(await check()).toMatchObject({ Details: 'disabled' });

    expect(await orc!.stop()).toBe(0);
    orc = undefined;
    expect(await disabledClusters()).toEqual([cluster]);

    // The restarted daemon (migrations, start-up, discovery) still reads the cluster as disabled.
    orc = await start();
    await waitFor(
      'the restarted daemon knows the cluster',
      async () => (await orc!.get(`/api/cluster/${cluster}`)).status === 200,
      {
        timeoutMs: 60_000,
      },
    );
    expect(await check()).toMatchObject({ Code: 'OK', Details: 'disabled' });
    const on = await orc.get(`/api/enable-cluster-recoveries/${cluster}`);
    expect(on.body).toMatchObject({ Code: 'OK', Details: cluster });
    expect(await check()).toMatchObject({ Details: 'enabled' });
    expect(await orc.stop()).toBe(0);
    orc = undefined;
    expect(await disabledClusters()).toEqual([]);
    orc = await start();
  }, 240_000);
});

// Refactoring by API against a real MariaDB 1+2: the daemon relocates a replica on the servers
// and /api/topology draws the new shape; malformed requests are 400s naming the field and a
// refused move is a 409 that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbInstance, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

let topo: MariaDbTopology;
let orc: DaemonProcess;
const at = (s: MariaDbInstance): string => `127.0.0.1/${s.port}`;
const cluster = (): string => `127.0.0.1:${topo.primary.port}`;

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2', name: 'server-refactoring' });
  orc = await startDaemonProcess({
    config: { BackendDB: 'sqlite', MySQLTopologyUser: 'orc', MySQLTopologyPassword: 'orc', InstancePollSeconds: 1 },
  });
  expect((await orc.get(`/api/discover/${at(topo.primary)}`)).status).toBe(200);
  await waitFor(
    'the whole cluster is known',
    async () => {
      const res = await orc.get(`/api/cluster/${cluster()}`);
      return res.status === 200 && (res.body as unknown[]).length === 3;
    },
    { timeoutMs: 60_000 },
  );
}, 180_000);

afterAll(() => stopDaemonAndServers(orc, topo), 60_000);

/** The ASCII topology's lines, without the per-instance facts in brackets. */
async function shape(): Promise<string[]> {
  const res = await orc.get(`/api/topology/${cluster()}`);
  expect(res.status).toBe(200);
  return String((res.body as { Details: string }).Details)
    .split('\n')
    .map((line) => line.replace(/ \[.*$/, '').trimEnd());
}

describe('refactoring through the API', () => {
  it('relocates r2 below r1 on the servers, and /api/topology shows it', async () => {
    const r1 = topo.instance('r1');
    const r2 = topo.instance('r2');
    const res = await orc.get(`/api/relocate/${at(r2)}/${at(r1)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Code: 'OK',
      Message: `Instance 127.0.0.1:${r2.port} relocated below 127.0.0.1:${r1.port}`,
      Details: { Key: { Hostname: '127.0.0.1', Port: r2.port }, MasterKey: { Hostname: '127.0.0.1', Port: r1.port } },
    });
    const rows = (await r2.query('SHOW SLAVE STATUS')) as Record<string, unknown>[];
    expect([rows[0]?.['Master_Port'], rows[0]?.['Slave_IO_Running'], rows[0]?.['Slave_SQL_Running']]).toEqual([
      r1.port,
      'Yes',
      'Yes',
    ]);
    await waitFor('the topology draws r2 below r1', async () => {
      const lines = await shape();
      return lines.join('|') === [cluster(), `+ 127.0.0.1:${r1.port}`, `  + 127.0.0.1:${r2.port}`].join('|');
    });
    const back = await orc.get(`/api/relocate/${at(r2)}/${at(topo.primary)}`, { method: 'POST' });
    expect(back.status).toBe(200);
    await waitFor('the topology draws r2 below the primary again', async () => {
      const lines = await shape();
      return lines.length === 3 && lines.slice(1).every((line) => line.startsWith('+ '));
    });
  }, 120_000);

  it('answers 400 naming the field for malformed requests and 409 for a refused move, changing nothing', async () => {
    const r1 = topo.instance('r1');
    for (const [path, field] of [
      [`/api/relocate/127.0.0.1/0/${at(r1)}`, 'port'],
      [`/api/relocate/${at(r1)}/127.0.0.1/99999`, 'belowPort'],
      [`/api/relocate/${at(r1)}/bad host/3306`, 'belowHost'],
      [`/api/move-up/127.0.0.1/port`, 'port'],
      [`/api/take-master/127.0.0.1/-1`, 'port'],
    ] as const) {
      const res = await orc.get(path);
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const self = await orc.get(`/api/relocate/${at(r1)}/${at(r1)}`);
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({ Code: 'ERROR', Details: [{ path: 'below' }] });
    const belowItself = await orc.get(`/api/relocate/${at(topo.primary)}/${at(r1)}`);
    expect(belowItself.status).toBe(409);
    expect((await topo.primary.query('SHOW SLAVE STATUS')) as unknown[]).toEqual([]);
  }, 60_000);
});

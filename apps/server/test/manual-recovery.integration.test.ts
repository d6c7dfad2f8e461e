// The manual recovery operations through the daemon's API and CLI, against a real MariaDB 1+2:
// a graceful takeover under a writer loses no acknowledged write and leaves the old primary
// replicating from the new one; `orc -c graceful-master-takeover` switches back and prints the
// new primary; `/api/recover` of a killed primary promotes the candidate named in the path while
// automated recoveries are disabled; bad targets are 400s naming the field.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createConnection, type Connection } from 'mysql2/promise';
import { startMariaDbTopology, type MariaDbInstance, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { repoRoot, startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

const APP = { user: 'app', password: 'app-pw' };
let topo: MariaDbTopology;
let orc: DaemonProcess;

interface Key {
  Hostname: string;
  Port: number;
}
interface Answer {
  Code: string;
  Message: string;
  Details: unknown;
}

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  // The recovery proves a promoted server writable by writing to orc_meta.write_probe.
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  // An application user without READ_ONLY ADMIN: read_only stops its writes, as it would a real client's.
  await topo.primary.query(
    `CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY); CREATE USER '${APP.user}'@'%' IDENTIFIED BY '${APP.password}'; GRANT SELECT, INSERT ON t.* TO '${APP.user}'@'%'`,
  );
  await topo.waitCaughtUp();
  orc = await startDaemonProcess({
    config: {
      BackendDB: 'sqlite',
      MySQLTopologyUser: topo.orcUser.user,
      MySQLTopologyPassword: topo.orcUser.password,
      ReplicationUser: topo.replUser.user,
      ReplicationPassword: topo.replUser.password,
      InstancePollSeconds: 1,
      DiscoverySeeds: [`127.0.0.1:${topo.primary.port}`],
      RecoverMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': 'main' },
    },
  });
  await orcSees(topo.primary, [topo.instance('r1'), topo.instance('r2')]);
}, 120_000);

afterAll(() => stopDaemonAndServers(orc, topo), 60_000);

/** Waits until orc's view has `primary` writable with each of `replicas` replicating from it. */
async function orcSees(primary: MariaDbInstance, replicas: readonly MariaDbInstance[]): Promise<void> {
  await waitFor(
    `orc sees ${primary.name} as the primary of ${replicas.map((r) => r.name).join(', ')}`,
    async () => {
      const master = await orc.get('/api/master/main');
      if ((master.body as { Key?: Key } | undefined)?.Key?.Port !== primary.port) return false;
      for (const r of replicas) {
        const i = (await orc.get(`/api/instance/127.0.0.1/${r.port}`)).body as
          { MasterKey: Key; Slave_IO_Running: boolean; Slave_SQL_Running: boolean } | undefined;
        if (i?.MasterKey.Port !== primary.port || !i.Slave_IO_Running || !i.Slave_SQL_Running) return false;
      }
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

async function readOnly(server: MariaDbInstance): Promise<number | undefined> {
  const [row] = await server.query<{ ro: number }[]>('SELECT @@GLOBAL.read_only AS ro');
  return row?.ro;
}

async function replicaStatus(server: MariaDbInstance): Promise<Record<string, unknown> | undefined> {
  const [row] = await server.query<Record<string, unknown>[]>('SHOW SLAVE STATUS');
  return row;
}

async function idsOn(server: MariaDbInstance): Promise<Set<number>> {
  const rows = await server.query<{ id: number }[]>('SELECT id FROM t.w');
  return new Set(rows.map((r) => r.id));
}

/**
 * Writes ids 1, 2, ... as the application user to whichever server `target()` names. A write
 * refused by read_only is retried with the same id: only writes whose INSERT returned count.
 */
function retryingWriter(target: () => MariaDbInstance) {
  const acknowledged: number[] = [];
  let running = true;
  let conn: Connection | undefined;
  let connectedTo: MariaDbInstance | undefined;
  const loop = (async () => {
    let next = 1;
    while (running) {
      const server = target();
      try {
        if (connectedTo !== server) {
          conn?.destroy();
          conn = undefined;
          conn = await createConnection({ ...server.connectionConfig(APP), connectTimeout: 1000 });
          connectedTo = server;
        }
        await conn!.query('INSERT INTO t.w VALUES (?)', [next]);
        acknowledged.push(next++);
      } catch (error) {
        // 1290: read_only during the switch. Anything else (a duplicate key above all) fails the test.
        if ((error as { errno?: number }).errno !== 1290) throw error;
      }
      // Pacing of the workload (one row every few ms, as bench:failover's writer), not a wait for a condition.
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    acknowledged,
    async stop() {
      running = false;
      await loop;
      conn?.destroy();
    },
  };
}

/** Runs `orc -c ...` against the daemon; resolves with its exit code and output. */
function orcCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@orc/source',
      '--import',
      join(repoRoot, 'tools/scripts/ts-hooks.mjs'),
      join(repoRoot, 'apps/server/src/main.ts'),
      '-c',
      ...args,
      '--api',
      orc.url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('manual recovery operations of the daemon', () => {
  it('refuses bad parameters and bad targets with 4xx naming the field, and touches nothing', async () => {
    const p = topo.primary.port;
    const r1 = topo.instance('r1').port;
    const cases: [string, number, string][] = [
      ['/api/recover/127.0.0.1/99999', 400, 'port'],
      ['/api/recover/127.0.0.1/3306%2F..', 400, 'port'],
      ['/api/graceful-master-takeover/main/127.0.0.1/0', 400, 'designatedPort'],
      [`/api/graceful-master-takeover/main/127.0.0.1/${p}`, 400, 'designatedHost'],
      ['/api/graceful-master-takeover/main', 400, 'designatedHost'],
      [`/api/force-master-takeover/main/127.0.0.1/${p}`, 400, 'designatedHost'],
      ['/api/graceful-master-takeover/no-such-cluster', 404, 'clusterHint'],
      [`/api/recover/127.0.0.1/${p}/127.0.0.1/${r1}`, 409, 'recovery'],
    ];
    for (const [url, status, field] of cases) {
      const res = await orc.get(url);
      expect([url, res.status]).toEqual([url, status]);
      expect(res.body).toMatchObject({ Code: 'ERROR', Details: [expect.objectContaining({ path: field })] });
    }
    expect(((await orc.get(`/api/recover/127.0.0.1/${p}`)).body as Answer).Message).toContain('Recovery not attempted');
    expect(await readOnly(topo.primary)).toBe(0);
    expect(await replicaStatus(topo.primary)).toBeUndefined();
  }, 60_000);

  it('graceful-master-takeover by API under a writer: no write lost, the old primary replicates from the new one', async () => {
    const old = topo.primary;
    const designated = topo.instance('r1');
    const other = topo.instance('r2');
    let current = old;
    const writer = retryingWriter(() => current);
    await waitFor('rows flowing to every replica', async () => (await idsOn(other)).size >= 50);

    const res = await orc.get(`/api/graceful-master-takeover/main/127.0.0.1/${designated.port}`, { method: 'POST' });
    current = designated;
    const before = writer.acknowledged.length;
    await waitFor('the writer goes on against the new primary', () => writer.acknowledged.length > before + 50);
    await writer.stop();

    expect(res.status).toBe(200);
    const answer = res.body as Answer;
    expect(answer).toMatchObject({
      Code: 'OK',
      Message: 'graceful-master-takeover: successor promoted',
      Details: {
        SuccessorKey: { Hostname: '127.0.0.1', Port: designated.port },
        IsSuccessful: true,
        AnalysisEntry: expect.objectContaining({ Analysis: 'GracefulMasterTakeover' }),
      },
    });
    const onNew = await idsOn(designated);
    expect(writer.acknowledged.filter((id) => !onNew.has(id))).toEqual([]);
    expect(await readOnly(designated)).toBe(0);
    expect(await readOnly(old)).toBe(1);
    for (const r of [old, other]) {
      expect(await replicaStatus(r)).toMatchObject({
        Master_Port: designated.port,
        Slave_IO_Running: 'Yes',
        Slave_SQL_Running: 'Yes',
      });
    }
    const uid = (answer.Details as { UID: string }).UID;
    const audited = (await orc.get(`/api/audit-recovery/uid/${uid}`)).body as unknown[];
    expect(audited).toEqual([
      expect.objectContaining({
        UID: uid,
        IsSuccessful: true,
        SuccessorKey: { Hostname: '127.0.0.1', Port: designated.port },
        AnalysisEntry: expect.objectContaining({ Analysis: 'GracefulMasterTakeover' }),
      }),
    ]);
    expect(((await orc.get('/api/audit-recovery/cluster/main')).body as { UID: string }[]).map((r) => r.UID)).toContain(
      uid,
    );
    const steps = ((await orc.get(`/api/audit-recovery-steps/${uid}`)).body as { Message: string }[]).map(
      (s) => s.Message,
    );
    for (const name of ['read-only', 'caught-up', 'promote', 'repoint', 'resolved'])
      expect([name, steps.some((m) => m.startsWith(`[${name} `))]).toEqual([name, true]);
  }, 180_000);

  it('orc -c graceful-master-takeover switches back and prints the new primary as host:port', async () => {
    const back = topo.primary;
    const from = topo.instance('r1');
    await orcSees(from, [back, topo.instance('r2')]);
    const run = await orcCli(['graceful-master-takeover', '-alias', 'main', '-d', `127.0.0.1:${back.port}`]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 0,
      stdout: `127.0.0.1:${back.port}\n`,
      stderr: '',
    });
    expect(await readOnly(back)).toBe(0);
    expect(await replicaStatus(from)).toMatchObject({ Master_Port: back.port, Slave_IO_Running: 'Yes' });
  }, 180_000);

  it('/api/recover of a killed primary promotes the candidate named in the path', async () => {
    const primary = topo.primary;
    const [r1, r2] = [topo.instance('r1'), topo.instance('r2')];
    await orcSees(primary, [r1, r2]);
    // Automated recovery would act first; a manual recovery is forced past the global switch.
    expect((await orc.get('/api/disable-global-recoveries')).body).toMatchObject({ Code: 'OK' });
    // The replica orc would not pick on its own among equals is as good a test as any: name r2.
    const candidate = r2;
    await primary.kill();
    await waitFor(
      'orc analyses DeadMaster',
      async () =>
        ((await orc.get('/api/replication-analysis/main')).body as { Details: { Analysis: string }[] }).Details.some(
          (e) => e.Analysis === 'DeadMaster',
        ),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const res = await orc.get(`/api/recover/127.0.0.1/${primary.port}/127.0.0.1/${candidate.port}`);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: {
        Code: 'OK',
        Message: `Recovery executed on 127.0.0.1:${primary.port}`,
        Details: { Hostname: '127.0.0.1', Port: candidate.port },
      },
    });
    expect(await readOnly(candidate)).toBe(0);
    await waitFor('the other replica follows the candidate', async () => {
      const s = await replicaStatus(r1);
      return s?.['Master_Port'] === candidate.port && s['Slave_IO_Running'] === 'Yes';
    });
    const recoveries = (await orc.get('/api/audit-recovery/cluster/main')).body as {
      AnalysisEntry: { Analysis: string; AnalyzedInstanceKey: Key };
      SuccessorKey: Key | null;
      IsSuccessful: boolean;
    }[];
    expect(recoveries).toContainEqual(
      expect.objectContaining({
        AnalysisEntry: expect.objectContaining({
          Analysis: 'DeadMaster',
          AnalyzedInstanceKey: { Hostname: '127.0.0.1', Port: primary.port },
        }),
        SuccessorKey: { Hostname: '127.0.0.1', Port: candidate.port },
        IsSuccessful: true,
      }),
    );
    expect(((await orc.get('/api/check-global-recoveries')).body as Answer).Details).toBe('disabled');
  }, 180_000);
});

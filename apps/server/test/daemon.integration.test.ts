// The daemon as a process, on SQLite, against a real MariaDB 1+2: discovery through the API,
// orchestrator's JSON field names, KV publishing, metrics, and a clean SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

let topo: MariaDbTopology;
let orc: DaemonProcess;

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  orc = await startDaemonProcess({
    config: { BackendDB: 'sqlite', MySQLTopologyUser: 'orc', MySQLTopologyPassword: 'orc', InstancePollSeconds: 1 },
  });
}, 120_000);

afterAll(() => stopDaemonAndServers(orc, topo), 60_000);

const primaryKey = (): { Hostname: string; Port: number } => ({ Hostname: '127.0.0.1', Port: topo.primary.port });

describe('orc daemon on SQLite against MariaDB 1+2', () => {
  it('discovers a topology from one server given through the API', async () => {
    const discovered = await orc.get(`/api/discover/127.0.0.1/${topo.primary.port}`);
    expect(discovered.status).toBe(200);
    expect(discovered.body).toMatchObject({ Code: 'OK', Details: { Key: primaryKey(), ReadOnly: false } });
    const cluster = await waitFor('the whole cluster is known', async () => {
      const res = await orc.get(`/api/cluster/127.0.0.1:${topo.primary.port}`);
      return res.status === 200 && (res.body as unknown[]).length === 3
        ? (res.body as Record<string, unknown>[])
        : undefined;
    });
    const replicas = cluster.filter((i) => i['ReadOnly'] === true);
    expect(replicas).toHaveLength(2);
    for (const r of replicas) {
      expect(r).toMatchObject({
        MasterKey: primaryKey(),
        ClusterName: `127.0.0.1:${topo.primary.port}`,
        ReplicationDepth: 1,
        Slave_IO_Running: true,
        Slave_SQL_Running: true,
        UsingMariaDBGTID: true,
        IsLastCheckValid: true,
      });
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          'Key',
          'ServerID',
          'Version',
          'SecondsBehindMaster',
          'SlaveLagSeconds',
          'ExecutedGtidSet',
          'Problems',
        ]),
      );
    }
  }, 120_000);

  it('serves clusters-info, masters and the ASCII topology', async () => {
    const info = await orc.get('/api/clusters-info');
    expect(info.body).toEqual([
      expect.objectContaining({ ClusterName: `127.0.0.1:${topo.primary.port}`, CountInstances: 3 }),
    ]);
    const masters = (await orc.get('/api/masters')).body as { Key: unknown }[];
    expect(masters.map((m) => m.Key)).toEqual([primaryKey()]);
    const topology = (await orc.get(`/api/topology/127.0.0.1:${topo.primary.port}`)).body as { Details: string };
    const lines = topology.Details.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${topo.primary.port} \\[0s,ok,.*,rw,`));
    expect(lines.slice(1).every((l) => l.startsWith('+ 127.0.0.1:') && l.includes(',ro,'))).toBe(true);
  }, 120_000);

  it('publishes the primary to its internal KV store without being asked, and counts it', async () => {
    await waitFor('a KV write is counted', async () => {
      const metrics = await orc.get('/metrics');
      return /orc_kv_writes_total\{store="internal",outcome="ok"\} [1-9]/.test(metrics.text);
    });
    const submitted = await orc.get('/api/submit-masters-to-kv-stores', { method: 'POST' });
    expect(submitted.body).toMatchObject({
      Code: 'OK',
      Details: expect.arrayContaining([
        { Key: `mysql/master/127.0.0.1:${topo.primary.port}`, Value: `127.0.0.1:${topo.primary.port}` },
        { Key: `mysql/master/127.0.0.1:${topo.primary.port}/port`, Value: String(topo.primary.port) },
      ]),
    });
    const metrics = (await orc.get('/metrics')).text;
    expect(metrics).toMatch(/orc_probes_total\{outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/orc_probe_duration_seconds_count\{outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/orc_probe_duration_seconds_bucket\{le="\+Inf",outcome="ok"\} [1-9]/);
    // Discovery wrote the probed instances, and the KV write above went to the internal table.
    expect(metrics).toMatch(
      /orc_backend_query_duration_seconds_count\{repository="instances",operation="upsert",outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /orc_backend_query_duration_seconds_count\{repository="kv",operation="\w+",outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(/orc_discovery_queue_depth \d+/);
    expect(metrics).toMatch(
      /orc_http_requests_total\{route="\/api\/submit-masters-to-kv-stores",method="POST",status="200"\} 1/,
    );
  }, 120_000);

  it('applies downtime through the API and lists it', async () => {
    const r1 = topo.instance('r1');
    expect((await orc.get(`/api/begin-downtime/127.0.0.1/${r1.port}/ops/upgrade/10m`)).status).toBe(200);
    const downtimed = (await orc.get('/api/downtimed')).body as { Key: unknown; DowntimeOwner: string }[];
    expect(downtimed).toEqual([
      expect.objectContaining({ Key: { Hostname: '127.0.0.1', Port: r1.port }, DowntimeOwner: 'ops' }),
    ]);
    expect((await orc.get(`/api/end-downtime/127.0.0.1/${r1.port}`)).status).toBe(200);
    expect((await orc.get('/api/downtimed')).body).toEqual([]);
    const audit = (await orc.get('/api/audit')).body as { AuditType: string }[];
    expect(audit.map((a) => a.AuditType)).toEqual(
      expect.arrayContaining(['begin-downtime', 'end-downtime', 'discover']),
    );
  }, 120_000);

  it('answers leader-check 200 as the only node, and logs JSON lines', async () => {
    expect((await orc.get('/api/leader-check')).text).toBe('"OK"');
    const lines = orc.stdout().trim().split('\n');
    expect(lines.every((l) => typeof JSON.parse(l).msg === 'string')).toBe(true);
  }, 120_000);

  it('runs orc -c commands against the running daemon, and refuses them in Raft mode', async () => {
    const orcCli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          '--conditions=@orc/source',
          '--import',
          join(repoRoot, 'tools/scripts/ts-hooks.mjs'),
          join(repoRoot, 'apps/server/src/main.ts'),
          ...args,
          '--api',
          orc.url,
        ],
        { encoding: 'utf8' },
      );
    const clusters = orcCli('-c', 'clusters');
    expect(clusters.status).toBe(0);
    expect(clusters.stdout).toBe(`127.0.0.1:${topo.primary.port}\n`);
    const topology = orcCli('-c', 'topology', '-i', `127.0.0.1:${topo.primary.port}`);
    expect(topology.stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
    const bad = orcCli('-c', 'discover');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('-i host:port is required');

    // As orchestrator's CLI: refused in Raft mode, pointing at the client, before any request.
    const dir = mkdtempSync(join(tmpdir(), 'orc-cli-raft-'));
    const conf = join(dir, 'orc.conf.json');
    writeFileSync(conf, JSON.stringify({ RaftEnabled: true, RaftNodes: ['a', 'b', 'c'] }));
    const raft = orcCli(
      '-c',
      'begin-downtime',
      '-i',
      `127.0.0.1:${topo.primary.port}`,
      '-o',
      'ops',
      '-r',
      'raft',
      '--config',
      conf,
    );
    rmSync(dir, { recursive: true });
    expect(raft.status).toBe(1);
    expect(raft.stderr).toMatch(/RaftEnabled.*orc-client/);
    expect(raft.stdout).toBe('');
    expect((await orc.get('/api/downtimed')).body).toEqual([]);
  }, 120_000);
});

// Malformed requests against the running daemon: each gets a 4xx that names what was wrong, and
// the daemon keeps serving. A read-only user cannot change anything through any route.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { startDaemonProcess, stopDaemonAndServers, type DaemonProcess } from './support/daemon-process.js';

let topo: MariaDbTopology;
let orc: DaemonProcess;
const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
const admin = basic('orc', 'secret');
const readonly = basic('readonly', 'anything');

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  orc = await startDaemonProcess({
    config: {
      BackendDB: 'sqlite',
      MySQLTopologyUser: 'orc',
      MySQLTopologyPassword: 'orc',
      AuthenticationMethod: 'multi',
      HTTPAuthUser: 'orc',
      HTTPAuthPassword: 'secret',
      DiscoverySeeds: [`127.0.0.1:${topo.primary.port}`],
    },
  });
  await waitFor('the topology is known', async () => {
    const res = await orc.get('/api/all-instances', { headers: admin });
    return res.status === 200 && (res.body as unknown[]).length === 3;
  });
}, 120_000);

afterAll(() => stopDaemonAndServers(orc, topo), 60_000);

const long = 'a'.repeat(300);
// [method, path, expected status, the field the answer must name]
const MALFORMED: readonly [string, string, number, string][] = [
  ['GET', '/api/instance/127.0.0.1/0', 400, 'port'],
  ['GET', '/api/instance/127.0.0.1/65536', 400, 'port'],
  ['GET', '/api/instance/127.0.0.1/-1', 400, 'port'],
  ['GET', '/api/instance/127.0.0.1/3306.5', 400, 'port'],
  ['GET', '/api/instance/127.0.0.1/abc', 400, 'port'],
  ['GET', '/api/instance/127.0.0.1/99999999999999999999', 400, 'port'],
  ['GET', '/api/instance/127.0.0.1/%20', 400, 'port'],
  ['GET', '/api/instance/..%2F..%2Fetc%2Fpasswd/3306', 400, 'host'],
  // The client resolves an encoded `..` segment itself: the request never names a host.
  ['GET', '/api/instance/%2E%2E/3306', 404, 'url'],
  ['GET', '/api/instance/h%00st/3306', 400, 'host'],
  ['GET', '/api/instance/h%20st/3306', 400, 'host'],
  ['GET', '/api/instance/%F0%9F%92%A5/3306', 400, 'host'],
  ['GET', '/api/instance/caf%C3%A9/3306', 400, 'host'],
  ['GET', `/api/instance/${long}/3306`, 400, 'host'],
  ['GET', '/api/instance/-leading-dash/3306', 400, 'host'],
  ['GET', '/api/instance/127.0.0.1', 404, 'url'],
  ['GET', '/api/instance', 404, 'url'],
  ['GET', '/api/discover/127.0.0.1/0', 400, 'port'],
  ['POST', '/api/discover/bad%2Fhost/3306', 400, 'host'],
  ['GET', '/api/forget/127.0.0.1/70000', 400, 'port'],
  ['GET', '/api/forget/127.0.0.1/x', 400, 'port'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops/why/10y', 400, 'duration'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops/why/-5m', 400, 'duration'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops/why/9999999d', 400, 'duration'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops/why/1.5h', 400, 'duration'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops/why/%E2%88%9E', 400, 'duration'],
  ['GET', `/api/begin-downtime/127.0.0.1/3306/${long}/why`, 400, 'owner'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops%0A/why', 400, 'owner'],
  ['GET', '/api/begin-downtime/127.0.0.1/3306/ops/%07bell', 400, 'reason'],
  ['GET', '/api/begin-downtime/127.0.0.1/0/ops/why', 400, 'port'],
  ['GET', '/api/end-downtime/127.0.0.1/0', 400, 'port'],
  ['GET', '/api/begin-maintenance/127.0.0.1/99999/ops/why', 400, 'port'],
  ['GET', '/api/register-candidate/127.0.0.1/3306/must', 400, 'promotionRule'],
  ['GET', '/api/register-candidate/127.0.0.1/3306/best', 400, 'promotionRule'],
  ['GET', '/api/register-candidate/127.0.0.1/3306/PREFER', 400, 'promotionRule'],
  ['GET', '/api/leader-check/42', 400, 'errorStatusCode'],
  ['GET', '/api/leader-check/600', 400, 'errorStatusCode'],
  ['GET', '/api/leader-check/abc', 400, 'errorStatusCode'],
  ['GET', '/api/audit/-1', 400, 'page'],
  ['GET', '/api/audit/99999999', 400, 'page'],
  ['GET', '/api/cluster-info/no-such-cluster', 404, 'clusterHint'],
  ['GET', '/api/cluster/no-such-cluster', 404, 'clusterHint'],
  ['GET', '/api/master/no-such-cluster', 404, 'clusterHint'],
  ['GET', `/api/cluster-info/${'x'.repeat(256)}`, 400, 'clusterHint'],
  ['GET', '/api/instance/127.0.0.2/3306', 404, 'host'],
  ['GET', '/api/set-cluster-alias/no-such-cluster', 400, 'alias'],
  ['GET', '/api/search/%01', 400, 'searchString'],
  ['GET', '/api/no-such-route', 404, 'url'],
  ['GET', '/api/../../etc/passwd', 404, 'url'],
  ['DELETE', '/api/clusters', 404, 'url'],
];

describe('malformed API requests', () => {
  it(`refuses each of ${MALFORMED.length} with a 4xx naming the field, and keeps serving`, async () => {
    const answers: { request: string; status: number; field: unknown }[] = [];
    for (const [method, path] of MALFORMED) {
      const res = await orc.get(path, { method, headers: admin });
      const details = (res.body as { Details?: { path?: string }[] } | undefined)?.Details;
      answers.push({
        request: `${method} ${path}`,
        status: res.status,
        field: Array.isArray(details) ? details[0]?.path : res.text,
      });
    }
    expect(answers).toEqual(
      MALFORMED.map(([method, path, status, field]) => ({ request: `${method} ${path}`, status, field })),
    );
    expect((await orc.get('/api/health')).status).toBe(200);
  }, 120_000);

  it('refuses an oversized body with 413 and a huge header with 431', async () => {
    const body = JSON.stringify({ junk: 'x'.repeat(200_000) });
    const res = await orc.get('/api/discover/127.0.0.1/3306', {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(413);
    const huge = await orc.get('/api/clusters', { headers: { ...admin, 'x-junk': 'y'.repeat(100_000) } });
    expect(huge.status).toBe(431);
    expect((await orc.get('/api/clusters', { headers: admin })).status).toBe(200);
  }, 120_000);

  it('keeps serving while a slow client holds a half-sent request', async () => {
    const { port } = new URL(orc.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /api/clusters HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect((await orc.get('/api/clusters', { headers: admin })).status).toBe(200);
    socket.destroy();
  }, 120_000);

  it('asks for credentials without them, and refuses wrong ones', async () => {
    expect((await orc.get('/api/clusters')).status).toBe(401);
    expect((await orc.get('/api/clusters', { headers: basic('orc', 'wrong') })).status).toBe(401);
    expect((await orc.get('/api/lb-check')).status).toBe(200);
  }, 120_000);
});

describe('a read-only user', () => {
  const key = (): string => `127.0.0.1/${topo.instance('r1').port}`;
  const cluster = (): string => `127.0.0.1:${topo.primary.port}`;
  const MUTATIONS = (): string[] => [
    `/api/discover/${key()}`,
    `/api/async-discover/${key()}`,
    `/api/forget/${key()}`,
    `/api/forget-cluster/${cluster()}`,
    `/api/begin-downtime/${key()}/ops/why/10m`,
    `/api/end-downtime/${key()}`,
    `/api/begin-maintenance/${key()}/ops/why`,
    `/api/end-maintenance/${key()}`,
    `/api/register-candidate/${key()}/prefer`,
    `/api/set-cluster-alias/${cluster()}?alias=shop`,
    '/api/submit-masters-to-kv-stores',
    `/api/submit-masters-to-kv-stores/${cluster()}`,
    '/api/disable-global-recoveries',
    '/api/enable-global-recoveries',
    `/api/disable-cluster-recoveries/${cluster()}`,
    `/api/enable-cluster-recoveries/${cluster()}`,
    '/api/tag/db1/3306?tag=role=backup',
    '/api/tag/db1/3306/role/backup',
    '/api/untag/db1/3306?tag=role',
    '/api/untag-all?tag=role=backup',
    '/api/ack-all-recoveries?comment=seen',
    `/api/ack-recovery/cluster/${cluster()}?comment=seen`,
    '/api/ack-recovery/some-uid?comment=seen',
    '/api/reload-configuration',
  ];

  it('reads, and is refused every mutation by GET and POST while nothing changes', async () => {
    expect((await orc.get('/api/clusters', { headers: readonly })).status).toBe(200);
    const before = (await orc.get('/api/all-instances', { headers: admin })).text.length;
    for (const path of MUTATIONS()) {
      for (const method of ['GET', 'POST']) {
        const res = await orc.get(path, { method, headers: readonly });
        expect({ path, method, status: res.status }).toEqual({ path, method, status: 403 });
      }
    }
    expect((await orc.get('/api/downtimed', { headers: admin })).body).toEqual([]);
    expect((await orc.get('/api/all-instances', { headers: admin })).body).toHaveLength(3);
    expect(before).toBeGreaterThan(0);
  }, 120_000);
});

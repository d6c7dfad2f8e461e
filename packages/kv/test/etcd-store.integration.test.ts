// What only the etcd store does, against a real etcd started by @orc/testenv: how its
// transactions show (one revision per cluster) and user/password auth. What every store does is
// in kv-store-contract.integration.test.ts.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '@orc/testenv';
import { rejectionOf } from '@orc/testkit';
import { EtcdKvStore, clusterMasterPairs, isKvError } from '../src/index.js';

const shop = clusterMasterPairs({ alias: 'shop', host: 'db2.example', port: 3306, ipv4: '10.0.0.2', ipv6: 'fe80::2' });

/** The revisions at which each cluster's keys under `prefix` were last written. */
async function revisionsByCluster(endpoint: string, prefix: string): Promise<Map<string, Set<string>>> {
  const raw = new Etcd3({ hosts: [endpoint] });
  try {
    const res = await raw.getAll().prefix(prefix).exec();
    const byCluster = new Map<string, Set<string>>();
    for (const kv of res.kvs) {
      const alias = kv.key.toString().split('/')[2] ?? '';
      byCluster.set(alias, (byCluster.get(alias) ?? new Set()).add(kv.mod_revision));
    }
    return byCluster;
  } finally {
    raw.close();
  }
}

describe('EtcdKvStore (real etcd)', () => {
  let server: EtcdServer;
  let store: EtcdKvStore;

  beforeAll(async () => {
    server = await startEtcd();
    store = new EtcdKvStore({ endpoints: [server.endpoint], requestTimeoutMs: 2000 });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await server?.destroy();
  }, 30_000);

  it("writes a cluster's pairs in one transaction (one revision)", async () => {
    await store.putMany(shop);
    const revisions = await revisionsByCluster(server.endpoint, 'mysql/master/shop');
    expect([...revisions.values()].map((r) => r.size)).toEqual([1]);
  });

  it('writes 1,000 clusters, each cluster whole in one transaction', async () => {
    const pairs = Array.from({ length: 1000 }, (_, i) =>
      clusterMasterPairs({ alias: `c${i}`, host: `db${i}`, port: 3306 }),
    ).flat();
    await store.putMany(pairs);
    const revisions = await revisionsByCluster(server.endpoint, 'mysql/master/c');
    expect(revisions.size).toBe(1000);
    for (const r of revisions.values()) expect(r.size).toBe(1);
    // Whole clusters share transactions: far fewer revisions than clusters.
    expect(new Set([...revisions.values()].flatMap((r) => [...r])).size).toBeLessThan(100);
  }, 30_000);
});

describe('EtcdKvStore with user/password auth', () => {
  let secured: EtcdServer;
  beforeAll(async () => {
    secured = await startEtcd({ name: 'etcd-auth' });
    const admin = new Etcd3({ hosts: [secured.endpoint] });
    try {
      const root = await admin.role('root').create();
      await admin.user('root').create('rootpw');
      await admin.user('root').addRole(root);
      const orcRole = await admin.role('orc').create();
      await orcRole.grant({ permission: 'Readwrite', range: admin.range({ prefix: 'mysql/' }) });
      await orcRole.grant({ permission: 'Read', range: admin.range({ start: 'orc/ping', end: 'orc/ping\0' }) });
      await admin.user('orc').create('orcpw');
      await admin.user('orc').addRole('orc');
      await admin.auth.authEnable();
    } finally {
      admin.close();
    }
  }, 60_000);
  afterAll(async () => {
    await secured?.destroy();
  }, 30_000);

  it('writes with the right password and refuses a wrong one with UNAUTHORIZED', async () => {
    const good = new EtcdKvStore({
      endpoints: [secured.endpoint],
      username: 'orc',
      password: 'orcpw',
      requestTimeoutMs: 3000,
    });
    const bad = new EtcdKvStore({
      endpoints: [secured.endpoint],
      username: 'orc',
      password: 'wrong',
      requestTimeoutMs: 3000,
    });
    try {
      await good.putMany(shop);
      expect(await good.get('mysql/master/shop')).toBe('db2.example:3306');
      await good.ping();
      const err = await rejectionOf(bad.putMany(shop), isKvError);
      expect(err).toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
      const denied = await rejectionOf(good.put('elsewhere/k', 'v'), isKvError);
      expect(denied.code).toBe('UNAUTHORIZED');
    } finally {
      await good.close();
      await bad.close();
    }
  }, 30_000);
});

// The etcd store against a real etcd started by @orc/testenv.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '@orc/testenv';
import { EtcdKvStore, clusterMasterPairs } from '../src/index.js';
import { eventually, rejection } from './helpers.js';

const shop = clusterMasterPairs({ alias: 'shop', host: 'db2.example', port: 3306, ipv4: '10.0.0.2', ipv6: 'fe80::2' });

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

describe('EtcdKvStore (real etcd)', () => {
  it('puts, gets, lists and deletes', async () => {
    await store.put('mysql/master/a', 'db1:3306');
    expect(await store.get('mysql/master/a')).toBe('db1:3306');
    expect(await store.get('mysql/master/none')).toBeUndefined();
    await store.delete('mysql/master/a');
    expect(await store.get('mysql/master/a')).toBeUndefined();
    await store.ping();
  });

  it("writes a cluster's pairs in one transaction (one revision)", async () => {
    await store.putMany(shop);
    expect(await store.list('mysql/master/shop')).toEqual([...shop].sort((a, b) => (a.key < b.key ? -1 : 1)));
    const raw = new Etcd3({ hosts: [server.endpoint] });
    try {
      const res = await raw.getAll().prefix('mysql/master/shop').exec();
      expect(new Set(res.kvs.map((kv) => kv.mod_revision)).size).toBe(1);
    } finally {
      raw.close();
    }
  });

  it('writes 1,000 clusters, each cluster whole in one transaction', async () => {
    const pairs = Array.from({ length: 1000 }, (_, i) =>
      clusterMasterPairs({ alias: `c${i}`, host: `db${i}`, port: 3306 }),
    ).flat();
    await store.putMany(pairs);
    expect((await store.list('mysql/master/c')).length).toBe(3000);
    const raw = new Etcd3({ hosts: [server.endpoint] });
    try {
      const res = await raw.getAll().prefix('mysql/master/c99').exec();
      const byCluster = new Map<string, Set<string>>();
      for (const kv of res.kvs) {
        const alias = kv.key.toString().split('/')[2] ?? '';
        byCluster.set(alias, (byCluster.get(alias) ?? new Set()).add(kv.mod_revision));
      }
      for (const revisions of byCluster.values()) expect(revisions.size).toBe(1);
    } finally {
      raw.close();
    }
  }, 30_000);

  it('refuses bad keys and values before sending anything', async () => {
    expect(
      (
        await rejection(
          store.putMany([
            { key: 'x/ok', value: '1' },
            { key: 'x//bad', value: '1' },
          ]),
        )
      ).key,
    ).toBe('x//bad');
    expect((await rejection(store.put('x/big', 'x'.repeat(1.5 * 1024 * 1024)))).code).toBe('VALUE_TOO_LARGE');
    expect(await store.get('x/ok')).toBeUndefined();
  });

  it('reports the server down within the request bound, and works again after a restart', async () => {
    await server.stop();
    const err = await rejection(store.put('outage/k', 'v'));
    expect(['UNAVAILABLE', 'TIMEOUT']).toContain(err.code);
    await server.start();
    await eventually(
      async () => {
        await store.put('outage/k', 'v');
        return true;
      },
      20_000,
      'a write after the restart',
    );
    expect(await store.get('outage/k')).toBe('v');
  }, 60_000);
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
      const err = await rejection(bad.putMany(shop));
      expect(err.code).toBe('UNAUTHORIZED');
      const denied = await rejection(good.put('elsewhere/k', 'v'));
      expect(denied.code).toBe('UNAUTHORIZED');
    } finally {
      await good.close();
      await bad.close();
    }
  }, 30_000);
});

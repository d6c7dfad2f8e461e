import { describe, expect, it } from '@jest/globals';
import { instanceKey, type ClusterInfo } from '@orc/topology';
import { basic, multiAuth, routeFixture } from '../../test/support/route-fixture.js';
import type { KvStatusSource, KvStoreState, KvWriteRecord } from '../deps.js';

const T0 = Date.UTC(2026, 11, 6, 20, 0, 0);
const shop: ClusterInfo = {
  clusterName: 'db1:3306',
  clusterAlias: 'shop',
  clusterDomain: '',
  masterKey: instanceKey('db1', 3306),
  instanceKeys: [instanceKey('db1', 3306), instanceKey('db2', 3306)],
};
const blog: ClusterInfo = {
  clusterName: 'db7:3307',
  clusterAlias: 'blog',
  clusterDomain: '',
  masterKey: instanceKey('db7', 3307),
  instanceKeys: [instanceKey('db7', 3307)],
};

/** A port over plain maps: store -> key -> value; a store in `broken` rejects its reads. */
function fakeKv(
  values: Record<string, Record<string, string>>,
  options: { broken?: Record<string, string>; writes?: Record<string, KvWriteRecord>; stores?: KvStoreState[] } = {},
): KvStatusSource {
  return {
    prefix: 'mysql/master/',
    stores: () =>
      options.stores ??
      Object.keys(values).map((name, i) => ({
        name,
        kind: name,
        role: i === 0 ? 'desired' : 'reconciled',
        state: 'healthy',
        failures: 0,
      })),
    read: async (store, key) => {
      const broken = options.broken?.[store];
      if (broken !== undefined) throw new Error(broken);
      return { value: values[store]?.[key], at: T0 };
    },
    lastWrite: (store, key) => options.writes?.[`${store} ${key}`],
  };
}

const api = (kvStatus: KvStatusSource | undefined, clusters: readonly ClusterInfo[] = [shop, blog]) =>
  routeFixture({
    instances: [],
    clusters,
    auth: multiAuth,
    deps: { scrub: (t) => t.replaceAll('hunter2', '<secret>'), ...(kvStatus === undefined ? {} : { kvStatus }) },
  }).app;
// A read-only user may read it: the route changes nothing.
const readonly = { authorization: basic('readonly', 'x') };
const get = (app: ReturnType<typeof api>, url: string) => app.inject({ url, headers: readonly });

describe('/api/kv-status', () => {
  it("says per cluster and store whether the store names the cluster's primary", async () => {
    const kv = fakeKv(
      {
        internal: { 'mysql/master/shop': 'db1:3306', 'mysql/master/blog': 'db7:3307' },
        zookeeper: { 'mysql/master/shop': 'db1:3306', 'mysql/master/blog': 'db6:3307' },
        etcd: { 'mysql/master/shop': 'db1:3306' },
      },
      { writes: { 'zookeeper mysql/master/shop': { at: T0 - 60_000, ok: true } } },
    );
    const res = await get(api(kv), '/api/kv-status');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.Prefix).toBe('mysql/master/');
    expect(body.Clusters.map((c: { ClusterAlias: string }) => c.ClusterAlias)).toEqual(['shop', 'blog']);
    expect(body.Clusters[0]).toMatchObject({ ClusterName: 'db1:3306', Primary: 'db1:3306', Key: 'mysql/master/shop' });
    expect(body.Clusters[0].Stores).toEqual([
      {
        Store: 'internal',
        Key: 'mysql/master/shop',
        Value: 'db1:3306',
        InSync: true,
        LastWriteAt: null,
        CheckedAt: new Date(T0).toISOString(),
        Error: null,
      },
      expect.objectContaining({ Store: 'zookeeper', InSync: true, LastWriteAt: new Date(T0 - 60_000).toISOString() }),
      expect.objectContaining({ Store: 'etcd', InSync: true }),
    ]);
    const blogStores = body.Clusters[1].Stores as { Store: string; Value: string | null; InSync: boolean }[];
    expect(blogStores.map((s) => [s.Store, s.Value, s.InSync])).toEqual([
      ['internal', 'db7:3307', true],
      ['zookeeper', 'db6:3307', false],
      ['etcd', null, false],
    ]);
  });

  it('reports a store that cannot be read, or whose last write failed, in its row with the error', async () => {
    const kv = fakeKv(
      { internal: { 'mysql/master/shop': 'db1:3306' }, zookeeper: {}, etcd: {} },
      {
        broken: { zookeeper: 'connection refused by 127.0.0.1:2181 (password hunter2)' },
        writes: { 'etcd mysql/master/shop': { at: T0, ok: false, error: 'deadline exceeded' } },
      },
    );
    const body = (await get(api(kv, [shop]), '/api/kv-status')).json();
    expect(body.Clusters[0].Stores).toEqual([
      expect.objectContaining({ Store: 'internal', InSync: true, Error: null }),
      expect.objectContaining({
        Store: 'zookeeper',
        Value: null,
        InSync: false,
        CheckedAt: null,
        Error: 'connection refused by 127.0.0.1:2181 (password <secret>)',
      }),
      expect.objectContaining({ Store: 'etcd', Value: null, InSync: false, Error: 'deadline exceeded' }),
    ]);
  });

  it("lists each store's health: desired, checked, down or not checked yet", async () => {
    const stores: KvStoreState[] = [
      { name: 'internal', kind: 'internal', role: 'desired', state: 'healthy', failures: 0 },
      {
        name: 'zookeeper',
        kind: 'zookeeper',
        role: 'reconciled',
        state: 'healthy',
        failures: 0,
        lastCheck: { at: T0, ok: true, written: 2 },
      },
      {
        name: 'etcd',
        kind: 'etcd',
        role: 'reconciled',
        state: 'down',
        failures: 3,
        lastCheck: { at: T0 + 1000, ok: false, written: 0, error: 'TIMEOUT: hunter2' },
      },
      { name: 'consul', kind: 'consul', role: 'reconciled', state: 'healthy', failures: 0 },
    ];
    const body = (await get(api(fakeKv({ internal: {} }, { stores }), []), '/api/kv-status')).json();
    expect(body.Clusters).toEqual([]);
    expect(body.Stores).toEqual([
      {
        Store: 'internal',
        Kind: 'internal',
        Role: 'desired',
        State: 'healthy',
        Failures: 0,
        LastCheckAt: null,
        LastCheckOk: null,
        LastRepairWritten: 0,
        Error: null,
      },
      expect.objectContaining({
        Store: 'zookeeper',
        State: 'healthy',
        LastCheckAt: new Date(T0).toISOString(),
        LastCheckOk: true,
        LastRepairWritten: 2,
      }),
      expect.objectContaining({
        Store: 'etcd',
        State: 'down',
        Failures: 3,
        LastCheckOk: false,
        Error: 'TIMEOUT: <secret>',
      }),
      expect.objectContaining({ Store: 'consul', State: 'unchecked', LastCheckAt: null }),
    ]);
  });

  it('answers for one cluster by alias, 404 for an unknown one, and 404 without a source', async () => {
    const kv = fakeKv({ internal: { 'mysql/master/blog': 'db7:3307' } });
    const one = (await get(api(kv), '/api/kv-status/blog')).json();
    expect(one.Clusters.map((c: { ClusterName: string }) => c.ClusterName)).toEqual(['db7:3307']);
    expect((await get(api(kv), '/api/kv-status/nowhere')).statusCode).toBe(404);
    const none = await get(api(undefined), '/api/kv-status');
    expect(none.statusCode).toBe(404);
    expect(none.json().Message).toContain('no KV status');
  });
});

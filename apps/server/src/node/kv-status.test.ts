import { describe, expect, it } from '@jest/globals';
import {
  InternalKvStore,
  KvFanout,
  KvReconciler,
  MemoryKvTable,
  clusterMasterPairs,
  type KvPublisher,
  type KvStore,
} from '@orc/kv';
import { ManualClock } from '@orc/testkit';
import { KvStatusTracker } from './kv-status.js';

/** A store over a memory table whose reads can be made to hang and whose writes can fail. */
function controllable(name: string): KvStore & { hang: boolean; failWrites: boolean } {
  const inner = new InternalKvStore({ table: new MemoryKvTable(), name });
  const store = {
    name,
    kind: 'etcd',
    limits: inner.limits,
    hang: false,
    failWrites: false,
    validate: (pairs: Parameters<KvStore['validate']>[0]) => inner.validate(pairs),
    put: (k: string, v: string) => inner.put(k, v),
    putMany: async (pairs: Parameters<KvStore['putMany']>[0]) => {
      if (store.failWrites) throw new Error('etcd is unavailable');
      await inner.putMany(pairs);
    },
    get: (k: string) => (store.hang ? new Promise<string | undefined>(() => undefined) : inner.get(k)),
    list: (p: string) => inner.list(p),
    delete: (k: string) => inner.delete(k),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return store;
}

function setup() {
  const clock = new ManualClock();
  const internal = new InternalKvStore({ table: new MemoryKvTable() });
  const etcd = controllable('etcd');
  const reconciler = new KvReconciler({ desired: internal, stores: [etcd], clock });
  const fanout = new KvFanout({ stores: [internal, etcd], clock, observers: [reconciler] });
  const kv: KvPublisher = {
    internal,
    external: [etcd],
    fanout,
    reconciler,
    publishMaster: (m) => fanout.putMany(clusterMasterPairs(m)),
    start: () => reconciler.start(),
    close: async () => reconciler.stop(),
  };
  const status = new KvStatusTracker(kv, { prefix: '/mysql/master', clock, readTimeoutMs: 500 });
  const publish = async (host: string) => {
    const master = { alias: 'shop', host, port: 3306 };
    status.record(master, await kv.publishMaster(master));
  };
  return { clock, internal, etcd, kv, status, publish };
}

describe('KvStatusTracker', () => {
  it("remembers each store's last write of a cluster's key, failed ones with their error", async () => {
    const { clock, etcd, status, publish } = setup();
    expect(status.prefix).toBe('mysql/master/');
    expect(status.lastWrite('etcd', 'mysql/master/shop')).toBeUndefined();
    await publish('db1');
    expect(status.lastWrite('internal', 'mysql/master/shop')).toEqual({ at: clock.wallNow(), ok: true });
    clock.advance(1000);
    etcd.failWrites = true;
    await publish('db2');
    expect(status.lastWrite('internal', 'mysql/master/shop')).toEqual({ at: clock.wallNow(), ok: true });
    expect(status.lastWrite('etcd', 'mysql/master/shop')).toMatchObject({
      at: clock.wallNow(),
      ok: false,
      error: expect.stringContaining('etcd is unavailable'),
    });
    // What the stores hold now: the internal store the new primary, etcd still the old one.
    expect((await status.read('internal', 'mysql/master/shop')).value).toBe('db2:3306');
    expect(await status.read('etcd', 'mysql/master/shop')).toEqual({ value: 'db1:3306', at: clock.wallNow() });
  });

  it("lists the internal store as desired and each other store with the reconciler's last check", async () => {
    const { clock, etcd, kv, status, publish } = setup();
    expect(status.stores()).toEqual([
      { name: 'internal', kind: 'internal', role: 'desired', state: 'healthy', failures: 0 },
      { name: 'etcd', kind: 'etcd', role: 'reconciled', state: 'healthy', failures: 0 },
    ]);
    etcd.failWrites = true;
    await publish('db1');
    expect(status.stores()[1]).toMatchObject({ state: 'down', failures: 1 });
    etcd.failWrites = false;
    clock.advance(250);
    await kv.reconciler.reconcileAll();
    expect(status.stores()[1]).toEqual({
      name: 'etcd',
      kind: 'etcd',
      role: 'reconciled',
      state: 'healthy',
      failures: 0,
      lastCheck: { at: clock.wallNow(), ok: true, written: 3 },
    });
  });

  it('bounds a read of a hung store by its timeout, and refuses an unknown store', async () => {
    const { clock, etcd, status } = setup();
    etcd.hang = true;
    const read = status.read('etcd', 'mysql/master/shop');
    clock.advance(500);
    await expect(read).rejects.toMatchObject({ code: 'TIMEOUT', store: 'etcd' });
    await expect(status.read('consul', 'mysql/master/shop')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

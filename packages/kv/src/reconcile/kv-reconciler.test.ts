import { describe, it, expect } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { FakeKvStore } from '../../test/support/fake-kv-store.js';
import { advance, settle } from '../../test/support/settle.js';
import { KvFanout } from '../fanout/kv-fanout.js';
import { clusterMasterPairs } from '../layout/master-pairs.js';
import { KvReconciler, type KvReconcileReport } from './kv-reconciler.js';
import { validateReconcilerOptions } from './reconciler-config.js';

const clusters = (n: number, host = 'db') =>
  Array.from({ length: n }, (_, i) => clusterMasterPairs({ alias: `c${i}`, host: `${host}${i}`, port: 3306 })).flat();

function setup(options: Partial<ConstructorParameters<typeof KvReconciler>[0]> = {}) {
  const clock = new ManualClock();
  const internal = new FakeKvStore('internal');
  const zk = new FakeKvStore('zookeeper');
  const etcd = new FakeKvStore('etcd');
  const reports: KvReconcileReport[] = [];
  const reconciler = new KvReconciler({
    desired: internal,
    stores: [zk, etcd],
    clock,
    random: () => 1,
    intervalMs: 60_000,
    backoff: { initialMs: 1000, maxMs: 8000 },
    onReport: (r) => reports.push(r),
    ...options,
  });
  const fanout = new KvFanout({ stores: [internal, zk, etcd], clock, observers: [reconciler] });
  return { clock, internal, zk, etcd, reconciler, fanout, reports };
}

describe('KvReconciler', () => {
  it('writes what is missing or different, and nothing else', async () => {
    const { internal, zk, reconciler } = setup();
    await internal.putMany(clusters(3));
    await zk.putMany([
      { key: 'mysql/master/c0', value: 'old:3306' },
      ...clusters(1).slice(1),
      { key: 'mysql/master/gone', value: 'x:1' },
    ]);
    const report = await reconciler.reconcileStore('zookeeper');
    expect(report).toMatchObject({ ok: true, checked: 9, missing: 6, different: 1, written: 7 });
    expect(await zk.list('mysql/master/')).toEqual(
      [...(await internal.list('mysql/master/')), { key: 'mysql/master/gone', value: 'x:1' }].sort((a, b) =>
        a.key < b.key ? -1 : 1,
      ),
    );
    const again = await reconciler.reconcileStore('zookeeper');
    expect(again.written).toBe(0);
  });

  it('a store that was down during a failover ends up correct with no command', async () => {
    const { clock, zk, etcd, reconciler, fanout, reports } = setup();
    reconciler.start();
    await advance(clock, 0);
    zk.isDown = true;
    const result = await fanout.putMany(clusterMasterPairs({ alias: 'shop', host: 'db2', port: 3306 }));
    expect(result.outcomes.find((o) => o.store === 'zookeeper')?.ok).toBe(false);
    expect(await etcd.get('mysql/master/shop')).toBe('db2:3306');
    expect(reconciler.health().find((h) => h.store === 'zookeeper')?.state).toBe('down');

    // Probed with backoff while down: 1 s, 2 s, 4 s, 8 s, 8 s...
    await advance(clock, 1000);
    await advance(clock, 2000);
    expect(zk.calls.ping).toBe(2);
    zk.isDown = false;
    await advance(clock, 4000);
    expect(await zk.get('mysql/master/shop')).toBe('db2:3306');
    expect(reconciler.health().find((h) => h.store === 'zookeeper')).toMatchObject({ state: 'healthy', failures: 0 });
    expect(reports.at(-1)).toMatchObject({ store: 'zookeeper', ok: true, written: 3 });
    await reconciler.stop();
  });

  it('compares healthy stores on the schedule', async () => {
    const { clock, internal, etcd, reconciler } = setup();
    reconciler.start();
    await advance(clock, 0);
    await internal.putMany(clusters(2));
    await advance(clock, 59_999);
    expect(await etcd.get('mysql/master/c1')).toBeUndefined();
    await advance(clock, 1);
    expect(await etcd.get('mysql/master/c1')).toBe('db1:3306');
    await reconciler.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('repairs a large store in chunks that keep clusters whole, with bounded concurrency', async () => {
    const { internal, zk, reconciler } = setup({ chunkPairs: 12, concurrency: 3 });
    await internal.putMany(clusters(100));
    const report = await reconciler.reconcileStore('zookeeper');
    expect(report).toMatchObject({ ok: true, written: 300 });
    expect(zk.batches.every((n) => n % 3 === 0 && n <= 12)).toBe(true);
    expect(zk.maxInFlight).toBeLessThanOrEqual(3);
    expect(zk.maxInFlight).toBeGreaterThan(1);
  });

  it('a hung store is bounded by the timeout and retried with backoff', async () => {
    const { clock, internal, etcd, reconciler } = setup({ timeoutMs: 500 });
    await internal.putMany(clusters(1));
    etcd.hang();
    reconciler.start();
    await advance(clock, 0);
    await advance(clock, 500);
    expect(reconciler.health().find((h) => h.store === 'etcd')).toMatchObject({ state: 'down', failures: 1 });
    expect(reconciler.health().find((h) => h.store === 'etcd')?.lastReport?.error?.code).toBe('TIMEOUT');
    // The report carries the wall time it ended at: the web page's "last checked".
    expect(reconciler.health().find((h) => h.store === 'etcd')?.lastReport?.finishedAt).toBe(clock.wallNow());
    etcd.unhang();
    await advance(clock, 1000);
    expect(await etcd.get('mysql/master/c0')).toBe('db0:3306');
    await reconciler.stop();
  });

  it('does not touch a store while the desired state cannot be read', async () => {
    const { internal, zk, reconciler } = setup();
    internal.isDown = true;
    const report = await reconciler.reconcileStore('zookeeper');
    expect(report.ok).toBe(false);
    expect(report.error?.store).toBe('internal');
    expect(zk.calls.list + zk.calls.putMany).toBe(0);
  });

  it('a repair from an older snapshot never leaves a failover overwritten', async () => {
    const { internal, zk, reconciler, fanout } = setup();
    await internal.putMany(clusterMasterPairs({ alias: 'shop', host: 'old', port: 3306 }));
    let release = (): void => {};
    zk.nextPutManyGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The repair has read the desired state (old) and its write to zookeeper is held...
    const repairing = reconciler.reconcileStore('zookeeper');
    await settle();
    expect(zk.inFlight).toBe(1);
    // ...while a failover's fan-out writes the new primary everywhere, and lands first.
    const result = await fanout.putMany(clusterMasterPairs({ alias: 'shop', host: 'new', port: 3306 }));
    expect(result.ok).toBe(true);
    expect(await zk.get('mysql/master/shop')).toBe('new:3306');
    release();
    await repairing;
    await settle();
    // The stale repair landed last, and the reconciler compared again at once.
    expect(await zk.get('mysql/master/shop')).toBe('new:3306');
    expect(await zk.get('mysql/master/shop/hostname')).toBe('new');
  });

  it('skips pairs a fan-out wrote after the comparison began', async () => {
    const { internal, zk, reconciler } = setup();
    await internal.putMany(clusters(2));
    reconciler.writeStarted(clusterMasterPairs({ alias: 'c1', host: 'db1', port: 3306 }));
    const report = await reconciler.reconcileStore('zookeeper');
    expect(report).toMatchObject({ ok: true, missing: 6, written: 3, skipped: 3 });
    expect(await zk.get('mysql/master/c1')).toBeUndefined();
    // That fan-out ends (its write to zookeeper failed, say): the skipped pairs are compared again.
    reconciler.writeDone({ ok: false, outcomes: [] }, clusterMasterPairs({ alias: 'c1', host: 'db1', port: 3306 }));
    await settle();
    expect(await zk.get('mysql/master/c1')).toBe('db1:3306');
  });

  it('reports every bad option at once', () => {
    expect(() =>
      validateReconcilerOptions({ intervalMs: -1, concurrency: 1.5, backoff: { initialMs: 10, maxMs: 5 } }),
    ).toThrow(/intervalMs.*concurrency.*backoff\.maxMs/);
  });
});

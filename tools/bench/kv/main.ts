// pnpm bench:kv — fan-out of 1,000 clusters' primaries (5 pairs each) to the internal store,
// a real ZooKeeper and a real etcd (started by @orc/testenv), then the reconciler repairing all
// 1,000 clusters in both external stores after they lost their data and were down. Prints one
// JSON line. Run with: node --conditions=@orc/source tools/bench/kv/main.ts [--clusters N]
import '../../scripts/ts-hooks.mjs';

const kv = await import('../../../packages/kv/src/index.ts');
const testenv = await import('../../testenv/src/index.ts');

const arg = process.argv.indexOf('--clusters');
const clusters = arg > 0 ? Number(process.argv[arg + 1]) : 1000;
if (!Number.isInteger(clusters) || clusters <= 0) throw new Error('--clusters must be a positive integer');

const pairsFor = (host: string) =>
  Array.from({ length: clusters }, (_, i) =>
    kv.clusterMasterPairs({
      alias: `bench${i}`,
      host: `${host}${i}.db.example`,
      port: 3306,
      ipv4: `10.${(i >> 8) & 255}.${i & 255}.1`,
      ipv6: `fd00::${i.toString(16)}`,
    }),
  ).flat();

const [zkServer, etcdServer] = await Promise.all([
  testenv.startZooKeeper({ name: 'bench-kv-zk' }),
  testenv.startEtcd({ name: 'bench-kv-etcd' }),
]);
const internal = new kv.InternalKvStore({ table: new kv.MemoryKvTable() });
const zk = new kv.ZooKeeperKvStore({ connectString: zkServer.connectString, requestTimeoutMs: 10_000 });
const etcd = new kv.EtcdKvStore({ endpoints: [etcdServer.endpoint], requestTimeoutMs: 10_000 });
const reconciler = new kv.KvReconciler({
  desired: internal,
  stores: [zk, etcd],
  chunkPairs: 500,
  concurrency: 4,
  timeoutMs: 30_000,
});
const fanout = new kv.KvFanout({
  stores: [internal, zk, etcd],
  timeoutMs: 30_000,
  observers: [reconciler],
});

try {
  // Connections are opened before timing: a running orc keeps them open.
  await Promise.all([zk.ping(), etcd.ping()]);

  const pairs = pairsFor('primary');
  const t0 = performance.now();
  const result = await fanout.putMany(pairs);
  const fanoutMs = performance.now() - t0;
  if (!result.ok) throw new Error(`fan-out failed: ${JSON.stringify(result.outcomes)}`);
  const pairsPerSecond = Object.fromEntries(
    result.outcomes.map((o) => [o.store, Math.round((pairs.length / o.durationMs) * 1000)]),
  );

  // A failover of every cluster: the same keys, new values (no znode to create).
  const moved = pairsFor('replica');
  const t1 = performance.now();
  const second = await fanout.putMany(moved);
  const updateMs = performance.now() - t1;
  if (!second.ok) throw new Error(`second fan-out failed: ${JSON.stringify(second.outcomes)}`);

  // Both external stores lose everything, go down, miss a write, and come back.
  const keys = moved.map((p) => p.key).sort((a, b) => b.split('/').length - a.split('/').length);
  for (const store of [zk, etcd]) {
    for (let i = 0; i < keys.length; i += 200) await Promise.all(keys.slice(i, i + 200).map((k) => store.delete(k)));
  }
  await Promise.all([zkServer.stop(), etcdServer.stop()]);
  const missed = await fanout.putMany(
    kv.clusterMasterPairs({ alias: 'bench0', host: 'third0.db.example', port: 3306 }),
  );
  if (missed.outcomes.filter((o) => !o.ok).length !== 2)
    throw new Error('expected both external stores to fail while down');
  await Promise.all([zkServer.start(), etcdServer.start()]);
  // Time until both stores are whole again, as an operator would see it (a comparison that finds
  // a store not answering yet is retried, as the reconciler's backoff would).
  const t2 = performance.now();
  const repaired = new Set<string>();
  let attempts = 0;
  while (repaired.size < 2) {
    if (performance.now() - t2 > 120_000)
      throw new Error(`not repaired within 120 s: ${JSON.stringify([...repaired])}`);
    attempts += 1;
    for (const r of await reconciler.reconcileAll()) {
      if (r.ok) repaired.add(r.store);
    }
  }
  const reconcileMs = performance.now() - t2;
  const want = JSON.stringify(await internal.list('mysql/master/'));
  for (const store of [zk, etcd]) {
    if (JSON.stringify(await store.list('mysql/master/')) !== want)
      throw new Error(`${store.name} differs from the internal store after the repair`);
  }

  console.log(
    JSON.stringify({
      bench: 'kv',
      clusters,
      fanout_ms: Math.round(fanoutMs),
      pairs_s: pairsPerSecond,
      reconcile_ms: Math.round(reconcileMs),
      fanout_update_ms: Math.round(updateMs),
      reconcile_pairs_per_store: moved.length,
      reconcile_attempts: attempts,
    }),
  );
} finally {
  await reconciler.stop();
  await Promise.all([zk.close(), etcd.close()]);
  await Promise.all([zkServer.destroy(), etcdServer.destroy()]);
}

// The fan-out and the reconciler against real ZooKeeper and etcd (from @orc/testenv) plus the
// internal store: a store that is down while a failover's pairs are written is reported as
// failed, the others succeed, and once it is back the reconciler repairs it with no command.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startEtcd, startZooKeeper, type EtcdServer, type ZooKeeperServer } from '@orc/testenv';
import {
  EtcdKvStore,
  InternalKvStore,
  KvFanout,
  KvReconciler,
  MemoryKvTable,
  ZooKeeperKvStore,
  clusterMasterPairs,
  type KvReconcileReport,
  type KvStore,
} from '../src/index.js';
import { eventually } from './helpers.js';

let zkServer: ZooKeeperServer;
let etcdServer: EtcdServer;
let internal: InternalKvStore;
let zk: ZooKeeperKvStore;
let etcd: EtcdKvStore;
let reconciler: KvReconciler;
let fanout: KvFanout;
const reports: KvReconcileReport[] = [];
// Kept for the failure message of a test that times out.
const log: string[] = [];
const record = (level: string) => (msg: string, fields?: object) =>
  void log.push(`${new Date().toISOString()} ${level} ${msg} ${JSON.stringify(fields ?? {})}`);
const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };

beforeAll(async () => {
  [zkServer, etcdServer] = await Promise.all([startZooKeeper({ tickTimeMs: 500 }), startEtcd()]);
  internal = new InternalKvStore({ table: new MemoryKvTable() });
  zk = new ZooKeeperKvStore({
    connectString: zkServer.connectString,
    sessionTimeoutMs: 4000,
    requestTimeoutMs: 2000,
    logger,
  });
  etcd = new EtcdKvStore({ endpoints: [etcdServer.endpoint], requestTimeoutMs: 2000 });
  reconciler = new KvReconciler({
    desired: internal,
    stores: [zk, etcd],
    intervalMs: 60_000,
    backoff: { initialMs: 100, maxMs: 1000 },
    onReport: (r) => reports.push(r),
  });
  fanout = new KvFanout({ stores: [internal, zk, etcd], timeoutMs: 5000, observers: [reconciler] });
  reconciler.start();
}, 90_000);

afterAll(async () => {
  await reconciler?.stop();
  await Promise.all([zk?.close(), etcd?.close()]);
  await Promise.all([zkServer?.destroy(), etcdServer?.destroy()]);
}, 30_000);

const failover = (alias: string, host: string) => clusterMasterPairs({ alias, host, port: 3306, ipv4: '10.1.1.1' });

async function holds(store: KvStore, pairs: readonly { key: string; value: string }[]): Promise<boolean> {
  for (const p of pairs) if ((await store.get(p.key)) !== p.value) return false;
  return true;
}

describe.each([
  ['zookeeper', () => zkServer],
  ['etcd', () => etcdServer],
] as const)('%s stopped while pairs are written', (name, serverOf) => {
  it('the fan-out reports its failure, the others succeed; once restarted the reconciler repairs it', async () => {
    const pairs = [...failover(`${name}-a`, 'db2'), ...failover(`${name}-b`, 'db7')];
    await serverOf().stop();
    const result = await fanout.putMany(pairs);
    const byStore = Object.fromEntries(result.outcomes.map((o) => [o.store, o]));
    expect(byStore[name]?.ok).toBe(false);
    for (const other of ['internal', 'zookeeper', 'etcd'].filter((s) => s !== name))
      expect(byStore[other]?.ok).toBe(true);
    const failed = byStore[name];
    if (failed !== undefined && !failed.ok) expect(['UNAVAILABLE', 'TIMEOUT']).toContain(failed.error.code);
    expect(reconciler.health().find((h) => h.store === name)?.state).toBe('down');
    expect(await holds(name === 'zookeeper' ? etcd : zk, pairs)).toBe(true);

    await serverOf().start();
    const store = name === 'zookeeper' ? zk : etcd;
    await eventually(
      () => holds(store, pairs),
      30_000,
      `${name} repaired by the reconciler`,
      () => ({ health: reconciler.health(), log: log.slice(-20) }),
    );
    await eventually(
      () => reconciler.health().find((h) => h.store === name)?.state === 'healthy',
      10_000,
      `${name} healthy again`,
    );
    expect(reports.some((r) => r.store === name && r.ok && r.written >= pairs.length)).toBe(true);
  }, 60_000);
});

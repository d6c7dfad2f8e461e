// The KvStore contract: what every store must do, whatever it is built on. One suite, run over
// every store by test/kv-store-contract.integration.test.ts; a new store gets it by adding a
// factory there. Cases that depend on one store's machinery (Consul's cas, ZooKeeper's session,
// etcd's auth, how atomicity shows in each) stay in that store's own test file.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejectionOf, waitFor } from '@orc/testkit';
import {
  InternalKvStore,
  KvFanout,
  KvReconciler,
  MemoryKvTable,
  clusterMasterPairs,
  isKvError,
  type KvPair,
  type KvStore,
} from '../../src/index.js';

/** A server behind a store that can go away and come back on the same address with its data. */
export interface StoppableServer {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** One store under test, with what the contract needs around it. */
export interface ContractSubject {
  readonly store: KvStore;
  /** A second, independent client of the same data (the first one stays open). */
  connect(): KvStore;
  /** The server, when the store has one (the internal store has none). */
  readonly server?: StoppableServer;
  /** Closes every client `connect` made and removes the server. */
  destroy(): Promise<void>;
}

/** How to start one kind of store for the contract. */
export interface KvStoreFactory {
  /** The test title: what the store is and what it runs against. */
  readonly title: string;
  /** Whether `start` gives a server to stop: the outage cases run only then. */
  readonly hasServer: boolean;
  start(): Promise<ContractSubject>;
}

const byKey = (a: KvPair, b: KvPair): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const sorted = (pairs: readonly KvPair[]): KvPair[] => [...pairs].sort(byKey);

/**
 * Defines the contract's tests for one store. Each test writes under its own prefix, so the
 * tests share one store and one server.
 *
 * @example
 * ```ts
 * describeKvStoreContract({ title: 'internal (MemoryKvTable)', hasServer: false, start: async () => ({ ... }) });
 * ```
 */
export function describeKvStoreContract(factory: KvStoreFactory): void {
  describe(factory.title, () => {
    let subject: ContractSubject;
    let store: KvStore;

    beforeAll(async () => {
      subject = await factory.start();
      store = subject.store;
    }, 120_000);

    afterAll(async () => {
      await subject?.destroy();
    }, 60_000);

    it('puts, overwrites, gets and deletes a key; a missing key reads as undefined and deleting it is no error', async () => {
      await store.put('one/mysql/master/a', 'db1:3306');
      expect(await store.get('one/mysql/master/a')).toBe('db1:3306');
      await store.put('one/mysql/master/a', 'db2:3306');
      expect(await store.get('one/mysql/master/a')).toBe('db2:3306');
      expect(await store.get('one/mysql/master/none')).toBeUndefined();
      await store.delete('one/mysql/master/a');
      await store.delete('one/mysql/master/a');
      expect(await store.get('one/mysql/master/a')).toBeUndefined();
      await store.ping();
    });

    it("writes a cluster's pairs and lists them sorted by key; parents of written keys are not pairs", async () => {
      const shop = clusterMasterPairs(
        { alias: 'shop', host: 'db2.example', port: 3306, ipv4: '10.0.0.2', ipv6: 'fe80::2' },
        'two/mysql/master',
      );
      await store.putMany([...shop].reverse());
      expect(await store.list('two/mysql/master/')).toEqual(sorted(shop));
      expect(await store.get('two/mysql/master/shop/port')).toBe('3306');
      expect(await store.get('two/mysql/master')).toBeUndefined();
      expect(await store.get('two')).toBeUndefined();
    });

    it('lists by plain string prefix, and an unknown prefix lists nothing', async () => {
      await store.putMany([
        { key: 'three/b1', value: '1' },
        { key: 'three/b2', value: '2' },
        { key: 'three/c', value: '3' },
        { key: 'threeb', value: '4' },
      ]);
      expect(await store.list('three/b')).toEqual([
        { key: 'three/b1', value: '1' },
        { key: 'three/b2', value: '2' },
      ]);
      expect((await store.list('three/')).map((p) => p.key)).toEqual(['three/b1', 'three/b2', 'three/c']);
      expect(await store.list('three/none/')).toEqual([]);
      expect(await store.list('nothing-here/')).toEqual([]);
    });

    it('a key and keys under it both hold values; deleting the key leaves the keys under it', async () => {
      // 'four/x/y' is written by neither call: a store with a hierarchy creates it as a parent.
      await store.putMany([
        { key: 'four/x', value: 'parent' },
        { key: 'four/x/y/z', value: 'child' },
      ]);
      expect(await store.list('four/')).toEqual([
        { key: 'four/x', value: 'parent' },
        { key: 'four/x/y/z', value: 'child' },
      ]);
      await store.delete('four/x');
      expect(await store.get('four/x')).toBeUndefined();
      expect(await store.list('four/')).toEqual([{ key: 'four/x/y/z', value: 'child' }]);
    });

    it('keeps values as UTF-8 text: empty, non-ASCII, several lines', async () => {
      const pairs = [
        { key: 'five/empty', value: '' },
        { key: 'five/unicode', value: 'прайм 主 🐬' },
        { key: 'five/lines', value: 'a\nb\r\n\tc' },
      ];
      await store.putMany(pairs);
      for (const p of pairs) expect(await store.get(p.key)).toBe(p.value);
      expect(await store.list('five/')).toEqual(sorted(pairs));
    });

    it('refuses a bad key or a value over its limit before writing anything, naming the key', async () => {
      const badKey = [
        { key: 'six/ok', value: '1' },
        { key: 'six//bad', value: '1' },
      ];
      expect(() => store.validate(badKey)).toThrow(expect.objectContaining({ code: 'INVALID_KEY', key: 'six//bad' }));
      expect(await rejectionOf(store.putMany(badKey), isKvError)).toMatchObject({
        code: 'INVALID_KEY',
        key: 'six//bad',
        store: store.name,
        retryable: false,
      });
      const tooBig = [
        { key: 'six/ok', value: '1' },
        { key: 'six/blob', value: 'x'.repeat(store.limits.maxValueBytes + 1) },
      ];
      expect(await rejectionOf(store.putMany(tooBig), isKvError)).toMatchObject({
        code: 'VALUE_TOO_LARGE',
        key: 'six/blob',
      });
      expect(await rejectionOf(store.put(' six/space', 'x'), isKvError)).toMatchObject({ code: 'INVALID_KEY' });
      expect(await rejectionOf(store.get(''), isKvError)).toMatchObject({ code: 'INVALID_KEY' });
      expect(await store.list('six/')).toEqual([]);
    });

    it('writes 1,000 clusters in one putMany and lists every pair back', async () => {
      const pairs = Array.from({ length: 1000 }, (_, i) =>
        clusterMasterPairs({ alias: `c${i}`, host: `db${i}`, port: 3306 }, 'seven/mysql/master'),
      ).flat();
      await store.putMany(pairs);
      expect(await store.list('seven/mysql/master/')).toEqual(sorted(pairs));
    }, 60_000);

    it('a second client sees the first one’s writes; a closed client fails every call with CLOSED', async () => {
      const other = subject.connect();
      await store.put('eight/k', 'v');
      expect(await other.get('eight/k')).toBe('v');
      await other.close();
      for (const call of [other.get('eight/k'), other.put('eight/k', 'w'), other.list('eight/'), other.ping()])
        expect(await rejectionOf(call, isKvError)).toMatchObject({ code: 'CLOSED', store: other.name });
      expect(await store.get('eight/k')).toBe('v');
    });

    if (!factory.hasServer) return;

    it('fails a call with UNAVAILABLE or TIMEOUT while its server is down, and works again when it is back', async () => {
      const server = serverOf(subject);
      await server.stop();
      const err = await rejectionOf(store.put('nine/k', 'v'), isKvError);
      expect(['UNAVAILABLE', 'TIMEOUT']).toContain(err.code);
      expect(err.retryable).toBe(true);
      await server.start();
      await waitFor('a write after the restart', async () => {
        await store.put('nine/k', 'v');
        return true;
      });
      expect(await store.get('nine/k')).toBe('v');
    }, 90_000);

    it('misses a fan-out while down, the internal store takes it, and the reconciler repairs it once back', async () => {
      const server = serverOf(subject);
      const internal = new InternalKvStore({ table: new MemoryKvTable() });
      const reconciler = new KvReconciler({
        desired: internal,
        stores: [store],
        prefixes: ['ten/mysql/master/'],
        intervalMs: 60_000,
        backoff: { initialMs: 100, maxMs: 1000 },
      });
      const fanout = new KvFanout({ stores: [internal, store], timeoutMs: 5000, observers: [reconciler] });
      const pairs = [
        ...clusterMasterPairs({ alias: 'a', host: 'db2', port: 3306, ipv4: '10.1.1.1' }, 'ten/mysql/master'),
        ...clusterMasterPairs({ alias: 'b', host: 'db7', port: 3306 }, 'ten/mysql/master'),
      ];
      reconciler.start();
      try {
        await server.stop();
        const result = await fanout.putMany(pairs);
        const [internalOutcome, storeOutcome] = result.outcomes;
        expect(internalOutcome).toMatchObject({ store: 'internal', ok: true });
        expect(storeOutcome).toMatchObject({ store: store.name, ok: false });
        if (storeOutcome !== undefined && !storeOutcome.ok)
          expect(['UNAVAILABLE', 'TIMEOUT']).toContain(storeOutcome.error.code);
        expect(reconciler.health()[0]?.state).toBe('down');

        await server.start();
        await waitFor(
          `${store.name} repaired by the reconciler`,
          async () => JSON.stringify(await store.list('ten/mysql/master/')) === JSON.stringify(sorted(pairs)),
          { timeoutMs: 30_000, diagnose: () => reconciler.health() },
        );
        await waitFor(`${store.name} healthy again`, () => reconciler.health()[0]?.state === 'healthy');
        expect(reconciler.health()[0]?.lastReport).toMatchObject({ ok: true });
      } finally {
        await reconciler.stop();
        await internal.close();
      }
    }, 90_000);
  });
}

function serverOf(subject: ContractSubject): StoppableServer {
  if (subject.server === undefined) throw new Error('this store has no server to stop');
  return subject.server;
}

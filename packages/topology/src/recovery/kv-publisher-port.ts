import type { KvFanoutResult, KvPublisher } from '@orc/kv';
import { normalizeMasterPrefix } from '@orc/kv';
import type { KvPublishResult, KvStoreResult, RecoveryKvPublisher } from './recovery-ports.js';

const fromFanout = (result: KvFanoutResult): KvPublishResult => ({
  ok: result.ok,
  stores: result.outcomes.map((o) =>
    o.ok
      ? { store: o.store, ok: true, durationMs: o.durationMs }
      : { store: o.store, ok: false, durationMs: o.durationMs, error: `${o.error.code}: ${o.error.message}` },
  ),
});

/**
 * The recovery's KV port over @orc/kv's publisher: the new primary's pairs go through the
 * fan-out (internal store first, then Consul/ZooKeeper/etcd; a store that misses the write is
 * repaired by the reconciler), and each store's outcome comes back for the recovery record.
 *
 * @example
 * const kv = createKvPublisher(validateKvConfig({ etcd: { endpoints: 'http://127.0.0.1:2379' } }), { table });
 * const port = kvPublisherPort(kv);
 * await port.publishMaster({ alias: 'shop', host: 'db2', port: 3306 });
 */
export function kvPublisherPort(publisher: KvPublisher, options: { masterPrefix?: string } = {}): RecoveryKvPublisher {
  const prefix = normalizeMasterPrefix(options.masterPrefix);
  return {
    publishMaster: async (master) => fromFanout(await publisher.publishMaster(master)),
    clearMaster: async (alias) => {
      const key = `${prefix}${alias}`;
      const stores: KvStoreResult[] = await Promise.all(
        [publisher.internal, ...publisher.external].map(async (store) => {
          const started = performance.now();
          try {
            await store.delete(key);
            return { store: store.name, ok: true, durationMs: performance.now() - started };
          } catch (error) {
            return {
              store: store.name,
              ok: false,
              durationMs: performance.now() - started,
              error: error instanceof Error ? error.message : String(error),
            };
          }
        }),
      );
      return { ok: stores.every((s) => s.ok), stores };
    },
  };
}

/** A publisher with no stores: every call succeeds with nothing written. */
export const noopKvPublisher: RecoveryKvPublisher = Object.freeze({
  publishMaster: async () => ({ ok: true, stores: [] }),
  clearMaster: async () => ({ ok: true, stores: [] }),
});

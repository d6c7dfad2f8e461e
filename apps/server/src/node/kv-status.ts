// The daemon's side of `/api/kv-status`: remembers each fan-out's outcome per store and key (the
// fan-out reports it and forgets), reads the stores on request, and passes on what the
// reconciler last found in each. Every node keeps its own: in Raft mode each node writes its own
// stores, so each can say what its stores hold.
import type { KvStatusSource, KvStoreState, KvWriteRecord } from '@orc/api';
import {
  KvError,
  clusterMasterPairs,
  normalizeMasterPrefix,
  type ClusterMaster,
  type KvFanoutResult,
  type KvPublisher,
} from '@orc/kv';
import type { Clock } from '../clock.js';

/** Options of {@link KvStatusTracker}. */
export interface KvStatusOptions {
  /** `KVClusterMasterPrefix` as configured (normalized here). */
  readonly prefix: string;
  readonly clock: Clock;
  /** Bound on one read of one store: a hung store must not hold the page's request. Default 2000. */
  readonly readTimeoutMs?: number;
}

/**
 * Implements the API's {@link KvStatusSource} over a {@link KvPublisher}: `record` is called with
 * each `publishMaster` outcome.
 *
 * @example
 * const status = new KvStatusTracker(kv, { prefix: config.kv.masterPrefix, clock });
 * status.record(master, await kv.publishMaster(master));
 * buildApi({ ...deps, kvStatus: status });
 */
export class KvStatusTracker implements KvStatusSource {
  readonly prefix: string;
  readonly #kv: KvPublisher;
  readonly #clock: Clock;
  readonly #readTimeoutMs: number;
  /** `${store}\n${key}` -> the last write's outcome. Bounded by stores x cluster aliases. */
  readonly #writes = new Map<string, KvWriteRecord>();

  constructor(kv: KvPublisher, options: KvStatusOptions) {
    this.#kv = kv;
    this.prefix = normalizeMasterPrefix(options.prefix);
    this.#clock = options.clock;
    this.#readTimeoutMs = options.readTimeoutMs ?? 2000;
  }

  /** Remembers each store's outcome of writing `master`'s pairs. */
  record(master: ClusterMaster, result: KvFanoutResult): void {
    const key = clusterMasterPairs(master, this.prefix)[0]?.key;
    if (key === undefined) return;
    const at = this.#clock.wallNow();
    for (const o of result.outcomes)
      this.#writes.set(`${o.store}\n${key}`, o.ok ? { at, ok: true } : { at, ok: false, error: o.error.message });
  }

  lastWrite(store: string, key: string): KvWriteRecord | undefined {
    return this.#writes.get(`${store}\n${key}`);
  }

  stores(): readonly KvStoreState[] {
    const health = new Map(this.#kv.reconciler.health().map((h) => [h.store, h]));
    const internal = this.#kv.internal;
    return [
      { name: internal.name, kind: internal.kind, role: 'desired', state: 'healthy', failures: 0 },
      ...this.#kv.external.map((s): KvStoreState => {
        const h = health.get(s.name);
        const r = h?.lastReport;
        return {
          name: s.name,
          kind: s.kind,
          role: 'reconciled',
          state: h?.state ?? 'healthy',
          failures: h?.failures ?? 0,
          ...(r === undefined
            ? {}
            : {
                lastCheck: {
                  at: r.finishedAt,
                  ok: r.ok,
                  written: r.written,
                  ...(r.error === undefined ? {} : { error: r.error.message }),
                },
              }),
        };
      }),
    ];
  }

  async read(store: string, key: string): Promise<{ value: string | undefined; at: number }> {
    const target = [this.#kv.internal, ...this.#kv.external].find((s) => s.name === store);
    if (target === undefined)
      throw new KvError('INVALID_ARGUMENT', `no store named ${JSON.stringify(store)}`, { store });
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.#clock.setTimer(this.#readTimeoutMs, () =>
        reject(
          new KvError('TIMEOUT', `reading ${key} from ${store} took over ${this.#readTimeoutMs} ms`, { key, store }),
        ),
      );
    });
    try {
      const value = await Promise.race([target.get(key), timeout]);
      return { value, at: this.#clock.wallNow() };
    } finally {
      timer?.cancel();
    }
  }
}

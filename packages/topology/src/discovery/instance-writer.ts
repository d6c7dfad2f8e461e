import type { TimerHandle, Clock } from '../clock.js';
import { resolveClusters } from '../cluster/cluster-resolver.js';
import type { Instance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import type { InstanceStore } from './instance-store.js';

/**
 * Gathers the discovery loop's changed instances and writes them in batches: at most every
 * `batchMs`, at most `maxBatch` rows per write. Before writing it re-resolves cluster names when
 * the topology changed (a new server, a changed source, read_only or alias), so every row carries
 * its cluster. A failed write is logged and retried with the next batch.
 */
export class InstanceWriter {
  readonly #instances: Map<InstanceKey, Instance>;
  readonly #store: InstanceStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #batchMs: number;
  readonly #maxBatch: number;
  readonly #dirty = new Set<InstanceKey>();
  #timer: TimerHandle | null = null;
  #writing: Promise<void> | null = null;
  #topologyChanged = false;
  #enabled = true;

  constructor(parts: {
    instances: Map<InstanceKey, Instance>;
    store: InstanceStore;
    clock: Clock;
    logger: Logger;
    batchMs: number;
    maxBatch: number;
  }) {
    this.#instances = parts.instances;
    this.#store = parts.store;
    this.#clock = parts.clock;
    this.#logger = parts.logger;
    this.#batchMs = parts.batchMs;
    this.#maxBatch = parts.maxBatch;
  }

  /** Cluster names must be resolved again before the next write. */
  topologyChanged(): void {
    this.#topologyChanged = true;
  }

  /** Queues `key` for the next batch. */
  markDirty(key: InstanceKey): void {
    this.#dirty.add(key);
    this.#arm();
  }

  /** Drops a pending write of `key` (it was forgotten). */
  drop(key: InstanceKey): void {
    this.#dirty.delete(key);
  }

  /** Stops the batch timer; `flush()` still writes what is pending. */
  disable(): void {
    this.#enabled = false;
    this.#timer?.cancel();
    this.#timer = null;
  }

  /** Writes everything pending now. */
  flush(): Promise<void> {
    if (this.#writing !== null) return this.#writing.then(() => this.flush());
    const work = this.#write();
    this.#writing = work;
    return work.finally(() => {
      this.#writing = null;
      if (this.#dirty.size > 0) this.#arm();
    });
  }

  #arm(): void {
    if (this.#timer !== null || !this.#enabled) return;
    this.#timer = this.#clock.setTimer(this.#batchMs, () => {
      this.#timer = null;
      void this.flush();
    });
  }

  async #write(): Promise<void> {
    if (this.#topologyChanged) {
      this.#topologyChanged = false;
      const { placements } = resolveClusters([...this.#instances.values()].filter((i) => i.lastSeenAt !== null));
      for (const [key, p] of placements) {
        const i = this.#instances.get(key);
        if (i === undefined) continue;
        if (
          i.clusterName !== p.clusterName ||
          i.replicationDepth !== p.replicationDepth ||
          i.isCoMaster !== p.isCoMaster
        ) {
          this.#instances.set(key, { ...i, ...p });
          this.#dirty.add(key);
        }
      }
    }
    const keys = [...this.#dirty];
    this.#dirty.clear();
    for (let i = 0; i < keys.length; i += this.#maxBatch) {
      const chunk = keys.slice(i, i + this.#maxBatch);
      const rows = chunk.map((k) => this.#instances.get(k)).filter((x): x is Instance => x !== undefined);
      try {
        await this.#store.upsertInstances(rows);
      } catch (error) {
        this.#logger.error('instance write failed; will retry', { count: rows.length, error: String(error) });
        for (const k of chunk) this.#dirty.add(k);
      }
    }
  }
}

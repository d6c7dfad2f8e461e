import type { Instance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';

/**
 * The narrow storage port discovery writes through (named apart from @orc/backend's
 * `InstanceRepository`, which {@link BackendInstanceStore} adapts to it in production;
 * {@link InMemoryInstanceStore} in tests). Writes arrive in batches; an implementation should
 * apply a batch in one transaction.
 *
 * @example
 * ```ts
 * const store: InstanceStore = new InMemoryInstanceStore();
 * await store.upsertInstances([instance]);
 * ```
 */
export interface InstanceStore {
  /** Inserts or replaces every given instance (keyed by `key`). */
  upsertInstances(instances: readonly Instance[]): Promise<void>;
  /** Every stored instance. */
  readInstances(): Promise<Instance[]>;
  /** Removes the given instances; unknown keys are ignored. */
  deleteInstances(keys: readonly InstanceKey[]): Promise<void>;
}

/**
 * An {@link InstanceStore} in a Map: for tests and single-process use without a backend.
 *
 * @example
 * ```ts
 * new DiscoveryLoop({ config, prober, store: new InMemoryInstanceStore() });
 * ```
 */
export class InMemoryInstanceStore implements InstanceStore {
  readonly #rows = new Map<InstanceKey, Instance>();
  #batches = 0;

  /** How many upsert batches were written (tests check that writes are batched). */
  get batchCount(): number {
    return this.#batches;
  }

  async upsertInstances(instances: readonly Instance[]): Promise<void> {
    this.#batches++;
    for (const i of instances) this.#rows.set(i.key, i);
  }

  async readInstances(): Promise<Instance[]> {
    return [...this.#rows.values()];
  }

  async deleteInstances(keys: readonly InstanceKey[]): Promise<void> {
    for (const k of keys) this.#rows.delete(k);
  }
}

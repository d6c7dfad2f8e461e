import type { Instance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';

/**
 * The narrow storage port discovery writes through: @orc/backend's instance repository behind a
 * thin adapter in production, {@link InMemoryInstanceRepository} in tests. Writes arrive in
 * batches; an implementation should apply a batch in one transaction.
 */
export interface InstanceRepository {
  /** Inserts or replaces every given instance (keyed by `key`). */
  upsertInstances(instances: readonly Instance[]): Promise<void>;
  /** Every stored instance. */
  readInstances(): Promise<Instance[]>;
  /** Removes the given instances; unknown keys are ignored. */
  deleteInstances(keys: readonly InstanceKey[]): Promise<void>;
}

/** An {@link InstanceRepository} in a Map: for tests and single-process use without a backend. */
export class InMemoryInstanceRepository implements InstanceRepository {
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

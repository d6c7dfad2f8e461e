import {
  InternalKvStore,
  KvError,
  MemoryKvTable,
  type KvPair,
  type KvStore,
  type KvStoreLimits,
} from '../../src/index.js';

/**
 * A store for tests: a Map behind the KvStore port that can be switched `down` (every call fails
 * with UNAVAILABLE) or `hung` (every call waits until un-hung), and counts its calls.
 */
export class FakeKvStore implements KvStore {
  readonly name: string;
  readonly kind = 'fake';
  readonly limits: KvStoreLimits;
  readonly table = new MemoryKvTable();
  readonly #inner: InternalKvStore;
  isDown = false;
  #hung: { promise: Promise<void>; release: () => void } | undefined;
  calls = { put: 0, putMany: 0, get: 0, list: 0, delete: 0, ping: 0 };
  /** When set, the next putMany waits for this promise (then the hook is cleared). */
  nextPutManyGate: Promise<void> | undefined;
  /** Sizes of the putMany batches received. */
  batches: number[] = [];
  /** putMany calls running at once, and the most seen. */
  inFlight = 0;
  maxInFlight = 0;

  constructor(name: string, limits?: Partial<KvStoreLimits>) {
    this.name = name;
    this.#inner = new InternalKvStore({ table: this.table, name, ...(limits === undefined ? {} : { limits }) });
    this.limits = this.#inner.limits;
  }

  hang(): void {
    if (this.#hung !== undefined) return;
    let release = (): void => {};
    const promise = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#hung = { promise, release };
  }

  unhang(): void {
    this.#hung?.release();
    this.#hung = undefined;
  }

  validate(pairs: readonly KvPair[]): void {
    this.#inner.validate(pairs);
  }

  async put(key: string, value: string): Promise<void> {
    this.calls.put++;
    await this.#gate();
    return this.#inner.put(key, value);
  }

  async putMany(pairs: readonly KvPair[]): Promise<void> {
    this.calls.putMany++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const gate = this.nextPutManyGate;
      this.nextPutManyGate = undefined;
      if (gate !== undefined) await gate;
      await this.#gate();
      this.batches.push(pairs.length);
      return await this.#inner.putMany(pairs);
    } finally {
      this.inFlight--;
    }
  }

  async get(key: string): Promise<string | undefined> {
    this.calls.get++;
    await this.#gate();
    return this.#inner.get(key);
  }

  async list(prefix: string): Promise<KvPair[]> {
    this.calls.list++;
    await this.#gate();
    return this.#inner.list(prefix);
  }

  async delete(key: string): Promise<void> {
    this.calls.delete++;
    await this.#gate();
    return this.#inner.delete(key);
  }

  async ping(): Promise<void> {
    this.calls.ping++;
    await this.#gate();
  }

  async close(): Promise<void> {
    await this.#inner.close();
  }

  async #gate(): Promise<void> {
    if (this.#hung !== undefined) await this.#hung.promise;
    // A tick of asynchrony, as a real store has.
    await Promise.resolve();
    if (this.isDown) throw new KvError('UNAVAILABLE', `store ${this.name} is down`, { store: this.name });
  }
}

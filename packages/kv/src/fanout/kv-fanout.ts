import { systemClock, type Clock } from '../clock.js';
import { KvError, errorMessage } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import type { KvPair, KvStore, KvStoreKind } from '../kv-store.js';
import { withTimeout } from './with-timeout.js';

/** What one store did with one fan-out call. */
export type KvStoreOutcome =
  | { readonly store: string; readonly kind: KvStoreKind; readonly ok: true; readonly durationMs: number }
  | {
      readonly store: string;
      readonly kind: KvStoreKind;
      readonly ok: false;
      readonly error: KvError;
      readonly durationMs: number;
    };

/** The result of a fan-out: one outcome per configured store, in the order the stores were given. */
export interface KvFanoutResult {
  /** True when every store succeeded. */
  readonly ok: boolean;
  readonly outcomes: readonly KvStoreOutcome[];
}

/**
 * Hears about every fan-out: when it starts, each store's outcome, and when it ends. The
 * reconciler is one: it must not overwrite, from an older snapshot of the desired state, pairs a
 * fan-out is writing or has just written.
 */
export interface KvFanoutObserver {
  writeStarted?(pairs: readonly KvPair[]): void;
  storeDone?(outcome: KvStoreOutcome, pairs: readonly KvPair[]): void;
  writeDone?(result: KvFanoutResult, pairs: readonly KvPair[]): void;
}

/** Options of `KvFanout`. */
export interface KvFanoutOptions {
  /** Every store to write, typically the internal store first. Names must be unique. */
  readonly stores: readonly KvStore[];
  /** Bound on each store's call, in ms. Default 10,000. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Called with every store outcome. */
  readonly onOutcome?: (outcome: KvStoreOutcome, pairs: readonly KvPair[]) => void;
  /** Observers, typically the `KvReconciler` (it learns which store missed a write, and fences its repairs). */
  readonly observers?: readonly KvFanoutObserver[];
}

/** Default bound on one store's call in a fan-out. */
export const DEFAULT_FANOUT_TIMEOUT_MS = 10_000;

/**
 * Writes the same pairs to every configured store at once and reports each store's outcome
 * (ok or its error, and how long it took). A failing or hung store never stops or delays the
 * others beyond `timeoutMs`. Bad input (a bad key, a value over any store's limit) is refused
 * before any store is written.
 *
 * @example
 * ```ts
 * const fanout = new KvFanout({ stores: [internal, consul, zookeeper] });
 * const result = await fanout.putMany(clusterMasterPairs({ alias: 'shop', host: 'db2', port: 3306 }));
 * for (const o of result.outcomes) if (!o.ok) console.warn(o.store, o.error.message);
 * ```
 */
export class KvFanout {
  readonly #stores: readonly KvStore[];
  readonly #timeoutMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #observers: readonly KvFanoutObserver[];

  constructor(options: KvFanoutOptions) {
    if (options === null || typeof options !== 'object' || !Array.isArray(options.stores)) {
      throw new KvError('INVALID_ARGUMENT', 'KvFanout needs options.stores (an array of KvStore)');
    }
    const names = new Set<string>();
    for (const store of options.stores) {
      if (names.has(store.name))
        throw new KvError(
          'INVALID_ARGUMENT',
          `two stores are named ${JSON.stringify(store.name)}; store names must be unique`,
        );
      names.add(store.name);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_FANOUT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new KvError('INVALID_ARGUMENT', `timeoutMs must be a positive number, got ${String(timeoutMs)}`);
    this.#stores = [...options.stores];
    this.#timeoutMs = timeoutMs;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
    const onOutcome = options.onOutcome;
    this.#observers = [...(options.observers ?? []), ...(onOutcome === undefined ? [] : [{ storeDone: onOutcome }])];
  }

  /** The stores written, in order. */
  get stores(): readonly KvStore[] {
    return this.#stores;
  }

  /** Writes one pair to every store. */
  put(key: string, value: string): Promise<KvFanoutResult> {
    return this.putMany([{ key, value }]);
  }

  /**
   * Writes `pairs` to every store concurrently. Throws (writing nothing anywhere) only when the
   * input is invalid for some store; store failures are reported in the result, never thrown.
   */
  async putMany(pairs: readonly KvPair[]): Promise<KvFanoutResult> {
    for (const store of this.#stores) store.validate(pairs);
    this.#notify('writeStarted', (o) => o.writeStarted?.(pairs));
    const outcomes = await Promise.all(this.#stores.map((store) => this.#putOne(store, pairs)));
    const result = { ok: outcomes.every((o) => o.ok), outcomes };
    this.#notify('writeDone', (o) => o.writeDone?.(result, pairs));
    return result;
  }

  async #putOne(store: KvStore, pairs: readonly KvPair[]): Promise<KvStoreOutcome> {
    const started = this.#clock.now();
    let outcome: KvStoreOutcome;
    try {
      await withTimeout(
        Promise.resolve().then(() => store.putMany(pairs)),
        this.#timeoutMs,
        this.#clock,
        `writing ${pairs.length} pairs to store ${store.name}`,
        store.name,
      );
      outcome = { store: store.name, kind: store.kind, ok: true, durationMs: this.#clock.now() - started };
    } catch (err) {
      const error = asKvError(err, store.name);
      outcome = { store: store.name, kind: store.kind, ok: false, error, durationMs: this.#clock.now() - started };
      this.#logger.warn('kv store write failed', {
        store: store.name,
        code: error.code,
        error: error.message,
        pairs: pairs.length,
      });
    }
    this.#notify('storeDone', (o) => o.storeDone?.(outcome, pairs));
    return outcome;
  }

  #notify(event: string, call: (observer: KvFanoutObserver) => void): void {
    for (const observer of this.#observers) {
      try {
        call(observer);
      } catch (err) {
        this.#logger.error('kv fan-out observer threw', { event, error: errorMessage(err) });
      }
    }
  }
}

/** Wraps any thrown value as a KvError (STORE_ERROR) that names the store. */
export function asKvError(err: unknown, store: string): KvError {
  if (err instanceof KvError) return err;
  return new KvError('STORE_ERROR', `store ${store} failed: ${errorMessage(err)}`, { cause: err, store });
}

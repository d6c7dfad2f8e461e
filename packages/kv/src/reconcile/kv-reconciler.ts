import { forEachConcurrently } from '../batching.js';
import { systemClock, type Clock, type TimerHandle } from '../clock.js';
import { KvError, errorMessage } from '../errors.js';
import { asKvError, type KvFanoutObserver, type KvFanoutResult, type KvStoreOutcome } from '../fanout/kv-fanout.js';
import { withTimeout } from '../fanout/with-timeout.js';
import { noopLogger, type Logger } from '../logger.js';
import type { KvPair, KvStore } from '../kv-store.js';
import { diffPairs, repairChunks } from './reconcile-diff.js';
import { validateReconcilerOptions, type KvReconcilerSettings } from './reconciler-config.js';

/** What one reconciliation of one store found and did. */
export interface KvReconcileReport {
  readonly store: string;
  readonly ok: boolean;
  /** Desired pairs compared. */
  readonly checked: number;
  readonly missing: number;
  readonly different: number;
  /** Pairs written to repair the store. */
  readonly written: number;
  /** Pairs left alone because a fan-out was writing them or wrote them after this comparison began. */
  readonly skipped: number;
  readonly durationMs: number;
  /** When the reconciliation ended, epoch ms (`clock.wallNow()`): what "last checked" shows. */
  readonly finishedAt: number;
  readonly error?: KvError;
}

/** The reconciler's view of one store. */
export interface KvStoreHealth {
  readonly store: string;
  /** `healthy`: compared on the schedule; `down`: probed with backoff until it answers. */
  readonly state: 'healthy' | 'down';
  /** Consecutive failures (0 when healthy). */
  readonly failures: number;
  readonly lastReport: KvReconcileReport | undefined;
}

/** Options of `KvReconciler` (see `validateReconcilerOptions` for defaults). */
export interface KvReconcilerOptions extends Partial<KvReconcilerSettings> {
  /** The desired state: orc's internal store. */
  readonly desired: KvStore;
  /** The stores to keep equal to it (Consul, ZooKeeper, etcd...). */
  readonly stores: readonly KvStore[];
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Jitter source in [0, 1); default Math.random. */
  readonly random?: () => number;
  /** Called after each store's reconciliation. */
  readonly onReport?: (report: KvReconcileReport) => void;
}

/** Immediate reruns in a row before a store waits for its schedule. */
const MAX_IMMEDIATE_RERUNS = 3;

interface StoreState {
  readonly store: KvStore;
  state: 'healthy' | 'down';
  failures: number;
  timer: TimerHandle | undefined;
  running: Promise<KvReconcileReport> | undefined;
  rerun: boolean;
  reruns: number;
  /** The last repair skipped pairs a fan-out was writing: compare again when that fan-out ends. */
  awaitingFanout: boolean;
  lastReport: KvReconcileReport | undefined;
}

/**
 * Keeps external stores equal to the desired state (the internal store). Each store is compared
 * on a schedule; a store that failed a write (reported through `observe`) or a comparison is
 * marked down and probed with exponential backoff, and repaired as soon as it answers. Repairs
 * write only what is missing or different, a cluster's pairs together, with bounded concurrency.
 *
 * @example
 * ```ts
 * const reconciler = new KvReconciler({ desired: internal, stores: [consul, zookeeper] });
 * const fanout = new KvFanout({ stores: [internal, consul, zookeeper], observers: [reconciler] });
 * reconciler.start();
 * ```
 */
export class KvReconciler implements KvFanoutObserver {
  readonly #desired: KvStore;
  readonly #states: Map<string, StoreState>;
  readonly #settings: KvReconcilerSettings;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #random: () => number;
  readonly #onReport: ((report: KvReconcileReport) => void) | undefined;
  #started = false;
  #stopped = false;
  /** Fan-out fences: a sequence number per started fan-out, the last one per key, and keys being written. */
  #fenceSeq = 0;
  readonly #fencedAt = new Map<string, number>();
  readonly #inFlight = new Map<string, number>();

  constructor(options: KvReconcilerOptions) {
    this.#settings = validateReconcilerOptions(options);
    if (options.desired === null || typeof options.desired !== 'object')
      throw new KvError('INVALID_ARGUMENT', 'KvReconciler needs options.desired (the internal KvStore)');
    if (!Array.isArray(options.stores))
      throw new KvError('INVALID_ARGUMENT', 'KvReconciler needs options.stores (an array of KvStore)');
    this.#desired = options.desired;
    this.#states = new Map();
    for (const store of options.stores) {
      if (this.#states.has(store.name) || store.name === options.desired.name)
        throw new KvError(
          'INVALID_ARGUMENT',
          `two stores are named ${JSON.stringify(store.name)}; store names must be unique`,
        );
      this.#states.set(store.name, {
        store,
        state: 'healthy',
        failures: 0,
        timer: undefined,
        running: undefined,
        rerun: false,
        reruns: 0,
        awaitingFanout: false,
        lastReport: undefined,
      });
    }
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
    this.#random = options.random ?? Math.random;
    this.#onReport = options.onReport;
  }

  /** Starts the schedule: every store is compared now, then every `intervalMs`. Idempotent. */
  start(): void {
    if (this.#stopped) throw new KvError('CLOSED', 'the reconciler was stopped; create a new one');
    if (this.#started) return;
    this.#started = true;
    for (const s of this.#states.values()) this.#schedule(s, 0);
  }

  /** Stops the schedule and waits for running reconciliations to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const s of this.#states.values()) {
      s.timer?.cancel();
      s.timer = undefined;
    }
    await Promise.allSettled([...this.#states.values()].map((s) => s.running));
  }

  /**
   * Feeds a fan-out outcome: a store that failed a write is marked down and will be probed and
   * repaired. (`KvFanout` calls it when the reconciler is one of its `observers`.)
   */
  observe(outcome: KvStoreOutcome): void {
    const s = this.#states.get(outcome.store);
    if (s === undefined || outcome.ok) return;
    this.#markDown(s, outcome.error);
  }

  /** KvFanoutObserver: a fan-out starts writing `pairs`; repairs from older snapshots must not overwrite them. */
  writeStarted(pairs: readonly KvPair[]): void {
    this.#fenceSeq += 1;
    for (const { key } of pairs) {
      this.#fencedAt.set(key, this.#fenceSeq);
      this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    }
  }

  /** KvFanoutObserver: a store's outcome (see `observe`). */
  storeDone(outcome: KvStoreOutcome): void {
    this.observe(outcome);
  }

  /**
   * KvFanoutObserver: the fan-out ended; a repair that overlapped it, or skipped pairs it was
   * writing, compares again.
   */
  writeDone(_result: KvFanoutResult, pairs: readonly KvPair[]): void {
    for (const { key } of pairs) {
      const n = (this.#inFlight.get(key) ?? 1) - 1;
      if (n <= 0) this.#inFlight.delete(key);
      else this.#inFlight.set(key, n);
    }
    for (const s of this.#states.values()) {
      if (s.running !== undefined) s.rerun = true;
      else if (s.awaitingFanout && !this.#stopped) {
        s.awaitingFanout = false;
        void this.#run(s);
      }
    }
    // Fences older than every running repair can never matter again.
    if (![...this.#states.values()].some((s) => s.running !== undefined)) this.#fencedAt.clear();
  }

  /** Each store's health as the reconciler sees it. */
  health(): KvStoreHealth[] {
    return [...this.#states.values()].map((s) => ({
      store: s.store.name,
      state: s.state,
      failures: s.failures,
      lastReport: s.lastReport,
    }));
  }

  /** Reconciles every store now, concurrently, and returns each report. */
  reconcileAll(): Promise<KvReconcileReport[]> {
    return Promise.all([...this.#states.values()].map((s) => this.#run(s)));
  }

  /** Reconciles one store now. */
  reconcileStore(name: string): Promise<KvReconcileReport> {
    const s = this.#states.get(name);
    if (s === undefined) throw new KvError('INVALID_ARGUMENT', `no store named ${JSON.stringify(name)} is reconciled`);
    return this.#run(s);
  }

  #run(s: StoreState, isRerun = false): Promise<KvReconcileReport> {
    if (s.running !== undefined) {
      s.rerun = true;
      return s.running;
    }
    if (!isRerun) s.reruns = 0;
    const running = this.#reconcile(s).finally(() => {
      s.running = undefined;
      if (!s.rerun || this.#stopped) return;
      s.rerun = false;
      // Compare again at once, but never loop: after a few immediate reruns, wait for the schedule.
      if (s.reruns < MAX_IMMEDIATE_RERUNS) {
        s.reruns += 1;
        void this.#run(s, true);
      } else if (this.#started) {
        this.#schedule(s, this.#backoff(1));
      }
    });
    s.running = running;
    return running;
  }

  async #reconcile(s: StoreState): Promise<KvReconcileReport> {
    const { store } = s;
    const started = this.#clock.now();
    // Fan-outs that start after this point write newer pairs than the snapshot read below.
    const snapshotSeq = this.#fenceSeq;
    const bound = <T>(work: () => Promise<T>, what: string, who: KvStore): Promise<T> =>
      withTimeout(Promise.resolve().then(work), this.#settings.timeoutMs, this.#clock, what, who.name);
    const counts = { checked: 0, missing: 0, different: 0, written: 0, skipped: 0 };
    const report = (ok: boolean, error?: KvError): KvReconcileReport => ({
      store: store.name,
      ok,
      ...counts,
      durationMs: this.#clock.now() - started,
      finishedAt: this.#clock.wallNow(),
      ...(error === undefined ? {} : { error }),
    });
    let desired: KvPair[];
    try {
      const lists = this.#settings.prefixes.map((p) =>
        bound(() => this.#desired.list(p), `listing ${p} in the desired store`, this.#desired),
      );
      desired = (await Promise.all(lists)).flat();
    } catch (err) {
      // The desired state is unknown: nothing can be said about the store; try again later.
      const error = asKvError(err, this.#desired.name);
      this.#logger.warn('kv reconcile could not read the desired state', { store: store.name, error: error.message });
      return this.#finish(s, report(false, error), false);
    }
    try {
      if (s.state === 'down') await bound(() => store.ping(), `probing store ${store.name}`, store);
      const lists = this.#settings.prefixes.map((p) =>
        bound(() => store.list(p), `listing ${p} in store ${store.name}`, store),
      );
      const diff = diffPairs(desired, (await Promise.all(lists)).flat());
      counts.checked = desired.length;
      counts.missing = diff.missing.length;
      counts.different = diff.different.length;
      const toWrite = [...diff.missing, ...diff.different].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      await forEachConcurrently(
        repairChunks(toWrite, this.#settings.chunkPairs),
        this.#settings.concurrency,
        async (chunk) => {
          // A pair a fan-out is writing, or wrote since the snapshot, is newer than ours: leave it.
          const fresh = chunk.filter((p) => !this.#isFenced(p.key, snapshotSeq));
          counts.skipped += chunk.length - fresh.length;
          if (fresh.length === 0) return;
          await bound(() => store.putMany(fresh), `repairing ${fresh.length} pairs in store ${store.name}`, store);
          counts.written += fresh.length;
        },
      );
      // A fan-out that began after our snapshot may have landed before our writes: look again.
      // (Pairs still being written are looked at again when that fan-out ends: see writeDone.)
      if (toWrite.some((p) => (this.#fencedAt.get(p.key) ?? 0) > snapshotSeq)) s.rerun = true;
      s.awaitingFanout = counts.skipped > 0;
      if (counts.written > 0) this.#logger.info('kv store repaired', { store: store.name, ...counts });
      return this.#finish(s, report(true), true);
    } catch (err) {
      const error = asKvError(err, store.name);
      this.#logger.warn('kv reconcile failed', {
        store: store.name,
        code: error.code,
        error: error.message,
        written: counts.written,
      });
      return this.#finish(s, report(false, error), false, error);
    }
  }

  #isFenced(key: string, snapshotSeq: number): boolean {
    return (this.#inFlight.get(key) ?? 0) > 0 || (this.#fencedAt.get(key) ?? 0) > snapshotSeq;
  }

  #finish(s: StoreState, report: KvReconcileReport, storeOk: boolean, storeError?: KvError): KvReconcileReport {
    s.lastReport = report;
    if (storeOk) {
      if (s.state === 'down')
        this.#logger.info('kv store is back and reconciled', { store: s.store.name, failures: s.failures });
      s.state = 'healthy';
      s.failures = 0;
      if (this.#started) this.#schedule(s, this.#settings.intervalMs);
    } else if (storeError !== undefined) {
      this.#markDown(s, storeError);
    } else if (this.#started) {
      this.#schedule(s, this.#backoff(1));
    }
    if (this.#onReport !== undefined) {
      try {
        this.#onReport(report);
      } catch (err) {
        this.#logger.error('kv reconcile report listener threw', { store: s.store.name, error: errorMessage(err) });
      }
    }
    return report;
  }

  #markDown(s: StoreState, error: KvError): void {
    if (s.state !== 'down')
      this.#logger.warn('kv store marked down', { store: s.store.name, code: error.code, error: error.message });
    s.state = 'down';
    s.failures += 1;
    if (this.#started) this.#schedule(s, this.#backoff(s.failures));
  }

  #backoff(failures: number): number {
    const { initialMs, maxMs } = this.#settings.backoff;
    const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
    // Jitter in [base/2, base] so stores (and nodes) that failed together do not retry in step.
    return Math.round(base / 2 + (base / 2) * this.#random());
  }

  #schedule(s: StoreState, delayMs: number): void {
    if (this.#stopped) return;
    s.timer?.cancel();
    s.timer = this.#clock.setTimer(delayMs, () => {
      s.timer = undefined;
      void this.#run(s);
    });
  }
}

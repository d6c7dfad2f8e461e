import type { TimerHandle, Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { TopologyError } from '../errors.js';
import type { Instance } from '../instance/instance.js';
import { isIoThreadRunning, unseenInstance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import type { ProbeOutcome, Prober } from '../probe/instance-prober.js';
import type { TopologyConfig } from '../topology-config.js';
import { ProbeSchedule } from './probe-schedule.js';
import type { InstanceStore } from './instance-store.js';
import { InstanceWriter } from './instance-writer.js';

/** What the loop reports after each probe. */
export interface ProbeEvent {
  readonly key: InstanceKey;
  readonly ok: boolean;
  readonly instance: Instance;
}

/** Parts of a {@link DiscoveryLoop}. */
export interface DiscoveryLoopParts {
  readonly config: TopologyConfig;
  readonly prober: Prober;
  readonly store: InstanceStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * When the replica last showed it was hearing its source: its heartbeat counter or read position
 * moved since the previous probe. A new source, a restarted IO thread or a first sighting counts
 * as heard now, so silence is only ever measured across probes of one unbroken stream.
 */
function replicationHeardAt(
  prev: Instance | undefined,
  f: Pick<Instance, 'replication' | 'masterKey'>,
  now: number,
): number | null {
  const cur = f.replication;
  if (cur === null) return null;
  const before = prev?.replication ?? null;
  if (prev === undefined || before === null || prev.masterKey !== f.masterKey) return now;
  if (before.ioThreadState !== 'Yes' || cur.ioThreadState !== 'Yes') return now;
  const moved =
    (before.receivedHeartbeats ?? null) !== (cur.receivedHeartbeats ?? null) ||
    !sameCoordinates(before.readBinlogCoordinates, cur.readBinlogCoordinates);
  return moved ? now : (prev.replicationHeardAt ?? now);
}

const sameCoordinates = (a: Instance['selfBinlogCoordinates'], b: Instance['selfBinlogCoordinates']): boolean =>
  a !== null && b !== null && a.file === b.file && a.position === b.position;

/**
 * Continuous discovery: a de-duplicating queue of keys, at most `DiscoveryMaxConcurrency` probes
 * at once, every known server re-probed every `InstancePollSeconds`, the primary and replicas of
 * each probed server followed, results written to the instance store in batches.
 *
 * Faster detection: when a probe of a server fails, when a kept connection to it drops, or when a
 * replica reports that it lost its primary, that server is *suspected*: it and its replicas are
 * probed at once and then every `EmergentPollMilliseconds` until the suspicion clears or
 * `EmergentWindowSeconds` pass, so a dead primary is confirmed by its replicas within a fraction
 * of a second instead of a poll interval.
 *
 * A failed probe never throws out of the loop: it is recorded on the instance (`lastProbeError`,
 * `lastCheckedAt` past `lastSeenAt`), which keeps its last known state.
 */
export class DiscoveryLoop {
  readonly #config: TopologyConfig;
  readonly #prober: Prober;
  readonly #store: InstanceStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #instances = new Map<InstanceKey, Instance>();
  readonly #queue = new Set<InstanceKey>();
  readonly #urgent = new Set<InstanceKey>();
  readonly #inFlight = new Map<InstanceKey, Promise<void>>();
  readonly #again = new Set<InstanceKey>();
  readonly #inFlightSince = new Map<InstanceKey, number>();
  #pendingSweep: TimerHandle | null = null;
  readonly #schedule: ProbeSchedule<InstanceKey>;
  readonly #suspects = new Map<InstanceKey, number>();
  readonly #lastUrgent = new Map<InstanceKey, number>();
  readonly #forgotten = new Map<InstanceKey, number>();
  readonly #waiters = new Map<InstanceKey, { resolve: (i: Instance) => void; reject: (e: Error) => void }[]>();
  readonly #listeners = new Set<(e: ProbeEvent) => void>();
  readonly #ignore: RegExp[];
  readonly #ignoreReplica: RegExp[];
  readonly #ignoreMaster: RegExp[];
  readonly #writer: InstanceWriter;
  /**
   * Each server's known replicas; rebuilt lazily after a topology change. Scanning every instance
   * per lookup cost O(fleet) per in-flight probe at each pending sweep: on a 5,000-server fleet
   * under load that scan took more CPU than the probes.
   */
  #replicaIndex: Map<InstanceKey, InstanceKey[]> | null = null;
  /** Servers whose running probe already had its replicas looked at (see the pending sweep). */
  readonly #lookedAt = new Set<InstanceKey>();
  #running = false;
  #stopped = false;

  constructor(parts: DiscoveryLoopParts) {
    this.#config = parts.config;
    this.#prober = parts.prober;
    this.#store = parts.store;
    this.#clock = parts.clock ?? systemClock;
    this.#logger = parts.logger ?? noopLogger;
    this.#ignore = this.#config.discoveryIgnoreHostnameFilters.map((f) => new RegExp(f));
    this.#ignoreReplica = this.#config.discoveryIgnoreReplicaHostnameFilters.map((f) => new RegExp(f));
    this.#ignoreMaster = this.#config.discoveryIgnoreMasterHostnameFilters.map((f) => new RegExp(f));
    this.#schedule = new ProbeSchedule<InstanceKey>(this.#clock, (keys) => {
      if (!this.#running) return;
      for (const key of keys) this.#enqueue(key);
      this.#pump();
    });
    this.#writer = new InstanceWriter({
      instances: this.#instances,
      store: this.#store,
      clock: this.#clock,
      logger: this.#logger,
      batchMs: this.#config.writeBatchMilliseconds,
      maxBatch: this.#config.writeBatchMaxSize,
    });
  }

  /** Whether the loop runs. */
  get isRunning(): boolean {
    return this.#running;
  }

  /** Probes waiting, probes running, servers known. */
  get stats(): { queued: number; inFlight: number; known: number; suspects: number } {
    return {
      queued: this.#queue.size + this.#urgent.size,
      inFlight: this.#inFlight.size,
      known: this.#instances.size,
      suspects: this.#suspects.size,
    };
  }

  /** Loads the instances the store holds (keeping their last known state), queues them and the seeds, and starts probing. */
  async start(): Promise<void> {
    if (this.#stopped) throw new TopologyError('STOPPED', 'discovery loop was stopped; create a new one');
    if (this.#running) return;
    this.#running = true;
    try {
      for (const i of await this.#store.readInstances()) {
        if (!this.#instances.has(i.key)) this.#instances.set(i.key, i);
      }
    } catch (error) {
      this.#logger.error('discovery could not read stored instances', { error: String(error) });
    }
    this.#topologyChanged();
    for (const key of this.#instances.keys()) this.#enqueue(key);
    for (const seed of this.#config.discoverySeeds) this.#enqueue(seed);
    this.#pump();
  }

  /** Stops probing, waits for running probes (bounded by the probe timeouts), writes what is pending. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#running = false;
    this.#stopped = true;
    this.#schedule.stop();
    this.#writer.disable();
    this.#pendingSweep?.cancel();
    this.#pendingSweep = null;
    await Promise.allSettled([...this.#inFlight.values()]);
    await this.#writer.flush();
    for (const waiters of this.#waiters.values()) {
      for (const w of waiters)
        w.reject(new TopologyError('STOPPED', 'discovery loop stopped before the probe finished'));
    }
    this.#waiters.clear();
    await this.#prober.close();
  }

  /** Every known instance (the loop's current view, cluster names resolved at the last write). */
  instances(): Instance[] {
    return [...this.#instances.values()];
  }

  /** One known instance, or undefined. */
  instance(key: InstanceKey): Instance | undefined {
    return this.#instances.get(key);
  }

  /** Subscribes to probe results; returns the unsubscribe function. */
  onProbe(listener: (e: ProbeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Probes `key` now (ahead of the queue) and resolves with the resulting instance, whether the
   * probe succeeded or not (see `lastProbeError`). Throws `INVALID_ARGUMENT` for an ignored host
   * and `STOPPED` after {@link stop}.
   */
  discover(key: InstanceKey): Promise<Instance> {
    if (this.#stopped || !this.#running) {
      return Promise.reject(new TopologyError('STOPPED', 'discovery loop is not running'));
    }
    if (this.#isIgnored(key, this.#ignore)) {
      return Promise.reject(new TopologyError('INVALID_ARGUMENT', `${key} matches DiscoveryIgnoreHostnameFilters`));
    }
    this.#forgotten.delete(key);
    return new Promise((resolve, reject) => {
      const list = this.#waiters.get(key) ?? [];
      list.push({ resolve, reject });
      this.#waiters.set(key, list);
      this.#probeNow(key, true);
    });
  }

  /**
   * Forgets servers: drops them from memory and the store and does not rediscover them for
   * three poll intervals (a primary that still lists one as its replica brings it back after that).
   */
  async forget(keys: readonly InstanceKey[]): Promise<void> {
    const until = this.#clock.now() + 3 * this.#config.instancePollSeconds * 1000;
    for (const key of keys) {
      this.#instances.delete(key);
      this.#queue.delete(key);
      this.#urgent.delete(key);
      this.#schedule.cancel(key);
      this.#suspects.delete(key);
      this.#lookedAt.delete(key);
      this.#writer.drop(key);
      this.#forgotten.set(key, until);
      this.#prober.forget(key);
    }
    this.#topologyChanged();
    await this.#store.deleteInstances(keys);
  }

  /** Marks `key` suspected: it and its replicas are probed now and then at the emergent interval. */
  suspect(key: InstanceKey, reason: string, options: { probeSelf?: boolean } = {}): void {
    if (!this.#running) return;
    const now = this.#clock.now();
    const wasSuspected = (this.#suspects.get(key) ?? 0) > now;
    this.#suspects.set(key, now + this.#config.emergentWindowSeconds * 1000);
    if (!wasSuspected) this.#logger.info('suspecting instance', { key, reason });
    if (options.probeSelf !== false) this.#probeNow(key, false);
    const replicas = this.#replicasOf(key);
    for (const r of replicas) this.#probeNow(r, false);
    if (!wasSuspected && replicas.length > 0) {
      // The replicas learn of a crash at the same instant orc does, but may need a few
      // milliseconds to show it (their IO thread still says Yes): look once more shortly after.
      this.#clock.setTimer(Math.max(1, Math.round(this.#config.emergentPollMilliseconds / 5)), () => {
        if (!this.#running || !this.#isSuspected(key, this.#clock.now())) return;
        for (const r of replicas) if (this.#instances.has(r)) this.#probeNow(r, true);
      });
    }
  }

  // ---- queue and schedule -------------------------------------------------------------------

  #topologyChanged(): void {
    this.#replicaIndex = null;
    this.#writer.topologyChanged();
  }

  /** Whether `key` has replicas: by its own report, or because a known server replicates from it. */
  #hasReplicas(key: InstanceKey, inst: Instance | undefined): boolean {
    if (inst !== undefined && inst.replicaKeys.length > 0) return true;
    return this.#replicas().has(key);
  }

  /** Every masterKey change and every forget goes through #topologyChanged, which drops the index. */
  #replicas(): Map<InstanceKey, InstanceKey[]> {
    if (this.#replicaIndex === null) {
      const index = new Map<InstanceKey, InstanceKey[]>();
      for (const i of this.#instances.values()) {
        if (i.masterKey === null || i.masterKey === i.key) continue;
        const list = index.get(i.masterKey);
        if (list === undefined) index.set(i.masterKey, [i.key]);
        else list.push(i.key);
      }
      this.#replicaIndex = index;
    }
    return this.#replicaIndex;
  }

  #isIgnored(key: InstanceKey, filters: readonly RegExp[]): boolean {
    if (filters.length === 0) return false;
    const { host } = splitInstanceKey(key);
    return filters.some((f) => f.test(host));
  }

  #enqueue(key: InstanceKey): void {
    if (this.#isIgnored(key, this.#ignore)) return;
    const forgottenUntil = this.#forgotten.get(key);
    if (forgottenUntil !== undefined) {
      if (forgottenUntil > this.#clock.now()) return;
      this.#forgotten.delete(key);
    }
    if (this.#inFlight.has(key) || this.#urgent.has(key) || this.#queue.has(key)) return;
    if (this.#queue.size >= this.#config.discoveryQueueCapacity) {
      this.#logger.warn('discovery queue full; key dropped until its next poll', { key });
      return;
    }
    this.#queue.add(key);
  }

  /** Probes `key` ahead of the queue, at most once per emergent interval unless `force`. */
  #probeNow(key: InstanceKey, force: boolean): void {
    const now = this.#clock.now();
    if (!force && now - (this.#lastUrgent.get(key) ?? -Infinity) < this.#config.emergentPollMilliseconds) return;
    this.#lastUrgent.set(key, now);
    if (this.#inFlight.has(key)) {
      this.#again.add(key);
      return;
    }
    this.#queue.delete(key);
    this.#urgent.add(key);
    this.#pump();
  }

  #hasConnectedReplica(key: InstanceKey): boolean {
    for (const r of this.#replicasOf(key)) {
      const inst = this.#instances.get(r);
      if (inst !== undefined && isIoThreadRunning(inst)) return true;
    }
    return false;
  }

  #replicasOf(key: InstanceKey): readonly InstanceKey[] {
    return this.#replicas().get(key) ?? [];
  }

  /** orchestrator's `UnseenInstanceForgetHours`: a server not seen for that long is forgotten. */
  #isLongUnseen(inst: Instance, now: number): boolean {
    return inst.lastSeenAt !== null && now - inst.lastSeenAt > this.#config.unseenInstanceForgetHours * 3_600_000;
  }

  #isSuspected(key: InstanceKey | null, now: number): boolean {
    if (key === null) return false;
    const until = this.#suspects.get(key);
    if (until === undefined) return false;
    if (until <= now) {
      this.#suspects.delete(key);
      return false;
    }
    return true;
  }

  #scheduleNext(key: InstanceKey, startedAt: number): void {
    if (!this.#running || !this.#instances.has(key)) return;
    const now = this.#clock.now();
    const inst = this.#instances.get(key);
    const emergent = this.#isSuspected(key, now) || this.#isSuspected(inst?.masterKey ?? null, now);
    const interval = emergent ? this.#config.emergentPollMilliseconds : this.#pollIntervalOf(key, inst);
    const due = Math.max(now, startedAt + interval);
    this.#schedule.at(key, due);
  }

  /**
   * A silent host is only noticed at orc's next probe of it, and only a server with replicas can
   * be failed over: those few are probed at `primaryPollMilliseconds` when it is the shorter.
   */
  #pollIntervalOf(key: InstanceKey, inst: Instance | undefined): number {
    const poll = this.#config.instancePollSeconds * 1000;
    const primaryPoll = this.#config.primaryPollMilliseconds;
    if (primaryPoll <= 0 || primaryPoll >= poll) return poll;
    return this.#hasReplicas(key, inst) ? primaryPoll : poll;
  }

  #pump(): void {
    if (!this.#running) return;
    while (this.#inFlight.size < this.#config.discoveryMaxConcurrency) {
      const next = this.#urgent.values().next();
      const key = next.done === true ? this.#queue.values().next().value : next.value;
      if (key === undefined) break;
      this.#urgent.delete(key);
      this.#queue.delete(key);
      this.#launch(key);
    }
  }

  // ---- probing ------------------------------------------------------------------------------

  /**
   * orchestrator's `last_attempted_check`: a probe still running after ReasonableInstanceCheckSeconds
   * stamps the attempt on the instance, so a server that accepts connections but does not answer
   * turns invalid (`lastAttemptedCheckAt` past `lastSeenAt` + poll + that margin) even before the
   * probe times out. A probe that simply started late does not count against the server.
   */
  #armPendingSweep(): void {
    if (this.#pendingSweep !== null || !this.#running) return;
    const threshold = Math.max(100, this.#config.reasonableInstanceCheckSeconds * 1000);
    // Swept at the emergent pace, not once per threshold: a probe that started just after a sweep
    // would otherwise wait almost two thresholds before its server is suspected.
    const every = Math.min(threshold, this.#config.emergentPollMilliseconds);
    this.#pendingSweep = this.#clock.setTimer(every, () => {
      this.#pendingSweep = null;
      const now = this.#clock.now();
      const wallNow = this.#clock.wallNow();
      for (const [key, since] of this.#inFlightSince) {
        if (now - since < threshold) {
          this.#lookEarly(key, now - since);
          continue;
        }
        const inst = this.#instances.get(key);
        if (inst !== undefined) {
          this.#instances.set(key, { ...inst, lastAttemptedCheckAt: wallNow });
          this.#writer.markDirty(key);
          // A hung probe of a server with replicas is as suspicious as a failed one: a silent
          // host answers nothing until the read timeout, so its replicas are asked now instead.
          if (!this.#isSuspected(key, now) && this.#replicasOf(key).length > 0) {
            this.suspect(key, 'probe pending', { probeSelf: false });
          }
        }
      }
      if (this.#inFlightSince.size > 0) this.#armPendingSweep();
    });
  }

  /**
   * A probe of a server with replicas that takes longer than an emergent interval has its
   * replicas probed once, before any suspicion. The heartbeat witness measures silence from the
   * replica's probe that last saw its counter move, so a fresh probe now lets the verdict come
   * `heartbeatSilentPeriods` after this moment rather than after the suspicion a second later.
   * The witness rule itself is untouched: this only brings a replica's probe forward.
   */
  #lookEarly(key: InstanceKey, pendingMs: number): void {
    if (pendingMs < this.#config.emergentPollMilliseconds || this.#lookedAt.has(key)) return;
    const replicas = this.#replicasOf(key);
    if (replicas.length === 0) return;
    this.#lookedAt.add(key);
    for (const r of replicas) this.#probeNow(r, false);
  }

  #launch(key: InstanceKey): void {
    // Monotonic for the schedule; wall time for the stamp kept on the instance.
    const startedAt = this.#clock.now();
    const startedAtWall = this.#clock.wallNow();
    this.#inFlightSince.set(key, startedAt);
    this.#lookedAt.delete(key);
    this.#armPendingSweep();
    this.#schedule.cancel(key);
    const run = (async () => {
      let outcome: ProbeOutcome;
      try {
        outcome = await this.#prober.probe(key);
      } catch (error) {
        // A prober must not throw; if one does, it is a failed probe like any other.
        const e =
          error instanceof TopologyError
            ? error
            : new TopologyError('UNEXPECTED_RESPONSE', String(error), { cause: error });
        outcome = { ok: false, key, error: e, isPartialSuccess: false };
      }
      try {
        if (this.#instances.has(key) || !this.#forgotten.has(key)) this.#record(key, startedAtWall, outcome);
      } catch (error) {
        this.#logger.error('discovery could not record a probe', { key, error: String(error) });
      }
    })();
    this.#inFlight.set(key, run);
    void run.finally(() => {
      this.#inFlight.delete(key);
      this.#inFlightSince.delete(key);
      if (this.#again.delete(key)) {
        this.#urgent.add(key);
      } else {
        this.#scheduleNext(key, startedAt);
      }
      this.#pump();
    });
  }

  /** `startedAt` and every stamp on the instance are wall (epoch) milliseconds. */
  #record(key: InstanceKey, startedAt: number, outcome: ProbeOutcome): void {
    const now = this.#clock.wallNow();
    const monoNow = this.#clock.now();
    const prev = this.#instances.get(key);
    let inst: Instance;
    if (outcome.ok) {
      const f = outcome.findings;
      const unchanged = prev !== undefined && sameCoordinates(prev.selfBinlogCoordinates, f.selfBinlogCoordinates);
      inst = {
        key,
        ...f,
        clusterName: prev?.clusterName ?? '',
        replicationDepth: prev?.replicationDepth ?? 0,
        isCoMaster: prev?.isCoMaster ?? false,
        binlogCoordinatesUnchangedSince: unchanged ? (prev.binlogCoordinatesUnchangedSince ?? now) : now,
        replicationHeardAt: replicationHeardAt(prev, f, now),
        lastCheckedAt: now,
        lastSeenAt: now,
        lastAttemptedCheckAt: startedAt,
        isLastCheckPartialSuccess: false,
        lastProbeError: null,
      };
      if (
        prev === undefined ||
        prev.masterKey !== inst.masterKey ||
        prev.isReadOnly !== inst.isReadOnly ||
        prev.suggestedClusterAlias !== inst.suggestedClusterAlias ||
        prev.lastSeenAt === null
      ) {
        this.#topologyChanged();
      }
      if (outcome.warnings.length > 0) this.#logger.debug('probe warnings', { key, warnings: outcome.warnings });
      this.#suspects.delete(key);
    } else {
      const base = prev ?? unseenInstance(key);
      inst = {
        ...base,
        lastCheckedAt: now,
        lastAttemptedCheckAt: startedAt,
        isLastCheckPartialSuccess: outcome.isPartialSuccess,
        lastProbeError: { code: outcome.error.code, message: outcome.error.message, at: now },
      };
      this.#logger.debug('probe failed', { key, code: outcome.error.code, message: outcome.error.message });
    }
    if (this.#isLongUnseen(inst, now)) {
      this.#logger.info('forgetting an instance unseen for UnseenInstanceForgetHours', { key });
      void this.forget([key]).catch((error: unknown) =>
        this.#logger.error('could not forget an unseen instance', { key, error: String(error) }),
      );
      return;
    }
    this.#instances.set(key, inst);
    this.#writer.markDirty(key);

    if (outcome.ok) {
      if (inst.masterKey !== null && !this.#isIgnored(inst.masterKey, this.#ignoreMaster)) {
        if (!this.#instances.has(inst.masterKey)) this.#enqueue(inst.masterKey);
      }
      for (const r of inst.replicaKeys) {
        if (!this.#instances.has(r) && !this.#isIgnored(r, this.#ignoreReplica)) this.#enqueue(r);
      }
      // Faster detection: a replica that just lost its primary makes the primary suspect.
      const lostMaster =
        inst.masterKey !== null &&
        inst.replication !== null &&
        !isIoThreadRunning(inst) &&
        (prev === undefined || prev.lastSeenAt === null || prev.replication === null || isIoThreadRunning(prev));
      if (lostMaster && inst.masterKey !== null && this.#instances.has(inst.masterKey)) {
        if (!this.#isSuspected(inst.masterKey, monoNow)) this.suspect(inst.masterKey, 'a replica lost it');
      }
    } else if (prev !== undefined && prev.lastSeenAt !== null && prev.lastProbeError === null) {
      // Faster detection: a server whose last probe succeeded and this one failed.
      if (!this.#isSuspected(key, monoNow)) this.suspect(key, outcome.error.code, { probeSelf: false });
    } else if (prev !== undefined && prev.lastSeenAt !== null && this.#hasConnectedReplica(key)) {
      // Still unreachable while a replica still claims to be connected: the verdict is not in
      // yet (a silent host, heartbeats still counting down), so the emergent pace must not lapse.
      this.suspect(key, 'still unreachable', { probeSelf: false });
    }

    for (const l of this.#listeners) {
      try {
        l({ key, ok: outcome.ok, instance: inst });
      } catch (error) {
        this.#logger.error('probe listener threw', { key, error: String(error) });
      }
    }
    const waiters = this.#waiters.get(key);
    if (waiters !== undefined) {
      this.#waiters.delete(key);
      for (const w of waiters) w.resolve(inst);
    }
  }

  /** Writes pending instances now (tests and shutdown). */
  flush(): Promise<void> {
    return this.#writer.flush();
  }
}

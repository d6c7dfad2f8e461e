import type { Clock } from '../clock.js';
import type { InstanceKey } from '../instance/instance-key.js';
import type {
  AcknowledgeTarget,
  DetectionInput,
  RecoveryInput,
  RecoveryRegistrationOutcome,
  RecoveryResolution,
  RecoveryStep,
  RecoveryStore,
} from './recovery-ports.js';

/** A recovery as the in-memory store keeps it. */
export interface StoredRecovery {
  readonly input: RecoveryInput;
  readonly startedAt: number;
  isActive: boolean;
  isAcknowledged: boolean;
  acknowledgedBy: string;
  acknowledgeComment: string;
  resolution: RecoveryResolution | null;
  readonly steps: RecoveryStep[];
}

/** A refused registration, as `blocked_topology_recovery` records it. */
export interface BlockedRecovery {
  readonly key: InstanceKey;
  readonly clusterName: string;
  readonly analysis: string;
  readonly at: number;
  readonly blockedByUid: string | undefined;
}

/**
 * The {@link RecoveryStore} in memory, with the backend's anti-flapping rules: a recovery is
 * refused while another of the same instance or cluster, or one that promoted this instance, is in
 * its active period (`blockPeriodSeconds` from its start, until acknowledged). For tests and for
 * the engine used alone.
 *
 * @example
 * const store = new InMemoryRecoveryStore(clock);
 * await store.registerRecovery(input, { blockPeriodSeconds: 3600 }); // { registered: true, uid }
 * await store.registerRecovery(again, { blockPeriodSeconds: 3600 }); // { registered: false, blockedByUid }
 */
export class InMemoryRecoveryStore implements RecoveryStore {
  readonly #clock: Pick<Clock, 'wallNow'>;
  readonly recoveries = new Map<string, StoredRecovery>();
  readonly blocked: BlockedRecovery[] = [];
  readonly detections: { input: DetectionInput; id: number; at: number; isActive: boolean }[] = [];
  readonly disabledClusters = new Set<string>();
  readonly downtimes: { key: InstanceKey; until: number; reason: string }[] = [];
  isGlobalDisabled = false;

  constructor(clock: Pick<Clock, 'wallNow'>) {
    this.#clock = clock;
  }

  async registerDetection(
    input: DetectionInput,
    options: { readonly blockPeriodMinutes: number },
  ): Promise<{ readonly registered: boolean; readonly id: number }> {
    const now = this.#clock.wallNow();
    for (const d of this.detections) {
      if (d.isActive && d.at < now - options.blockPeriodMinutes * 60_000) d.isActive = false;
    }
    const active = this.detections.find(
      (d) => d.isActive && d.input.key === input.key && d.input.isActionable === input.isActionable,
    );
    if (active !== undefined) return { registered: false, id: active.id };
    const id = this.detections.length + 1;
    this.detections.push({ input, id, at: now, isActive: true });
    return { registered: true, id };
  }

  async registerRecovery(
    input: RecoveryInput,
    options: { readonly blockPeriodSeconds: number; readonly force?: boolean },
  ): Promise<RecoveryRegistrationOutcome> {
    const now = this.#clock.wallNow();
    for (const r of this.recoveries.values()) {
      if (r.isActive && r.startedAt < now - options.blockPeriodSeconds * 1000) r.isActive = false;
    }
    const inTheWay = [...this.recoveries.values()].filter(
      (r) =>
        r.isActive &&
        (r.input.key === input.key ||
          r.input.clusterName === input.clusterName ||
          r.resolution?.successor === input.key),
    );
    if (options.force === true) {
      for (const r of inTheWay) {
        r.isActive = false;
        r.isAcknowledged = true;
        r.acknowledgeComment = `superseded by forced recovery ${input.uid}`;
      }
    } else if (inTheWay.length > 0) {
      const blockedByUid = inTheWay[0]?.input.uid;
      this.blocked.push({
        key: input.key,
        clusterName: input.clusterName,
        analysis: input.analysis,
        at: now,
        blockedByUid,
      });
      return { registered: false, blockedByUid };
    }
    this.recoveries.set(input.uid, {
      input,
      startedAt: now,
      isActive: true,
      isAcknowledged: false,
      acknowledgedBy: '',
      acknowledgeComment: '',
      resolution: null,
      steps: [],
    });
    return { registered: true, uid: input.uid };
  }

  async appendStep(uid: string, step: RecoveryStep): Promise<void> {
    this.recoveries.get(uid)?.steps.push(step);
  }

  async resolve(uid: string, resolution: RecoveryResolution): Promise<void> {
    const r = this.recoveries.get(uid);
    if (r !== undefined) r.resolution = resolution;
  }

  async acknowledge(
    target: AcknowledgeTarget,
    by: { readonly owner: string; readonly comment: string },
  ): Promise<number> {
    let n = 0;
    for (const r of this.recoveries.values()) {
      const matches =
        'all' in target ||
        ('uid' in target && r.input.uid === target.uid) ||
        ('key' in target && r.input.key === target.key) ||
        ('clusterName' in target && r.input.clusterName === target.clusterName);
      if (!matches || r.isAcknowledged) continue;
      r.isActive = false;
      r.isAcknowledged = true;
      r.acknowledgedBy = by.owner;
      r.acknowledgeComment = by.comment;
      n++;
    }
    if (!('uid' in target)) {
      for (const d of this.detections) {
        if (
          'all' in target ||
          ('key' in target && d.input.key === target.key) ||
          ('clusterName' in target && d.input.clusterName === target.clusterName)
        )
          d.isActive = false;
      }
    }
    return n;
  }

  async isGlobalRecoveryDisabled(): Promise<boolean> {
    return this.isGlobalDisabled;
  }

  async isClusterRecoveryDisabled(clusterName: string): Promise<boolean> {
    return this.disabledClusters.has(clusterName);
  }

  async beginDowntime(key: InstanceKey, durationSeconds: number, reason: string): Promise<void> {
    this.downtimes.push({ key, until: this.#clock.wallNow() + durationSeconds * 1000, reason });
  }
}

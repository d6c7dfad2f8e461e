import type { Backend } from '@orc/backend';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type {
  AcknowledgeTarget,
  DetectionInput,
  RecoveryInput,
  RecoveryRegistrationOutcome,
  RecoveryResolution,
  RecoveryStep,
  RecoveryStore,
} from './recovery-ports.js';

const backendKey = (key: InstanceKey): { hostname: string; port: number } => {
  const { host, port } = splitInstanceKey(key);
  return { hostname: host, port };
};

/** The processing node, as orchestrator records it on detections and recoveries. */
export interface ProcessingNode {
  readonly hostname: string;
  readonly token: string;
}

/**
 * The {@link RecoveryStore} over @orc/backend's failure-detection and recovery repositories.
 * Steps carry their elapsed time in the message (`[promote +182ms] ...`) since the step table has
 * only a timestamp. KV outcomes are written as a `kv` step and their failures into `all_errors`.
 *
 * The per-cluster switch lives in the backend's `cluster_recovery_disable` table, so it survives
 * restarts and travels in Raft snapshots.
 *
 * @example
 * const store = new BackendRecoveryStore(backend, { hostname: 'orc1', token: 'abc' });
 * await store.registerRecovery(input, { blockPeriodSeconds: 3600 });
 */
export class BackendRecoveryStore implements RecoveryStore {
  readonly #backend: Pick<Backend, 'recoveries' | 'failureDetections' | 'downtime'>;
  readonly #node: ProcessingNode;

  constructor(backend: Pick<Backend, 'recoveries' | 'failureDetections' | 'downtime'>, node: ProcessingNode) {
    this.#backend = backend;
    this.#node = node;
  }

  /** What a detection and the recovery that follows it both record: the failure and this node. */
  #facts(input: DetectionInput | RecoveryInput) {
    return {
      key: backendKey(input.key),
      analysis: input.analysis,
      clusterName: input.clusterName,
      clusterAlias: input.clusterAlias,
      countAffectedReplicas: input.replicaKeys.length,
      replicaHosts: input.replicaKeys.join(','),
      processingNodeHostname: this.#node.hostname,
      processingNodeToken: this.#node.token,
    };
  }

  async registerDetection(
    input: DetectionInput,
    options: { readonly blockPeriodMinutes: number },
  ): Promise<{ readonly registered: boolean; readonly id: number }> {
    const r = await this.#backend.failureDetections.register(
      { ...this.#facts(input), isActionable: input.isActionable },
      options,
    );
    return r.registered ? { registered: true, id: r.detection.detectionId } : { registered: false, id: 0 };
  }

  async registerRecovery(
    input: RecoveryInput,
    options: { readonly blockPeriodSeconds: number; readonly force?: boolean },
  ): Promise<RecoveryRegistrationOutcome> {
    const r = await this.#backend.recoveries.register(
      { ...this.#facts(input), uid: input.uid, lastDetectionId: input.detectionId },
      options,
    );
    return r.registered
      ? { registered: true, uid: r.recovery.uid }
      : { registered: false, blockedByUid: r.blockedBy?.uid };
  }

  async appendStep(uid: string, step: RecoveryStep): Promise<void> {
    await this.#backend.recoveries.appendStep(uid, `[${step.name} +${Math.round(step.elapsedMs)}ms] ${step.message}`);
  }

  async resolve(uid: string, resolution: RecoveryResolution): Promise<void> {
    if (resolution.kv !== null) {
      const kv = resolution.kv.stores.map((s) => `${s.store}=${s.ok ? 'ok' : `failed(${s.error ?? ''})`}`).join(' ');
      await this.#backend.recoveries.appendStep(uid, `[kv] ${kv}`);
    }
    const errors = [
      `status=${resolution.status}`,
      ...resolution.errors,
      ...(resolution.kv?.stores.filter((s) => !s.ok).map((s) => `kv ${s.store}: ${s.error ?? 'failed'}`) ?? []),
    ];
    await this.#backend.recoveries.resolve(uid, {
      isSuccessful: resolution.status === 'successful',
      ...(resolution.successor === null
        ? {}
        : { successor: { key: backendKey(resolution.successor), alias: resolution.successorAlias } }),
      lostReplicas: resolution.lostReplicas.join(','),
      participatingInstances: resolution.participatingInstances.join(','),
      allErrors: errors.join('\n'),
    });
  }

  async acknowledge(
    target: AcknowledgeTarget,
    by: { readonly owner: string; readonly comment: string },
  ): Promise<number> {
    const t =
      'key' in target
        ? { key: backendKey(target.key) }
        : 'uid' in target
          ? { uid: target.uid }
          : 'clusterName' in target
            ? { clusterName: target.clusterName }
            : { all: true as const };
    return this.#backend.recoveries.acknowledge(t, by);
  }

  async isGlobalRecoveryDisabled(): Promise<boolean> {
    return this.#backend.recoveries.isGlobalRecoveryDisabled();
  }

  async isClusterRecoveryDisabled(clusterName: string): Promise<boolean> {
    return this.#backend.recoveries.isClusterRecoveryDisabled(clusterName);
  }

  async beginDowntime(key: InstanceKey, durationSeconds: number, reason: string): Promise<void> {
    await this.#backend.downtime.begin({ key: backendKey(key), owner: this.#node.hostname, reason, durationSeconds });
  }

  /** Turns automated recovery of one cluster off (true) or on; `by` names who did it. */
  async setClusterRecoveryDisabled(clusterName: string, disabled: boolean, by = ''): Promise<void> {
    await this.#backend.recoveries.setClusterRecoveryDisabled(clusterName, disabled, by);
  }
}

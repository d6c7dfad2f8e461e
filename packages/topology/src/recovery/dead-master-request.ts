import type { AnalysisSnapshot, CandidateRule } from '../analysis/analysis-input.js';
import type { ReplicationAnalysis } from '../analysis/replication-analysis.js';
import type { Instance, PromotionRule } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey } from '../instance/instance-key.js';

/** The dead-primary codes recovery acts on. */
export type DeadMasterCode = 'DeadMaster' | 'DeadMasterAndSomeReplicas' | 'DeadMasterWithoutReplicas';

/** What every recovery starts from: the analysis entry's facts and the snapshot's instances. */
export interface FailureRequest {
  readonly analysis: string;
  readonly failedKey: InstanceKey;
  readonly clusterName: string;
  readonly clusterAlias: string;
  readonly clusterDomain?: string;
  readonly isDowntimed?: boolean;
  /** The failed server and its replicas as discovery last saw them. */
  readonly instances: readonly Instance[];
  /** A manual recovery: skips the filters, disables, downtime and anti-flapping (as orchestrator's forced recovery). */
  readonly force?: boolean;
  /** orchestrator's `{command}` placeholder: `automated`, `recover`, `force-master-failover`, ... */
  readonly command?: string;
}

/** What a dead-primary recovery starts from (also a dead co-primary's: see `deadCoMasterRequest`). */
export interface DeadMasterRequest extends FailureRequest {
  readonly analysis: DeadMasterCode | 'DeadCoMaster' | 'DeadCoMasterAndSomeReplicas';
  /** The failed primary and its replicas as discovery last saw them (placement, promotion rules). */
  readonly instances: readonly Instance[];
  /** Registered candidate rules (`register-candidate`); an active one overrides the server's own rule. */
  readonly candidateRules?: readonly CandidateRule[];
  /** Wall-clock ms at which candidate rules are judged (expiry). */
  readonly now?: number;
  readonly requestedCandidate?: InstanceKey;
}

/**
 * The facts of an analysis entry every recovery request starts from (the failed key, its cluster,
 * whether it is downtimed): one reading of the entry for the dead-primary, co-primary and
 * intermediate-primary builders.
 *
 * @example
 * const { failedKey, clusterName } = failureFacts(entry);
 */
export function failureFacts(
  entry: ReplicationAnalysis,
): Pick<FailureRequest, 'failedKey' | 'clusterName' | 'clusterAlias' | 'clusterDomain' | 'isDowntimed'> {
  return {
    failedKey: instanceKey(entry.AnalyzedInstanceKey.Hostname, entry.AnalyzedInstanceKey.Port),
    clusterName: entry.ClusterDetails.ClusterName,
    clusterAlias: entry.ClusterDetails.ClusterAlias,
    clusterDomain: entry.ClusterDetails.ClusterDomain,
    isDowntimed: entry.IsDowntimed,
  };
}

/**
 * A dead-primary request for `entry` under `analysis`: the failed server, its replicas and the
 * snapshot's candidate rules. Shared by {@link deadMasterRequest} and the co-primary builder,
 * which adds the other co-primary as the required candidate.
 *
 * @example
 * const request = primaryFailureRequest(entry, snapshot, 'DeadCoMaster');
 */
export function primaryFailureRequest(
  entry: ReplicationAnalysis,
  snapshot: AnalysisSnapshot,
  analysis: DeadMasterRequest['analysis'],
): DeadMasterRequest {
  const facts = failureFacts(entry);
  return {
    analysis,
    ...facts,
    instances: snapshot.instances.filter((i) => i.key === facts.failedKey || i.masterKey === facts.failedKey),
    candidateRules: snapshot.candidates ?? [],
    now: snapshot.now,
  };
}

/**
 * Builds a {@link DeadMasterRequest} from an analysis entry and the snapshot it came from.
 * Returns undefined for an entry that is not a dead primary.
 *
 * @example
 * const entry = analyzeReplication(snapshot).find((e) => e.Analysis === 'DeadMaster');
 * const request = entry && deadMasterRequest(entry, snapshot);
 */
export function deadMasterRequest(
  entry: ReplicationAnalysis,
  snapshot: AnalysisSnapshot,
): DeadMasterRequest | undefined {
  const code = entry.Analysis;
  if (code !== 'DeadMaster' && code !== 'DeadMasterAndSomeReplicas' && code !== 'DeadMasterWithoutReplicas')
    return undefined;
  return primaryFailureRequest(entry, snapshot, code);
}

/** The promotion rule in force for a server: an unexpired registered rule, else its own. */
export function effectivePromotionRule(
  instance: Instance,
  rules: readonly CandidateRule[],
  now: number,
): PromotionRule {
  const rule = rules.find((r) => r.key === instance.key && (r.expiresAt === null || r.expiresAt > now));
  return rule?.promotionRule ?? instance.promotionRule;
}

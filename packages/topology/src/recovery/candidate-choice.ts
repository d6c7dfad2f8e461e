// Which replica to promote when a primary dies: a pure function of the replicas' state, so that
// every rule is tested from tables, without servers. The engine gathers the state (after the
// replicas applied their relay logs) and acts on the choice.
import type { InstanceKey } from '../instance/instance-key.js';
import type { PromotionRule } from '../instance/instance.js';
import type { GtidFlavor } from './gtid-position.js';
import { positionCovers, positionGap } from './gtid-position.js';

/** One replica of the dead primary, as the choice sees it. */
export interface CandidateReplica {
  readonly key: InstanceKey;
  readonly isReachable: boolean;
  /** `major.minor`. */
  readonly majorVersion: string;
  /** ROW, MIXED or STATEMENT. */
  readonly binlogFormat: string;
  readonly hasLogBin: boolean;
  readonly hasLogReplicaUpdates: boolean;
  readonly isBinlogServer?: boolean;
  /** The rule in force (a registered candidate rule already applied). */
  readonly promotionRule: PromotionRule;
  readonly dataCenter: string;
  readonly region: string;
  /** Executed position: MariaDB `gtid_slave_pos`, MySQL `gtid_executed`. */
  readonly executedPosition: string;
  /** Its SQL thread has applied everything its IO thread received. */
  readonly isSqlThreadUpToDate: boolean;
  /** Seconds behind its primary when last seen replicating; null when unknown. */
  readonly lagSeconds: number | null;
  /** Transactions its primary never had ('' when clean). */
  readonly errantGtid: string;
}

/** The rules, from the recovery config. */
export interface CandidateRules {
  readonly promotionIgnoreHostnameFilters: readonly string[];
  readonly preventCrossDataCenterMasterFailover: boolean;
  readonly preventCrossRegionMasterFailover: boolean;
  readonly failMasterPromotionOnLagMinutes: number;
  readonly failMasterPromotionIfSQLThreadNotUpToDate: boolean;
}

/** Everything the choice is made from. */
export interface CandidateChoiceInput {
  readonly flavor: GtidFlavor;
  readonly failedPrimary: { readonly key: InstanceKey; readonly dataCenter: string; readonly region: string };
  readonly replicas: readonly CandidateReplica[];
  readonly rules: CandidateRules;
  /** A manual recovery's requested candidate: chosen if eligible, else the choice fails naming why. */
  readonly requestedCandidate?: InstanceKey;
}

/** Why a replica was passed over; `isHard` = never promotable, else only outranked. */
export interface CandidateVerdict {
  readonly key: InstanceKey;
  readonly isEligible: boolean;
  readonly reasons: readonly string[];
}

/** The outcome: a candidate and the replica holding every transaction, or why there is none. */
export interface CandidateChoice {
  readonly candidate: InstanceKey | null;
  /** The replica whose executed position covers every other reachable replica's. */
  readonly mostAdvanced: InstanceKey | null;
  /** The candidate must first replicate from `mostAdvanced` until it has all of it. */
  readonly needsCatchUp: boolean;
  /** Why there is no candidate (empty when there is one). */
  readonly failure: string;
  /** Every replica with its reasons, the candidate first, then the others in rank order. */
  readonly verdicts: readonly CandidateVerdict[];
}

const RULE_RANK: Readonly<Record<PromotionRule, number>> = {
  must: 0,
  prefer: 1,
  neutral: 2,
  prefer_not: 3,
  must_not: 4,
};
const FORMAT_RANK: Readonly<Record<string, number>> = { STATEMENT: 0, MIXED: 1, ROW: 2 };

function versionNumber(majorVersion: string): number {
  const [a, b] = majorVersion.split('.').map(Number);
  return (a ?? 0) * 1000 + (b ?? 0);
}

function hardReasons(r: CandidateReplica, input: CandidateChoiceInput, others: readonly CandidateReplica[]): string[] {
  const reasons: string[] = [];
  const rules = input.rules;
  if (!r.isReachable) reasons.push('unreachable');
  if (!r.hasLogBin) reasons.push('log_bin is off: its replicas would have nothing to read');
  if (r.hasLogBin && !r.hasLogReplicaUpdates)
    reasons.push('log_slave_updates is off: replicated transactions are not in its binlog');
  if (r.isBinlogServer === true) reasons.push('is a binlog server');
  if (r.promotionRule === 'must_not') reasons.push('promotion rule is must_not');
  const host = r.key.slice(0, r.key.lastIndexOf(':'));
  for (const pattern of rules.promotionIgnoreHostnameFilters) {
    if (new RegExp(pattern).test(host))
      reasons.push(`host matches PromotionIgnoreHostnameFilters ${JSON.stringify(pattern)}`);
  }
  if (rules.preventCrossDataCenterMasterFailover && r.dataCenter !== input.failedPrimary.dataCenter) {
    reasons.push(
      `data center ${JSON.stringify(r.dataCenter)} differs from the failed primary's (PreventCrossDataCenterMasterFailover)`,
    );
  }
  if (rules.preventCrossRegionMasterFailover && r.region !== input.failedPrimary.region) {
    reasons.push(
      `region ${JSON.stringify(r.region)} differs from the failed primary's (PreventCrossRegionMasterFailover)`,
    );
  }
  if (
    rules.failMasterPromotionOnLagMinutes > 0 &&
    r.lagSeconds !== null &&
    r.lagSeconds > rules.failMasterPromotionOnLagMinutes * 60
  ) {
    reasons.push(
      `lags ${r.lagSeconds} s, over FailMasterPromotionOnLagMinutes (${rules.failMasterPromotionOnLagMinutes})`,
    );
  }
  if (rules.failMasterPromotionIfSQLThreadNotUpToDate && !r.isSqlThreadUpToDate) {
    reasons.push('SQL thread has not applied all it received (FailMasterPromotionIfSQLThreadNotUpToDate)');
  }
  for (const o of others) {
    if (!o.isReachable || o.key === r.key) continue;
    if (versionNumber(r.majorVersion) > versionNumber(o.majorVersion)) {
      reasons.push(`version ${r.majorVersion} is newer than replica ${o.key}'s ${o.majorVersion}`);
    }
    if ((FORMAT_RANK[r.binlogFormat.toUpperCase()] ?? 2) > (FORMAT_RANK[o.binlogFormat.toUpperCase()] ?? 2)) {
      reasons.push(`binlog_format ${r.binlogFormat} is wider than replica ${o.key}'s ${o.binlogFormat}`);
    }
  }
  return reasons;
}

/**
 * Chooses the replica to promote by orchestrator's rules, and the replica it must first catch up
 * from so that no transaction any reachable replica received is lost. Hard rules (reachable,
 * log_bin and log_slave_updates, not must_not, PromotionIgnoreHostnameFilters, the prevent-cross
 * flags, version and binlog format no newer/wider than any replica it must serve, lag and SQL
 * thread rules) exclude a replica; among the rest, clean before errant GTIDs, then promotion
 * rule, same data center, same region, the more advanced position, the lower version, the key.
 *
 * @example
 * const choice = chooseCandidate({ flavor: 'mariadb', failedPrimary, replicas, rules });
 * if (choice.candidate === null) audit(choice.failure);
 * else if (choice.needsCatchUp) catchUp(choice.candidate, choice.mostAdvanced);
 */
export function chooseCandidate(input: CandidateChoiceInput): CandidateChoice {
  const reachable = input.replicas.filter((r) => r.isReachable);
  // A clean replica first as the catch-up source: one with errant GTIDs would pass them on.
  const covering = reachable.filter((a) =>
    reachable.every((b) => positionCovers(input.flavor, a.executedPosition, b.executedPosition)),
  );
  const mostAdvanced = covering.find((r) => r.errantGtid === '') ?? covering[0] ?? null;
  const verdicts = new Map<InstanceKey, { isEligible: boolean; reasons: string[] }>();
  for (const r of input.replicas) {
    const reasons = hardReasons(r, input, input.replicas);
    verdicts.set(r.key, { isEligible: reasons.length === 0, reasons });
  }
  const fail = (failure: string): CandidateChoice => ({
    candidate: null,
    mostAdvanced: mostAdvanced?.key ?? null,
    needsCatchUp: false,
    failure,
    verdicts: input.replicas.map((r) => ({ key: r.key, ...verdicts.get(r.key)! })),
  });
  if (reachable.length === 0) return fail('no reachable replica');
  if (mostAdvanced === null) {
    return fail(
      'no replica holds every transaction the others executed (positions diverge); promoting any would lose some',
    );
  }
  const eligible = input.replicas.filter((r) => verdicts.get(r.key)?.isEligible === true);
  if (mostAdvanced !== null && !eligible.some((r) => r.key === mostAdvanced.key)) {
    if (!mostAdvanced.hasLogBin || !mostAdvanced.hasLogReplicaUpdates) {
      return fail(
        `the most advanced replica ${mostAdvanced.key} cannot be promoted and cannot serve a catch-up (no log_bin/log_slave_updates): its transactions would be lost`,
      );
    }
  }
  const clean = eligible.filter((r) => r.errantGtid === '');
  const pool = clean.length > 0 ? clean : eligible;
  for (const r of eligible) {
    if (r.errantGtid !== '' && clean.length > 0)
      verdicts.get(r.key)!.reasons.push(`has errant GTIDs ${r.errantGtid}; a clean replica is preferred`);
  }
  const dc = input.failedPrimary.dataCenter;
  const region = input.failedPrimary.region;
  const ranked = [...pool].sort(
    (a, b) =>
      RULE_RANK[a.promotionRule] - RULE_RANK[b.promotionRule] ||
      Number(b.dataCenter === dc) - Number(a.dataCenter === dc) ||
      Number(b.region === region) - Number(a.region === region) ||
      Number(positionCovers(input.flavor, b.executedPosition, a.executedPosition)) -
        Number(positionCovers(input.flavor, a.executedPosition, b.executedPosition)) ||
      versionNumber(a.majorVersion) - versionNumber(b.majorVersion) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  let chosen = ranked[0];
  if (input.requestedCandidate !== undefined) {
    const requested = verdicts.get(input.requestedCandidate);
    if (requested === undefined)
      return fail(`requested candidate ${input.requestedCandidate} is not a replica of ${input.failedPrimary.key}`);
    if (!requested.isEligible)
      return fail(
        `requested candidate ${input.requestedCandidate} cannot be promoted: ${requested.reasons.join('; ')}`,
      );
    chosen = input.replicas.find((r) => r.key === input.requestedCandidate);
  }
  if (chosen === undefined) return fail('no replica can be promoted');
  for (const r of ranked) {
    if (r.key !== chosen.key) verdicts.get(r.key)!.reasons.push(`outranked by ${chosen.key}`);
  }
  const order = [
    chosen,
    ...ranked.filter((r) => r.key !== chosen.key),
    ...input.replicas.filter((r) => !pool.includes(r)),
  ];
  const needsCatchUp = !positionCovers(input.flavor, chosen.executedPosition, mostAdvanced.executedPosition);
  if (needsCatchUp) {
    verdicts
      .get(chosen.key)!
      .reasons.push(
        `lacks ${positionGap(input.flavor, chosen.executedPosition, mostAdvanced.executedPosition)} of ${mostAdvanced.key}: caught up from it first`,
      );
  }
  return {
    candidate: chosen.key,
    mostAdvanced: mostAdvanced.key,
    needsCatchUp,
    failure: '',
    verdicts: order.map((r) => ({ key: r.key, ...verdicts.get(r.key)! })),
  };
}

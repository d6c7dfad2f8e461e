// Failover on agreement (`ExpectFailureAnalysisConcensus`; orchestrator reads the flag and never
// checks it). Every node sends the dead-server analyses its own probes produced to the leader; the
// leader recovers a DeadMaster, DeadIntermediateMaster or DeadCoMaster only when a majority of the
// group's voters (itself included) reported the same server dead within a short window. A node
// that sees a primary dead alone (its own path to it is cut) never causes a failover. Votes are
// transient and held in memory: only the decision matters, and it goes into the recovery's steps.
import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';

/** The failures that need agreement, by family: a vote counts for any code of the same family. */
export type AgreementFamily = 'DeadMaster' | 'DeadIntermediateMaster' | 'DeadCoMaster';

/**
 * The family of an analysis code, or undefined when recovering it needs no agreement.
 *
 * @example
 * agreementFamily('DeadMasterAndSomeReplicas'); // 'DeadMaster'
 */
export function agreementFamily(analysis: string): AgreementFamily | undefined {
  // Longest first: 'DeadMaster' is a prefix of neither of the others, but keep the order explicit.
  if (analysis.startsWith('DeadIntermediateMaster')) return 'DeadIntermediateMaster';
  if (analysis.startsWith('DeadCoMaster')) return 'DeadCoMaster';
  if (analysis.startsWith('DeadMaster')) return 'DeadMaster';
  return undefined;
}

/** One node's report: the servers its own analysis calls dead now. */
export interface AnalysisReport {
  /** The reporting node's Raft id. */
  readonly node: string;
  readonly entries: readonly { readonly key: string; readonly analysis: string }[];
}

/** One node's part in a decision. */
export interface AgreementVote {
  readonly node: string;
  /** The code the node reported, or null when it reported nothing for this server in the window. */
  readonly analysis: string | null;
  /** How long before the decision it was reported (ms); null without a report. */
  readonly ageMs: number | null;
}

/** What the gate decided for one server. */
export interface AgreementDecision {
  readonly key: string;
  readonly analysis: string;
  readonly isAgreed: boolean;
  /** Votes needed: a majority of the group's voters. */
  readonly needed: number;
  readonly votes: readonly AgreementVote[];
  /** Epoch ms of the decision. */
  readonly decidedAt: number;
}

/**
 * The seam the recovery loop calls: whether a dead server may be recovered now, and a way to be
 * woken when a missing vote arrives (so a failover never waits for the loop's next tick).
 *
 * @example
 * const gate: RecoveryGate = agreement;
 * if (gate.admit({ key: 'db1:3306', analysis: 'DeadMaster' })) recover();
 */
export interface RecoveryGate {
  admit(entry: { readonly key: string; readonly analysis: string }): boolean;
  onAgreement(listener: () => void): void;
}

/** What {@link FailoverAgreement} takes. */
export interface FailoverAgreementParts {
  /** This node's Raft id. */
  readonly self: string;
  /** The group's voters now (membership can change at run time). */
  readonly voters: () => readonly string[];
  /** How long a report counts (ms). */
  readonly windowMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Sees every decision on a dead server (each recovery check, not once per wait like the log
   * line): the daemon counts refusals in a metric.
   */
  readonly onDecision?: (decision: AgreementDecision) => void;
}

interface HeldVote {
  readonly analysis: string;
  readonly at: number;
}

/**
 * Counts each node's reports of dead servers and admits a recovery on a majority.
 *
 * @example
 * const agreement = new FailoverAgreement({ self: 'orc1:10008', voters: () => raft.stats().voters, windowMs: 10_000, clock, logger });
 * agreement.report({ node: 'orc2:10008', entries: [{ key: 'db1:3306', analysis: 'DeadMaster' }] });
 * agreement.admit({ key: 'db1:3306', analysis: 'DeadMaster' }); // true: orc1 (self) and orc2 agree
 */
export class FailoverAgreement implements RecoveryGate {
  readonly #p: FailoverAgreementParts;
  // key -> node -> latest report of that key by that node
  readonly #votes = new Map<string, Map<string, HeldVote>>();
  // Keys the leader saw dead but could not yet admit: a report that completes them wakes the loop.
  readonly #waiting = new Map<string, AgreementFamily>();
  readonly #decisions = new Map<string, AgreementDecision>();
  readonly #announced = new Set<string>();
  readonly #listeners: (() => void)[] = [];

  constructor(parts: FailoverAgreementParts) {
    this.#p = parts;
  }

  /**
   * Records a node's report, which is the whole set it calls dead now: a server it no longer
   * reports loses its vote. Wakes the loop when the report completes a majority (once per episode,
   * and again for a majority the leader asked about and waits for).
   */
  report(report: AnalysisReport): void {
    const now = this.#p.clock.now();
    const reported = new Set(report.entries.map((e) => e.key));
    for (const [key, byNode] of this.#votes) if (!reported.has(key)) byNode.delete(report.node);
    let completes = false;
    for (const e of report.entries) {
      const family = agreementFamily(e.analysis);
      if (family === undefined) continue;
      this.#hold(e.key, report.node, e.analysis, now);
      if (!this.#count(e.key, family, now).agreed) {
        this.#announced.delete(e.key);
        continue;
      }
      // Once per episode: the leader's loop runs at once instead of at its next tick, whether it
      // already asked (and waits) or has not looked yet.
      if (this.#waiting.get(e.key) === family || !this.#announced.has(e.key)) completes = true;
      this.#announced.add(e.key);
    }
    if (completes) for (const l of this.#listeners) l();
  }

  /**
   * This node's own analysis calls `entry.key` dead: counts it as this node's vote and says
   * whether a majority agrees. Codes that need no agreement are admitted at once.
   */
  admit(entry: { readonly key: string; readonly analysis: string }): boolean {
    const family = agreementFamily(entry.analysis);
    if (family === undefined) return true;
    const now = this.#p.clock.now();
    this.#hold(entry.key, this.#p.self, entry.analysis, now);
    const { agreed, needed, votes } = this.#count(entry.key, family, now);
    const decision: AgreementDecision = {
      key: entry.key,
      analysis: entry.analysis,
      isAgreed: agreed,
      needed,
      votes,
      decidedAt: this.#p.clock.wallNow(),
    };
    const before = this.#decisions.get(entry.key);
    this.#decisions.set(entry.key, decision);
    this.#p.onDecision?.(decision);
    if (agreed) {
      this.#waiting.delete(entry.key);
      this.#p.logger.info('failover agreed', { key: entry.key, analysis: entry.analysis, ...summary(decision) });
    } else {
      this.#waiting.set(entry.key, family);
      // Once per wait, not every tick.
      if (before === undefined || before.isAgreed)
        this.#p.logger.info('failover waits for agreement', {
          key: entry.key,
          analysis: entry.analysis,
          ...summary(decision),
        });
    }
    return agreed;
  }

  onAgreement(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** The latest decision about a server (for the recovery's audit), if any. */
  decisionFor(key: string): AgreementDecision | undefined {
    return this.#decisions.get(key);
  }

  #hold(key: string, node: string, analysis: string, now: number): void {
    let byNode = this.#votes.get(key);
    if (byNode === undefined) this.#votes.set(key, (byNode = new Map()));
    byNode.set(node, { analysis, at: now });
  }

  #count(
    key: string,
    family: AgreementFamily,
    now: number,
  ): { agreed: boolean; needed: number; votes: AgreementVote[] } {
    const voters = this.#p.voters();
    const needed = Math.floor(voters.length / 2) + 1;
    const byNode = this.#votes.get(key) ?? new Map<string, HeldVote>();
    for (const [node, v] of byNode) if (now - v.at > this.#p.windowMs) byNode.delete(node);
    const votes = voters.map((node): AgreementVote => {
      const v = byNode.get(node);
      return v === undefined
        ? { node, analysis: null, ageMs: null }
        : { node, analysis: v.analysis, ageMs: now - v.at };
    });
    // Only voters count: a report from an address that is not (or no longer) a member is ignored.
    const yes = votes.filter((v) => v.analysis !== null && agreementFamily(v.analysis) === family).length;
    return { agreed: yes >= needed, needed, votes };
  }
}

function summary(d: AgreementDecision): Record<string, unknown> {
  return { needed: d.needed, votes: d.votes.map((v) => `${v.node}=${v.analysis ?? '-'}`).join(' ') };
}

/**
 * A decision as one line of the recovery's step log.
 *
 * @example
 * describeDecision(decision); // 'agreed 2/3 needed 2: orc1:10008=DeadMaster(+0ms) orc2:10008=DeadMaster(+12ms) orc3:10008=no report'
 */
export function describeDecision(d: AgreementDecision): string {
  const yes = d.votes.filter((v) => v.analysis !== null && agreementFamily(v.analysis) === agreementFamily(d.analysis));
  const votes = d.votes
    .map((v) => `${v.node}=${v.analysis === null ? 'no report' : `${v.analysis}(${v.ageMs}ms ago)`}`)
    .join(' ');
  return `${d.isAgreed ? 'agreed' : 'not agreed'} ${yes.length}/${d.votes.length} needed ${d.needed}: ${votes}`;
}

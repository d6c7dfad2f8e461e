import type { Backend } from '@orc/backend';
import type { CandidateRule, Downtime, Maintenance } from '../analysis/analysis-input.js';
import type { AnalysisStateSource } from '../analysis/analysis-state.js';
import type { PromotionRule } from '../instance/instance.js';
import { instanceKey } from '../instance/instance-key.js';

const RULES: readonly string[] = ['must', 'prefer', 'neutral', 'prefer_not', 'must_not'];

/**
 * Downtimes, maintenances, candidate rules and alias overrides read from @orc/backend. A
 * candidate rule expires `candidateInstanceExpireMinutes` (orchestrator's
 * `CandidateInstanceExpireMinutes`, 60) after it was last suggested.
 */
export class BackendAnalysisState implements AnalysisStateSource {
  readonly #backend: Pick<Backend, 'downtime' | 'candidates' | 'clusters'>;
  readonly #candidateExpireMs: number;

  constructor(
    backend: Pick<Backend, 'downtime' | 'candidates' | 'clusters'>,
    options: { candidateInstanceExpireMinutes?: number } = {},
  ) {
    this.#backend = backend;
    this.#candidateExpireMs = (options.candidateInstanceExpireMinutes ?? 60) * 60_000;
  }

  async readDowntimes(): Promise<readonly Downtime[]> {
    return (await this.#backend.downtime.readActive())
      .filter((d) => d.downtimeActive)
      .map((d) => ({ key: instanceKey(d.hostname, d.port), endsAt: d.endTimestamp, owner: d.owner, reason: d.reason }));
  }

  async readMaintenance(): Promise<readonly Maintenance[]> {
    return (await this.#backend.downtime.readActiveMaintenance()).map((m) => ({
      key: instanceKey(m.hostname, m.port),
      endsAt: m.endTimestamp,
      owner: m.owner,
      reason: m.reason,
    }));
  }

  async readCandidates(): Promise<readonly CandidateRule[]> {
    return (await this.#backend.candidates.readAll())
      .filter((c) => RULES.includes(c.promotionRule))
      .map((c) => ({
        key: instanceKey(c.hostname, c.port),
        promotionRule: c.promotionRule as PromotionRule,
        expiresAt: c.lastSuggested + this.#candidateExpireMs,
      }));
  }

  async readClusterAliasOverrides(): Promise<Readonly<Record<string, string>>> {
    const out: Record<string, string> = {};
    for (const a of await this.#backend.clusters.readAliases())
      if (a.source === 'override') out[a.clusterName] = a.alias;
    return out;
  }
}

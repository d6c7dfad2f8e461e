import type { CandidateRule, Downtime, Maintenance } from './analysis-input.js';

/**
 * Where the analysis reads downtimes, maintenances, candidate rules and alias overrides: the
 * backend's repositories behind an adapter in production, {@link InMemoryAnalysisState} otherwise.
 */
export interface AnalysisStateSource {
  readDowntimes(): Promise<readonly Downtime[]>;
  readMaintenance(): Promise<readonly Maintenance[]>;
  readCandidates(): Promise<readonly CandidateRule[]>;
  /** Manual alias per cluster name. */
  readClusterAliasOverrides(): Promise<Readonly<Record<string, string>>>;
}

/** An {@link AnalysisStateSource} held in memory, with setters. */
export class InMemoryAnalysisState implements AnalysisStateSource {
  downtimes: Downtime[] = [];
  maintenance: Maintenance[] = [];
  candidates: CandidateRule[] = [];
  aliasOverrides: Record<string, string> = {};

  async readDowntimes(): Promise<readonly Downtime[]> {
    return this.downtimes;
  }
  async readMaintenance(): Promise<readonly Maintenance[]> {
    return this.maintenance;
  }
  async readCandidates(): Promise<readonly CandidateRule[]> {
    return this.candidates;
  }
  async readClusterAliasOverrides(): Promise<Readonly<Record<string, string>>> {
    return this.aliasOverrides;
  }
}

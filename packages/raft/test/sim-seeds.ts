// Shared by the sim-*.test.ts files: runs a range of seeds of the deterministic simulation and
// reports each failing seed with the command that replays it. Split across files so that jest
// runs the ranges in parallel.
import type { SimOptions, SimResult } from '../src/testing/index.js';
import { SimCluster } from '../src/testing/index.js';

/** The options a seed runs with: a mix of cluster sizes and network conditions. */
export function optionsForSeed(seed: number): SimOptions {
  const harsh = seed % 5 === 0;
  return {
    seed,
    steps: 2000,
    nodes: 5,
    initialVoters: seed % 3 === 0 ? 5 : 3,
    drift: 0.1,
    // One seed in four changes membership and transfers leadership often.
    ...(seed % 4 === 1 ? { faults: { confChange: 0.03, transfer: 0.01 } } : {}),
    network: harsh
      ? { lossRate: 0.1, duplicateRate: 0.05, minDelay: 0, maxDelay: 6 }
      : { lossRate: 0.02, duplicateRate: 0.01, minDelay: 0, maxDelay: 3 },
  };
}

/** Runs one seed; returns a description of what went wrong, or null. */
export function failureOf(res: SimResult): string | null {
  if (res.violations.length > 0) return res.violations.map((v) => `${v.property}: ${v.detail}`).join('; ');
  if (!res.linearizable.ok)
    return `history not linearizable on key ${res.linearizable.key}: ${res.linearizable.reason}`;
  return null;
}

/** Seeds to run: ORC_SIM_SEED pins one; otherwise the given range. */
export function seedsFor(from: number, count: number): number[] {
  const pinned = process.env['ORC_SIM_SEED'];
  if (pinned !== undefined && pinned !== '') {
    const seed = Number(pinned);
    return seed >= from && seed < from + count ? [seed] : [];
  }
  return Array.from({ length: count }, (_, i) => from + i);
}

/** Runs the seeds and returns failures with replay instructions, plus totals for the log. */
export function runSeeds(seeds: readonly number[]): { failures: string[]; totals: Record<string, number> } {
  const failures: string[] = [];
  // ORC_SIM_TRACE=1 (with ORC_SIM_SEED) prints every node's state after each step.
  const trace = process.env['ORC_SIM_TRACE'] === '1' ? (line: string) => process.stdout.write(`${line}\n`) : undefined;
  const totals = { seeds: 0, steps: 0, leaders: 0, committed: 0, ops: 0, snapshots: 0, messages: 0 };
  for (const seed of seeds) {
    const res = new SimCluster({ ...optionsForSeed(seed), ...(trace ? { trace } : {}) }).run();
    totals.seeds++;
    totals.steps += res.stats.steps;
    totals.leaders += res.stats.leadersElected;
    totals.committed += res.stats.committed;
    totals.ops += res.stats.completedOps;
    totals.snapshots += res.stats.snapshotsSent;
    totals.messages += res.stats.messages;
    const failure = failureOf(res);
    if (failure !== null)
      failures.push(
        `seed ${seed}: ${failure}\n  replay: ORC_SIM_SEED=${seed} pnpm test:unit -- sim  (ORC_SIM_TRACE=1 prints every step)`,
      );
  }
  return { failures, totals };
}

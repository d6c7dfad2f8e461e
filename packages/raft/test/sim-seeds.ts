// Shared by the sim-*.test.ts files: runs a range of seeds of the deterministic simulation and
// reports each failing seed with the command that replays it. A seed fails on a safety
// violation, a history that is not linearizable, a cluster that does not recover once the
// faults stop (liveness), or too little progress. Split across files so that jest runs the
// ranges in parallel.
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

/**
 * The least progress every seed makes. Over the 1,000 seeds the fewest seen are 1 leader, 38
 * committed entries and 24 completed operations; these floors sit well below, so that they fail
 * a cluster that stalls, not a seed that is merely unlucky.
 */
export const perSeedFloor = { leaders: 1, committed: 10, ops: 5 } as const;

/**
 * The least progress per seed on average over a range of at least `minSeeds` seeds. The 1,000
 * seeds average 11.6 leaders, 146 committed entries and 224 completed operations per seed; a
 * floor near half of that catches a library that makes progress only on a few seeds.
 */
export const perSeedAverageFloor = { minSeeds: 50, leaders: 5, committed: 70, ops: 100 } as const;

/** Runs one seed; returns a description of what went wrong, or null. */
export function failureOf(res: SimResult): string | null {
  if (res.violations.length > 0) return res.violations.map((v) => `${v.property}: ${v.detail}`).join('; ');
  if (!res.linearizable.ok)
    return `history not linearizable on key ${res.linearizable.key}: ${res.linearizable.reason}`;
  if (res.liveness !== null) return `not live: ${res.liveness}`;
  const short = [
    res.stats.leadersElected < perSeedFloor.leaders ? `${res.stats.leadersElected} leaders elected` : null,
    res.stats.committed < perSeedFloor.committed ? `${res.stats.committed} entries committed` : null,
    res.stats.completedOps < perSeedFloor.ops ? `${res.stats.completedOps} operations completed` : null,
  ].filter((x) => x !== null);
  if (short.length > 0) return `too little progress: ${short.join(', ')} (floor ${JSON.stringify(perSeedFloor)})`;
  return null;
}

/** What the totals of a range of seeds fall short of (empty when enough progress was made). */
export function progressShortfall(totals: Readonly<Record<string, number>>): string[] {
  const seeds = totals['seeds'] ?? 0;
  if (seeds < perSeedAverageFloor.minSeeds) return [];
  const f = perSeedAverageFloor;
  const wanted: [string, number][] = [
    ['leaders', f.leaders],
    ['committed', f.committed],
    ['ops', f.ops],
  ];
  return wanted
    .filter(([key, perSeed]) => (totals[key] ?? 0) < perSeed * seeds)
    .map(([key, perSeed]) => `${key}: ${totals[key] ?? 0} over ${seeds} seeds, floor ${perSeed * seeds}`);
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

/**
 * Runs the seeds and returns failures (safety, linearizability, liveness, progress) with replay
 * instructions, plus the totals; a range whose totals fall below the average floor fails too.
 */
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
  for (const short of progressShortfall(totals)) failures.push(`range ${seeds[0]}..: too little progress: ${short}`);
  return { failures, totals };
}

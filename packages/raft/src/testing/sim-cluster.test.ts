import { describe, it, expect } from '@jest/globals';
import { SimCluster } from './sim-cluster.js';

describe('SimCluster', () => {
  it('is deterministic: one seed, one outcome', () => {
    const a = new SimCluster({ seed: 7, steps: 400 }).run();
    const b = new SimCluster({ seed: 7, steps: 400 }).run();
    expect(a.stats).toEqual(b.stats);
    expect(a.history).toEqual(b.history);
  });

  it('makes progress on a healthy network', () => {
    const res = new SimCluster({
      seed: 3,
      steps: 500,
      faults: { partition: 0, oneWayCut: 0, crash: 0, confChange: 0, transfer: 0 },
      network: { lossRate: 0, duplicateRate: 0 },
    }).run();
    expect(res.violations).toEqual([]);
    expect(res.linearizable.ok).toBe(true);
    expect(res.stats.completedOps).toBeGreaterThan(50);
  });
});

// Randomized simulation, seeds 751..1000 (see sim-seeds.ts). A failing seed prints how to replay it.
import { describe, it, expect } from '@jest/globals';
import { runSeeds, seedsFor } from './sim-seeds.js';

describe('raft simulation', () => {
  it('keeps every safety property, linearizable histories, liveness and progress (seeds 751..1000)', () => {
    const { failures } = runSeeds(seedsFor(751, 250));
    expect(failures).toEqual([]);
  });
});

// Randomized simulation, seeds 501..750 (see sim-seeds.ts). A failing seed prints how to replay it.
import { describe, it, expect } from '@jest/globals';
import { runSeeds, seedsFor } from './sim-seeds.js';

describe('raft simulation', () => {
  it('keeps every safety property, linearizable histories, liveness and progress (seeds 501..750)', () => {
    const { failures } = runSeeds(seedsFor(501, 250));
    expect(failures).toEqual([]);
  });
});

// The seed checks themselves: a run that stalls or makes no progress must fail, not pass quietly.
import { describe, it, expect } from '@jest/globals';
import type { SimResult } from '../src/testing/index.js';
import { failureOf, progressShortfall } from './sim-seeds.js';

const healthy: SimResult = {
  seed: 1,
  violations: [],
  linearizable: { ok: true },
  liveness: null,
  history: [],
  stats: { steps: 2400, leadersElected: 9, committed: 120, completedOps: 200, snapshotsSent: 2, messages: 9000 },
};

describe('sim seed checks', () => {
  it('pass a healthy run', () => {
    expect(failureOf(healthy)).toBeNull();
  });

  it('fail a run that does not recover once the faults stop', () => {
    expect(failureOf({ ...healthy, liveness: 'no leader committed a new entry on every member' })).toMatch(
      /^not live: no leader committed/,
    );
  });

  it('fail a run that elects no leader or commits nothing', () => {
    const stalled = { ...healthy, stats: { ...healthy.stats, leadersElected: 0, committed: 0, completedOps: 0 } };
    expect(failureOf(stalled)).toBe(
      'too little progress: 0 leaders elected, 0 entries committed, 0 operations completed (floor {"leaders":1,"committed":10,"ops":5})',
    );
  });

  it('fail a range whose totals fall below the average floor, but not a single pinned seed', () => {
    expect(progressShortfall({ seeds: 100, leaders: 1000, committed: 14_000, ops: 20_000 })).toEqual([]);
    expect(progressShortfall({ seeds: 100, leaders: 100, committed: 14_000, ops: 2_000 })).toEqual([
      'leaders: 100 over 100 seeds, floor 500',
      'ops: 2000 over 100 seeds, floor 10000',
    ]);
    expect(progressShortfall({ seeds: 1, leaders: 1, committed: 38, ops: 24 })).toEqual([]);
  });
});

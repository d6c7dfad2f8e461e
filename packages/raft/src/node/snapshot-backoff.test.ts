import { describe, it, expect } from '@jest/globals';
import { SnapshotBackoff } from './snapshot-backoff.js';

describe('SnapshotBackoff', () => {
  it('doubles the wait after each failure up to a minute, and clears on success', () => {
    const b = new SnapshotBackoff();
    expect(b.mayTry(0)).toBe(true);
    expect(b.failed('disk full', 0)).toBe(1000);
    expect(b.mayTry(999)).toBe(false);
    expect(b.mayTry(1000)).toBe(true);
    expect(b.failed('disk full', 1000)).toBe(2000);
    for (let i = 0; i < 10; i++) b.failed('disk full', 5000);
    expect(b.failed('still full', 9000)).toBe(60_000);
    expect(b.failure).toEqual({ reason: 'still full', attempts: 13, since: 0, retryAt: 69_000 });
    b.succeeded();
    expect(b.failure).toBeNull();
    expect(b.mayTry(9000)).toBe(true);
  });
});

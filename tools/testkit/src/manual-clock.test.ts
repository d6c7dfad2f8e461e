import { describe, expect, it } from '@jest/globals';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('runs due timers in time order, with now() at each due time', () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    clock.setTimer(30, () => seen.push(`b@${clock.now()}`));
    clock.setTimer(10, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(30, () => seen.push(`c@${clock.now()}`));
    clock.advance(29);
    expect(seen).toEqual(['a@10']);
    clock.advance(1);
    expect(seen).toEqual(['a@10', 'b@30', 'c@30']);
    expect(clock.now()).toBe(30);
  });

  it('cancels, and runs timers set by a running timer when they fall due', () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const h = clock.setTimer(5, () => seen.push(-1));
    clock.setTimer(5, () => clock.setTimer(5, () => seen.push(clock.now())));
    h.cancel();
    clock.advance(20);
    expect(seen).toEqual([10]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps wall time in step with virtual time and refuses to go back', () => {
    const clock = new ManualClock(0, 1_000_000);
    clock.advance(250);
    expect(clock.wallNow()).toBe(1_000_250);
    expect(() => clock.advance(-1)).toThrow(/ms must be >= 0/);
  });

  it('runNext jumps to the next timer', () => {
    const clock = new ManualClock();
    let fired = false;
    clock.setTimer(1000, () => (fired = true));
    expect(clock.runNext()).toBe(true);
    expect(fired).toBe(true);
    expect(clock.now()).toBe(1000);
    expect(clock.runNext()).toBe(false);
  });
});

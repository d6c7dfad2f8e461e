import { describe, it, expect } from '@jest/globals';
import type { Clock, TimerHandle } from '../ports.js';
import { ManualClock } from '@orc/testkit';
import { turn } from '../../test/support/manual-turns.js';
import { memoryRaft } from '../../test/support/memory-raft.js';

/** Every timer fires `lateMs` after it is due, as on a busy event loop. */
class LateClock implements Clock {
  readonly inner = new ManualClock();
  constructor(readonly lateMs: number) {}
  now(): number {
    return this.inner.now();
  }
  wallNow(): number {
    return this.inner.wallNow();
  }
  setTimer(ms: number, fn: () => void): TimerHandle {
    return this.inner.setTimer(ms + this.lateMs, fn);
  }
}

describe('NodeDriver ticks', () => {
  it('keeps to the tick grid when every timer fires late, so timeouts do not stretch', async () => {
    const clock = new LateClock(4);
    const raft = await memoryRaft({
      id: 'a',
      // One voter, no jitter: it campaigns after the 10-tick timeout less the 5 ticks advanced at start.
      peers: ['a'],
      stateMachine: {
        apply: () => null,
        snapshot: () => ({ persist: async () => undefined }),
        restore: async () => {},
      },
      clock,
      random: () => 0,
    });
    const at = async (ms: number): Promise<void> => {
      while (clock.now() < ms) {
        clock.inner.advance(1);
        await turn();
      }
    };
    // Ticks fire at 14, 24, 34, 44, 54 (re-armed 10 ms after each late one: 14, 28, 42, 56, 70).
    await at(50);
    expect(raft.state).toBe('follower');
    await at(60);
    expect(raft.state).toBe('leader');
    await raft.stop();
  });
});

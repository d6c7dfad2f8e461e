// Driving a Raft node on a ManualClock in unit tests: its work runs on promise callbacks, so a
// test lets the event loop turn between clock steps instead of sleeping.
import type { ManualClock } from '@orc/testkit';

/**
 * Resolves after pending promise callbacks and I/O callbacks ran once.
 * @example
 * for (let i = 0; i < 10; i++) await turn();
 */
export const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * Advances `clock` in ticks of `tickMs` until the node is leader, at most `ticks` times; the
 * caller asserts the state afterwards, so a node that never wins fails there.
 * @example
 * await untilLeader(raft, clock);
 * expect(raft.state).toBe('leader');
 */
export async function untilLeader(
  raft: { readonly state: string },
  clock: ManualClock,
  tickMs = 10,
  ticks = 100,
): Promise<void> {
  for (let i = 0; i < ticks && raft.state !== 'leader'; i++) {
    clock.advance(tickMs);
    await turn();
  }
}

import type { ManualClock } from '@orc/testkit';

/**
 * Lets queued promise callbacks run: several rounds, since a store call passes through chains
 * of awaits. Unit tests call it after moving a `ManualClock`, because the clock runs due timers
 * synchronously while the code they start continues asynchronously.
 */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Moves `clock` by `ms` (running the timers that fall due) and lets what they started settle.
 * A timer set by that continuation counts from the end of the step: tests step to each due time.
 */
export async function advance(clock: ManualClock, ms: number): Promise<void> {
  await settle();
  clock.advance(ms);
  await settle();
}

import type { ManualClock } from '@orc/testkit';

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/**
 * Moves `clock` forward `ms` one millisecond at a time, letting promises settle after each step:
 * the discovery loop's probes are promises, and a probe that a timer started must finish (and
 * schedule its next one) before later timers run, as it would on a real event loop.
 *
 * @example
 * ```ts
 * await advanceSettled(clock, 5_000);
 * ```
 */
export async function advanceSettled(clock: ManualClock, ms: number): Promise<void> {
  await settle();
  for (let done = 0; done < ms; done++) {
    clock.advance(1);
    await settle();
  }
}

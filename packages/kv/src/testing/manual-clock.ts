import type { KvClock, KvTimer } from '../clock.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to. `advance(ms)` runs every timer that falls due, in time
 * order, letting promise callbacks settle between them.
 *
 * @example
 * ```ts
 * const clock = new ManualKvClock();
 * const fanout = new KvFanout({ stores, clock, timeoutMs: 1000 });
 * const pending = fanout.putMany(pairs);
 * await clock.advance(1000); // a hung store now reports TIMEOUT
 * ```
 */
export class ManualKvClock implements KvClock {
  #now = 0;
  #nextId = 1;
  #timers = new Map<number, Pending>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): KvTimer {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.#now + Math.max(0, ms), fn });
    return { id };
  }

  clearTimeout(timer: KvTimer): void {
    const id = (timer as { id?: number }).id;
    if (id !== undefined) this.#timers.delete(id);
  }

  /** How many timers are waiting. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = [...this.#timers.values()]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (next === undefined) break;
      this.#timers.delete(next.id);
      this.#now = next.at;
      next.fn();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}

/** Lets queued promise callbacks run (several rounds, since chains of awaits take several ticks). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

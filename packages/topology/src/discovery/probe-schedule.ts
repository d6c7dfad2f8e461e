import type { TimerHandle, Clock } from '../clock.js';
import { DueHeap } from './due-heap.js';

/**
 * When each server is next due for a probe: a min-heap and one timer set to the earliest due
 * time, whatever the number of servers. Re-scheduling a key replaces its previous due time.
 */
export class ProbeSchedule<K> {
  readonly #clock: Clock;
  readonly #onDue: (keys: K[]) => void;
  readonly #heap = new DueHeap<K>();
  readonly #current = new Map<K, number>();
  #tick: { at: number; handle: TimerHandle } | null = null;
  #stopped = false;

  constructor(clock: Clock, onDue: (keys: K[]) => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  /** Schedules `key` at `due` (ms since epoch), replacing any earlier schedule of it. */
  at(key: K, due: number): void {
    if (this.#stopped) return;
    this.#current.set(key, this.#heap.push(due, key));
    this.#arm();
  }

  /** Forgets any schedule of `key`. */
  cancel(key: K): void {
    this.#current.delete(key);
  }

  /** Cancels the timer for good. */
  stop(): void {
    this.#stopped = true;
    this.#tick?.handle.cancel();
    this.#tick = null;
  }

  #arm(): void {
    const due = this.#heap.peekDue();
    if (due === undefined || this.#stopped) return;
    if (this.#tick !== null && this.#tick.at <= due) return;
    this.#tick?.handle.cancel();
    this.#tick = { at: due, handle: this.#clock.setTimer(Math.max(0, due - this.#clock.now()), () => this.#fire()) };
  }

  #fire(): void {
    this.#tick = null;
    if (this.#stopped) return;
    const now = this.#clock.now();
    const due: K[] = [];
    for (;;) {
      const at = this.#heap.peekDue();
      if (at === undefined || at > now) break;
      const item = this.#heap.pop()!;
      if (this.#current.get(item.key) !== item.seq) continue; // replaced or cancelled
      this.#current.delete(item.key);
      due.push(item.key);
    }
    if (due.length > 0) this.#onDue(due);
    this.#arm();
  }
}

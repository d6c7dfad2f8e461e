// The followers' KV outcomes of one replicated KV write, gathered on the leader within a bound
// (orchestrator loses them in its asynchronous apply: its issue #503). The leader opens a wait
// before it proposes, each follower posts its outcome after its own apply, and the wait ends when
// every other voter has answered or the bound passes, whichever comes first.
import type { Clock } from '../clock.js';
import type { KvStoreOutcome } from './orc-state-machine.js';

/** One follower's part: its stores' outcomes, or null when it did not answer within the bound. */
export interface FollowerKv {
  readonly node: string;
  readonly stores: readonly KvStoreOutcome[] | null;
}

interface Wait {
  readonly expected: readonly string[];
  readonly got: Map<string, readonly KvStoreOutcome[]>;
  readonly done: () => void;
}

/**
 * Collects followers' KV outcomes by write id.
 *
 * @example
 * const wait = outcomes.expect(id, ['orc2:10008', 'orc3:10008'], 1000);
 * await raft.apply(encodeOp({ op: 'put-key-value', value: { id, master } }));
 * const followers = await wait; // [{ node: 'orc2:10008', stores: [...] }, { node: 'orc3:10008', stores: null }]
 */
export class FollowerOutcomes {
  readonly #clock: Clock;
  readonly #waits = new Map<string, Wait>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Starts waiting for `followers`' outcomes of write `id`, for at most `boundMs`. */
  expect(id: string, followers: readonly string[], boundMs: number): Promise<FollowerKv[]> {
    return new Promise((resolve) => {
      const finish = (): void => {
        const wait = this.#waits.get(id);
        if (wait === undefined) return;
        this.#waits.delete(id);
        timer.cancel();
        resolve(wait.expected.map((node) => ({ node, stores: wait.got.get(node) ?? null })));
      };
      const timer = this.#clock.setTimer(boundMs, finish);
      this.#waits.set(id, { expected: followers, got: new Map(), done: finish });
      if (followers.length === 0) finish();
    });
  }

  /** A follower's outcome; ignored when nobody waits for it (late, or not a follower asked). */
  add(node: string, id: string, stores: readonly KvStoreOutcome[]): void {
    const wait = this.#waits.get(id);
    if (wait === undefined || !wait.expected.includes(node)) return;
    wait.got.set(node, stores);
    if (wait.got.size === wait.expected.length) wait.done();
  }

  /** Stops waiting for `id` now (the proposal failed). */
  cancel(id: string): void {
    this.#waits.get(id)?.done();
  }
}

// A simulated network: every message is lost, delayed, duplicated or delivered according to a
// seeded PRNG; links can be cut one way or both ways. Delays reorder messages.
import type { Message } from '../core/messages.js';
import type { NodeId } from '../core/types.js';
import type { Prng } from './prng.js';

/** How unreliable the network is. Delays are in simulation steps. */
export interface SimNetworkOptions {
  /** Probability that a message is lost. Default 0.02. */
  readonly lossRate?: number;
  /** Probability that a message is delivered twice. Default 0.01. */
  readonly duplicateRate?: number;
  /** Extra delivery delay in steps, uniform in [minDelay, maxDelay], after the next step. Default 0..3. */
  readonly minDelay?: number;
  readonly maxDelay?: number;
}

/**
 * Messages in flight, by delivery step. A cut link drops messages both when sent and when due.
 *
 * @example
 * ```ts
 * const net = new SimNetwork(createPrng(7), { lossRate: 0.05 });
 * net.send(msg, now);
 * for (const m of net.due(now + 1)) nodes.get(m.to)?.raw.step(m);
 * ```
 */
export class SimNetwork {
  readonly #rng: Prng;
  #loss: number;
  #dup: number;
  readonly #minDelay: number;
  readonly #maxDelay: number;
  readonly #buckets = new Map<number, Message[]>();
  readonly #cut = new Set<string>();
  #sent = 0;
  #dropped = 0;

  constructor(rng: Prng, opts: SimNetworkOptions = {}) {
    this.#rng = rng;
    this.#loss = opts.lossRate ?? 0.02;
    this.#dup = opts.duplicateRate ?? 0.01;
    this.#minDelay = opts.minDelay ?? 0;
    this.#maxDelay = opts.maxDelay ?? 3;
  }

  /** Messages sent and dropped so far. */
  get stats(): { sent: number; dropped: number } {
    return { sent: this.#sent, dropped: this.#dropped };
  }

  isCut(from: NodeId, to: NodeId): boolean {
    return this.#cut.has(`${from}>${to}`);
  }

  /** Cuts the link from `from` to `to` only (a one-way partition). */
  cutOneWay(from: NodeId, to: NodeId): void {
    this.#cut.add(`${from}>${to}`);
  }

  /** Cuts every link between the two groups, both ways. */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.#cut.add(`${x}>${y}`);
        this.#cut.add(`${y}>${x}`);
      }
    }
  }

  heal(): void {
    this.#cut.clear();
  }

  /** Makes the network reliable from now on (no loss, no duplication); delays stay. */
  calm(): void {
    this.#loss = 0;
    this.#dup = 0;
  }

  send(m: Message, now: number): void {
    this.#sent++;
    if (this.isCut(m.from, m.to) || this.#rng.chance(this.#loss)) {
      this.#dropped++;
      return;
    }
    this.#enqueue(m, now);
    if (this.#rng.chance(this.#dup)) this.#enqueue(m, now);
  }

  #enqueue(m: Message, now: number): void {
    // Delivered at the earliest on the next step: `due(now)` has already run for this one.
    const at = now + 1 + this.#minDelay + this.#rng.int(this.#maxDelay - this.#minDelay + 1);
    const bucket = this.#buckets.get(at);
    if (bucket === undefined) this.#buckets.set(at, [m]);
    else bucket.push(m);
  }

  /** Removes and returns the messages due at `now` whose link is not cut. */
  due(now: number): Message[] {
    const bucket = this.#buckets.get(now);
    if (bucket === undefined) return [];
    this.#buckets.delete(now);
    const out: Message[] = [];
    for (const m of bucket) {
      if (this.isCut(m.from, m.to)) this.#dropped++;
      else out.push(m);
    }
    return out;
  }
}

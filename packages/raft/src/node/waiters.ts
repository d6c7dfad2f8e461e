// Calls waiting on the log: proposals by index, reads by context, conditions on the applied index.
// Deadlines are checked on every tick rather than by one timer per call.
import type { LogIndex, Term } from '../core/types.js';
import { RaftError } from '../errors.js';

interface Deadline {
  readonly deadline: number;
  reject(err: unknown): void;
}

/** A proposal waiting for its entry to apply. */
export interface PendingProposal extends Deadline {
  readonly term: Term;
  resolve(result: unknown): void;
}

/** A caller waiting until the applied index reaches `index`. */
interface AppliedWaiter extends Deadline {
  readonly index: number;
  resolve(index: LogIndex): void;
}

/** A read waiting for its ReadState. */
export interface PendingRead extends Deadline {
  resolve(index: LogIndex): void;
}

/**
 * Pending proposals by log index, in index order (a leader's proposals get increasing indexes).
 * Not a Map: under a steady stream of applies a Map's hash table is rebuilt every few dozen
 * calls and each superseded table keeps a link to its successor; once one of them is promoted
 * and dies in the old generation, that chain keeps every later table (and the calls it holds)
 * alive through young-generation collections. V8 then counts them as survivors and grows the
 * young generation to its maximum (+128 MB RSS with Node's defaults, ADR 0212). Here indexes
 * sit in a number array and settled slots are cleared, so nothing dead points at anything young.
 */
export class ProposalQueue {
  #indexes: number[] = [];
  #items: (PendingProposal | undefined)[] = [];
  #head = 0;
  #live = 0;

  get size(): number {
    return this.#live;
  }

  /** Registers the call waiting for entry `index` (replacing one registered for the same index). */
  set(index: number, p: PendingProposal): void {
    const n = this.#indexes.length;
    if (n === this.#head || this.#indexes[n - 1]! < index) {
      this.#indexes.push(index);
      this.#items.push(p);
      this.#live++;
      return;
    }
    // Out of order (not expected of a leader): insert at the sorted position.
    const k = this.#find(index);
    if (this.#indexes[k] === index) {
      if (this.#items[k] === undefined) this.#live++;
      this.#items[k] = p;
      return;
    }
    this.#indexes.splice(k, 0, index);
    this.#items.splice(k, 0, p);
    this.#live++;
  }

  /** Removes and returns the call waiting for entry `index`, if any. */
  take(index: number): PendingProposal | undefined {
    const k = this.#find(index);
    if (this.#indexes[k] !== index) return undefined;
    const p = this.#items[k];
    if (p === undefined) return undefined;
    this.#items[k] = undefined;
    this.#live--;
    this.#trim();
    return p;
  }

  /** Removes and returns the calls whose deadline passed. */
  expired(now: number): PendingProposal[] {
    const out: PendingProposal[] = [];
    const items = this.#items;
    for (let k = this.#head; k < items.length; k++) {
      const p = items[k];
      if (p !== undefined && p.deadline <= now) {
        items[k] = undefined;
        this.#live--;
        out.push(p);
      }
    }
    if (out.length > 0) this.#trim();
    return out;
  }

  /** Removes and returns every pending call. */
  drain(): PendingProposal[] {
    const out: PendingProposal[] = [];
    for (let k = this.#head; k < this.#items.length; k++) {
      const p = this.#items[k];
      if (p !== undefined) out.push(p);
    }
    this.#clear();
    return out;
  }

  /** First slot at or after the head whose index is >= `index` (binary search). */
  #find(index: number): number {
    let lo = this.#head;
    let hi = this.#indexes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#indexes[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Moves the head past settled slots; drops the settled prefix once it is most of the arrays. */
  #trim(): void {
    const items = this.#items;
    while (this.#head < items.length && items[this.#head] === undefined) this.#head++;
    if (this.#head === items.length) this.#clear();
    else if (this.#head >= 1024 && 2 * this.#head >= items.length)
      this.#reset(this.#indexes.slice(this.#head), items.slice(this.#head));
  }

  #clear(): void {
    this.#indexes.length = 0;
    this.#items.length = 0;
    this.#head = 0;
    this.#live = 0;
  }

  #reset(indexes: number[], items: (PendingProposal | undefined)[]): void {
    // Empty the old arrays: if one was promoted, it must not keep pending calls reachable.
    this.#items.length = 0;
    this.#indexes = indexes;
    this.#items = items;
    this.#head = 0;
  }
}

export class Waiters {
  readonly proposals = new ProposalQueue();
  readonly reads = new Map<string, PendingRead>();
  #applied: AppliedWaiter[] = [];

  waitApplied(index: number, deadline: number, applied: number): Promise<LogIndex> {
    if (applied >= index) return Promise.resolve(applied as LogIndex);
    return new Promise((resolve, reject) => this.#applied.push({ index, deadline, resolve, reject }));
  }

  /** Resolves every waiter whose index is now applied. */
  applied(applied: number): void {
    if (this.#applied.length === 0) return;
    const still: AppliedWaiter[] = [];
    for (const w of this.#applied) {
      if (applied >= w.index) w.resolve(applied as LogIndex);
      else still.push(w);
    }
    this.#applied = still;
  }

  /** Rejects every call whose deadline passed with TIMEOUT. */
  expire(now: number): void {
    const timeout = (what: string): RaftError => new RaftError('TIMEOUT', `${what} timed out; its outcome is unknown`);
    for (const p of this.proposals.expired(now)) p.reject(timeout('apply'));
    for (const [k, r] of this.reads) {
      if (r.deadline <= now) {
        this.reads.delete(k);
        r.reject(timeout('read'));
      }
    }
    if (this.#applied.some((w) => w.deadline <= now)) {
      const still: AppliedWaiter[] = [];
      for (const w of this.#applied) {
        if (w.deadline <= now) w.reject(timeout('wait for apply'));
        else still.push(w);
      }
      this.#applied = still;
    }
  }

  /** Rejects every proposal (e.g. leadership lost: their outcome is unknown). */
  failProposals(err: RaftError): void {
    for (const p of this.proposals.drain()) p.reject(err);
  }

  failAll(err: RaftError): void {
    this.failProposals(err);
    const reads = [...this.reads.values()];
    this.reads.clear();
    for (const r of reads) r.reject(err);
    const applied = this.#applied;
    this.#applied = [];
    for (const w of applied) w.reject(err);
  }

  get size(): number {
    return this.proposals.size + this.reads.size + this.#applied.length;
  }
}

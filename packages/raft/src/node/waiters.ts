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

export class Waiters {
  readonly proposals = new Map<number, PendingProposal>();
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
    for (const [i, p] of this.proposals) {
      if (p.deadline <= now) {
        this.proposals.delete(i);
        p.reject(timeout('apply'));
      }
    }
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
    const all = [...this.proposals.values()];
    this.proposals.clear();
    for (const p of all) p.reject(err);
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

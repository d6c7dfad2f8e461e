// Raft's safety properties, checked incrementally as simulated nodes report what they did:
//   election safety:      at most one leader per term
//   log matching:         two logs holding an entry with the same index and term hold the same
//                         entry there and agree on the term of the entry before it (so, by
//                         induction, on the whole prefix)
//   leader completeness:  a new leader's log holds every entry committed so far
//   state machine safety: no two nodes apply different entries at one index
import type { Entry, NodeId } from '../core/types.js';
import type { SimNode } from './sim-node.js';

/** A broken safety property, with what proves it. */
export interface SafetyViolation {
  readonly property: 'electionSafety' | 'logMatching' | 'leaderCompleteness' | 'stateMachineSafety';
  readonly detail: string;
}

function entryKey(e: Entry): string {
  let s = `${e.type}:`;
  for (let i = 0; i < e.data.length; i++) s += String.fromCharCode(e.data[i] ?? 0);
  return s;
}

/**
 * Collects observations and reports the first violation of each kind. Cheap enough to run
 * after every simulation step.
 *
 * @example
 * ```ts
 * const checker = new SafetyChecker();
 * checker.onApplied(node, entry);
 * if (checker.violations.length > 0) throw new Error(checker.violations[0].detail);
 * ```
 */
export class SafetyChecker {
  readonly violations: SafetyViolation[] = [];
  readonly #leaders = new Map<number, NodeId>();
  /** `${index}:${term}` → the entry's content and the term of the entry before it (or -1 if unknown). */
  readonly #entries = new Map<string, { key: string; prevTerm: number }>();
  /** index → the committed entry's term and content, from applies. */
  readonly #committed = new Map<number, { term: number; key: string }>();
  #maxCommitted = 0;

  #fail(property: SafetyViolation['property'], detail: string): void {
    this.violations.push({ property, detail });
  }

  /**
   * A node became leader of `term`; `termAt` gives the term of each entry of its log then.
   * Every entry of an earlier term already seen applied (so committed) must be in that log.
   */
  onLeader(node: SimNode, term: number, termAt: (index: number) => number | undefined): void {
    const prev = this.#leaders.get(term);
    if (prev !== undefined && prev !== node.id) {
      this.#fail('electionSafety', `term ${term} has two leaders: ${prev} and ${node.id}`);
    }
    this.#leaders.set(term, node.id);
    const first = node.disk.storage.firstIndex();
    for (let i = Math.max(first, 1); i <= this.#maxCommitted; i++) {
      const c = this.#committed.get(i);
      if (c === undefined || c.term >= term) continue;
      const t = termAt(i);
      if (t !== c.term) {
        this.#fail(
          'leaderCompleteness',
          `leader ${node.id} of term ${term} lacks committed entry ${i}/${c.term} (has term ${String(t)})`,
        );
        return;
      }
    }
  }

  /**
   * A node made contiguous entries durable; `prevTerm` is the term of the entry before the
   * first one at that moment (undefined when compacted away).
   */
  onPersisted(node: SimNode, entries: readonly Entry[], prevTerm0: number | undefined): void {
    let prevTerm = prevTerm0 ?? -1;
    for (const e of entries) {
      const k = `${e.index}:${e.term}`;
      const content = entryKey(e);
      const seen = this.#entries.get(k);
      if (seen === undefined) {
        this.#entries.set(k, { key: content, prevTerm });
        prevTerm = e.term;
        continue;
      }
      if (seen.key !== content) {
        this.#fail('logMatching', `entry ${k} differs between logs (seen on ${node.id})`);
      } else if (seen.prevTerm !== -1 && prevTerm !== -1 && seen.prevTerm !== prevTerm) {
        this.#fail('logMatching', `entry ${k} follows term ${prevTerm} on ${node.id} but ${seen.prevTerm} elsewhere`);
      } else if (seen.prevTerm === -1 && prevTerm !== -1) {
        this.#entries.set(k, { key: content, prevTerm });
      }
      prevTerm = e.term;
    }
  }

  /** A node applied a committed entry. */
  onApplied(node: SimNode, e: Entry): void {
    const content = entryKey(e);
    const c = this.#committed.get(e.index);
    if (c === undefined) {
      this.#committed.set(e.index, { term: e.term, key: content });
      if (e.index > this.#maxCommitted) this.#maxCommitted = e.index;
    } else if (c.term !== e.term || c.key !== content) {
      this.#fail(
        'stateMachineSafety',
        `${node.id} applied ${e.index}/${e.term} but ${e.index}/${c.term} was applied elsewhere`,
      );
    }
  }

  /** A node installed a snapshot covering up to `index` at `term`. */
  onSnapshot(node: SimNode, index: number, term: number): void {
    const c = this.#committed.get(index);
    if (c !== undefined && c.term !== term) {
      this.#fail(
        'stateMachineSafety',
        `${node.id} installed a snapshot at ${index}/${term} but ${index}/${c.term} was applied`,
      );
    }
  }
}

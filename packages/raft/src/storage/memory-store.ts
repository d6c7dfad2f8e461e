// An in-memory log and stable store: for tests and for nodes that accept losing their state.
import type { ConfState, Entry, HardState, LogIndex, Term } from '../core/types.js';
import type { LogStore, StableStore, StoredState } from '../ports.js';
import { RaftError } from '../errors.js';
import { checkAppend, checkCompact } from './log-checks.js';

/**
 * A `LogStore` and `StableStore` held in memory. Nothing survives the process.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const raft = await Raft.create({ ..., logStore: store, stableStore: store });
 * ```
 */
export class MemoryStore implements LogStore, StableStore {
  #entries: Entry[] = [];
  #compactedIndex = 0;
  #compactedTerm = 0;
  #hardState: HardState | null = null;
  #conf: ConfState | null = null;
  #closed = false;

  async firstIndex(): Promise<LogIndex> {
    return this.#firstIndexSync();
  }
  async lastIndex(): Promise<LogIndex> {
    return this.#lastIndexSync();
  }
  async entries(lo: LogIndex, hi: LogIndex, maxBytes = Infinity): Promise<Entry[]> {
    this.#check();
    const out: Entry[] = [];
    let bytes = 0;
    const from = Math.max(lo, this.#compactedIndex + 1);
    for (let i = from; i < hi; i++) {
      const e = this.#entries[i - this.#compactedIndex - 1];
      if (e === undefined) break;
      bytes += e.data.byteLength;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(e);
    }
    return out;
  }
  async term(index: LogIndex): Promise<Term | undefined> {
    this.#check();
    if (index === this.#compactedIndex) return this.#compactedTerm as Term;
    return this.#entries[index - this.#compactedIndex - 1]?.term;
  }
  async append(entries: readonly Entry[]): Promise<void> {
    this.#check();
    const first = entries[0];
    if (first === undefined) return;
    checkAppend(entries, this.#compactedIndex, this.#lastIndexSync());
    this.#entries.length = first.index - this.#compactedIndex - 1;
    for (const e of entries) this.#entries.push({ ...e, data: e.data.slice() });
  }
  async compact(index: LogIndex, termAtIndex: Term): Promise<void> {
    this.#check();
    if (index <= this.#compactedIndex) return;
    checkCompact(index, this.#lastIndexSync());
    this.#entries.splice(0, index - this.#compactedIndex);
    this.#compactedIndex = index;
    this.#compactedTerm = termAtIndex;
  }
  async reset(index: LogIndex, termAtIndex: Term): Promise<void> {
    this.#check();
    this.#entries = [];
    this.#compactedIndex = index;
    this.#compactedTerm = termAtIndex;
  }
  async load(): Promise<StoredState | null> {
    this.#check();
    if (this.#hardState === null && this.#conf === null) return null;
    return { hardState: this.#hardState ?? { term: 0 as Term, vote: null, commit: 0 as LogIndex }, conf: this.#conf };
  }
  async saveHardState(state: HardState): Promise<void> {
    this.#check();
    this.#hardState = { ...state };
  }
  async saveConf(conf: ConfState): Promise<void> {
    this.#check();
    this.#conf = { voters: [...conf.voters], learners: [...conf.learners], votersOutgoing: [...conf.votersOutgoing] };
  }
  async close(): Promise<void> {
    this.#closed = true;
  }

  #firstIndexSync(): LogIndex {
    this.#check();
    return (this.#compactedIndex + 1) as LogIndex;
  }
  #lastIndexSync(): LogIndex {
    this.#check();
    return (this.#compactedIndex + this.#entries.length) as LogIndex;
  }
  #check(): void {
    if (this.#closed) throw new RaftError('SHUTDOWN', 'memory store is closed');
  }
}

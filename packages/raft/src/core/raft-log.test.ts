import { describe, it, expect } from '@jest/globals';
import { RaftLog } from './raft-log.js';
import { MemoryStorage } from './storage.js';
import type { Entry } from './types.js';
import { EntryType, logIndex, nodeId, term } from './types.js';

const ent = (index: number, t: number): Entry => ({
  index: logIndex(index),
  term: term(t),
  type: EntryType.Command,
  data: new Uint8Array([index]),
});
const conf = { voters: [nodeId('a')], learners: [], votersOutgoing: [] };

function logWith(terms: number[]): RaftLog {
  const storage = new MemoryStorage({ conf, entries: terms.map((t, i) => ent(i + 1, t)) });
  return new RaftLog(storage, null);
}

describe('RaftLog', () => {
  it('appends only what is new and truncates a conflicting uncommitted suffix', () => {
    const log = logWith([1, 1, 2, 2]);
    expect(log.maybeAppend(2, 1, 0, [ent(3, 2), ent(4, 3), ent(5, 3)])).toBe(5);
    expect([3, 4, 5].map((i) => log.term(i))).toEqual([2, 3, 3]);
    expect(log.unstable.offset).toBe(4);
  });

  it('rejects an append whose previous entry does not match', () => {
    const log = logWith([1, 1, 2]);
    expect(log.maybeAppend(3, 3, 0, [ent(4, 3)])).toBeNull();
    expect(log.maybeAppend(5, 2, 0, [])).toBeNull();
  });

  it('refuses to overwrite a committed entry', () => {
    const log = logWith([1, 1, 2]);
    log.commitTo(3);
    expect(() => log.maybeAppend(1, 1, 3, [ent(2, 5)])).toThrow(/committed/);
  });

  it('finds the last entry at or before an index with a term no greater than given (fast backtracking)', () => {
    const log = logWith([1, 1, 2, 2, 4, 4]);
    expect(log.findConflictByTerm(6, 3)).toEqual({ index: 4, term: 2 });
    expect(log.findConflictByTerm(6, 4)).toEqual({ index: 6, term: 4 });
    expect(log.findConflictByTerm(10, 1)).toEqual({ index: 2, term: 1 });
    expect(log.findConflictByTerm(6, 0)).toEqual({ index: 0, term: 0 });
  });

  it('commits by counting only entries of the given term', () => {
    const log = logWith([1, 2, 3]);
    expect(log.maybeCommit(2, 3)).toBe(false);
    expect(log.maybeCommit(3, 3)).toBe(true);
    expect(log.committed).toBe(3);
  });

  it('slices across stable and unstable entries within a byte budget', () => {
    const log = logWith([1, 1]);
    log.append([ent(3, 2), ent(4, 2)]);
    expect(log.slice(1, 5, 1 << 20)?.map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(log.slice(2, 5, 2)?.map((e) => e.index)).toEqual([2, 3]);
  });

  it('reports compacted ranges as null so the leader sends a snapshot', () => {
    const storage = new MemoryStorage({ conf, entries: [1, 1, 2, 2].map((t, i) => ent(i + 1, t)) });
    storage.setSnapshot({ index: logIndex(3), term: term(2), conf });
    storage.compact(logIndex(3));
    const log = new RaftLog(storage, null);
    expect(log.slice(2, 5, 100)).toBeNull();
    expect(log.term(3)).toBe(2);
    expect(log.term(2)).toBeUndefined();
  });
});

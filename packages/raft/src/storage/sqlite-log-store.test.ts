import { describe, it, expect } from '@jest/globals';
import { EntryType, logIndex, term, type Entry } from '../core/types.js';
import type { LogStore, StableStore } from '../ports.js';
import { MemoryStore } from './memory-store.js';
import { SqliteLogStore } from './sqlite-log-store.js';
import { tempDirs } from '../../test/support/temp-dirs.js';

const tempDir = tempDirs('raft-log-');

const entry = (index: number, t: number, text = `e${index}`): Entry => ({
  index: logIndex(index),
  term: term(t),
  type: EntryType.Command,
  data: new TextEncoder().encode(text),
});
const texts = (es: Entry[]): string[] => es.map((e) => new TextDecoder().decode(e.data));

type Store = LogStore & StableStore;
const stores: [string, () => Store][] = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => SqliteLogStore.open({ dir: tempDir() })],
];

describe.each(stores)('%s log store', (_name, make) => {
  it('starts empty', async () => {
    const s = make();
    expect(await s.firstIndex()).toBe(1);
    expect(await s.lastIndex()).toBe(0);
    expect(await s.term(logIndex(0))).toBe(0);
    expect(await s.load()).toBeNull();
    await s.close();
  });

  it('appends, reads ranges and respects maxBytes', async () => {
    const s = make();
    await s.append([entry(1, 1), entry(2, 1), entry(3, 2)]);
    expect(await s.lastIndex()).toBe(3);
    expect(texts(await s.entries(logIndex(1), logIndex(4)))).toEqual(['e1', 'e2', 'e3']);
    expect(texts(await s.entries(logIndex(2), logIndex(3)))).toEqual(['e2']);
    expect(texts(await s.entries(logIndex(1), logIndex(4), 3))).toEqual(['e1']);
    expect(texts(await s.entries(logIndex(1), logIndex(4), 0))).toEqual(['e1']);
    expect(await s.term(logIndex(3))).toBe(2);
    expect(await s.term(logIndex(9))).toBeUndefined();
    await s.close();
  });

  it('overwrites a conflicting suffix', async () => {
    const s = make();
    await s.append([entry(1, 1), entry(2, 1), entry(3, 1)]);
    await s.append([entry(2, 2, 'x2')]);
    expect(await s.lastIndex()).toBe(2);
    expect(texts(await s.entries(logIndex(1), logIndex(10)))).toEqual(['e1', 'x2']);
    await s.close();
  });

  it('refuses gaps and non-consecutive entries with a STORAGE error', async () => {
    const s = make();
    await s.append([entry(1, 1)]);
    await expect(s.append([entry(3, 1)])).rejects.toThrow(/at most one past the last index/);
    await expect(s.append([entry(2, 1), entry(4, 1)])).rejects.toThrow(/consecutive/);
    await s.close();
  });

  it('compacts a prefix and resets after a snapshot', async () => {
    const s = make();
    await s.append([entry(1, 1), entry(2, 1), entry(3, 2), entry(4, 2)]);
    await s.compact(logIndex(2), term(1));
    expect(await s.firstIndex()).toBe(3);
    expect(await s.term(logIndex(2))).toBe(1);
    expect(await s.term(logIndex(1))).toBeUndefined();
    expect(texts(await s.entries(logIndex(1), logIndex(10)))).toEqual(['e3', 'e4']);
    await expect(s.append([entry(2, 3)])).rejects.toMatchObject({ code: 'STORAGE' });
    await s.reset(logIndex(100), term(5));
    expect(await s.firstIndex()).toBe(101);
    expect(await s.lastIndex()).toBe(100);
    expect(await s.term(logIndex(100))).toBe(5);
    await s.append([entry(101, 5)]);
    expect(await s.lastIndex()).toBe(101);
    await s.close();
  });

  it('saves hard state and membership', async () => {
    const s = make();
    await s.saveHardState({ term: term(3), vote: null, commit: logIndex(0) });
    await s.saveHardState({ term: term(4), vote: 'a' as never, commit: logIndex(2) });
    await s.saveConf({ voters: ['a', 'b'] as never, learners: [], votersOutgoing: [] });
    expect(await s.load()).toEqual({
      hardState: { term: 4, vote: 'a', commit: 2 },
      conf: { voters: ['a', 'b'], learners: [], votersOutgoing: [] },
    });
    await s.close();
  });
});

describe('SqliteLogStore', () => {
  it('keeps the log, compaction point and state across reopen', async () => {
    const dir = tempDir();
    const a = SqliteLogStore.open({ dir });
    await a.append([entry(1, 1), entry(2, 1), entry(3, 2)]);
    await a.compact(logIndex(1), term(1));
    await a.saveHardState({ term: term(2), vote: null, commit: logIndex(3) });
    await a.close();
    const b = SqliteLogStore.open({ dir });
    expect(await b.firstIndex()).toBe(2);
    expect(await b.lastIndex()).toBe(3);
    expect(await b.term(logIndex(1))).toBe(1);
    expect(texts(await b.entries(logIndex(1), logIndex(4)))).toEqual(['e2', 'e3']);
    expect((await b.load())?.hardState).toEqual({ term: 2, vote: null, commit: 3 });
    await b.close();
  });

  it('group-commits writes requested in the same turn into one transaction', async () => {
    const s = SqliteLogStore.open({ dir: tempDir() });
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= 50; i++) writes.push(s.append([entry(i, 1)]));
    writes.push(s.saveHardState({ term: term(1), vote: null, commit: logIndex(50) }));
    await Promise.all(writes);
    expect(s.groupCommitStats).toEqual({ transactions: 1, writes: 51 });
    expect(await s.lastIndex()).toBe(50);
    await s.append([entry(51, 1)]);
    expect(s.groupCommitStats.transactions).toBe(2);
    await s.close();
  });

  it('fails calls after close with SHUTDOWN', async () => {
    const s = SqliteLogStore.open({ dir: tempDir() });
    await s.close();
    await expect(s.append([entry(1, 1)])).rejects.toMatchObject({ code: 'SHUTDOWN' });
  });
});

import { describe, it, expect } from '@jest/globals';
import { MemoryStorage, limitSize } from './storage.js';
import type { Entry } from './types.js';
import { EntryType, logIndex, nodeId, term } from './types.js';

const ent = (index: number, t: number, size = 1): Entry => ({
  index: logIndex(index),
  term: term(t),
  type: EntryType.Command,
  data: new Uint8Array(size),
});
const conf = { voters: [nodeId('a')], learners: [], votersOutgoing: [] };

describe('MemoryStorage', () => {
  it('appends, overwrites a suffix, compacts and answers terms at the compaction point', () => {
    const s = new MemoryStorage({ conf });
    s.append([ent(1, 1), ent(2, 1), ent(3, 1)]);
    s.append([ent(3, 2), ent(4, 2)]);
    expect(s.lastIndex()).toBe(4);
    expect(s.term(logIndex(3))).toBe(2);
    s.compact(logIndex(2));
    expect(s.firstIndex()).toBe(3);
    expect(s.term(logIndex(2))).toBe(1);
    expect(s.term(logIndex(1))).toBeUndefined();
    expect(() => s.entries(logIndex(2), logIndex(4), 100)).toThrow(RangeError);
    expect(() => s.append([ent(9, 2)])).toThrow(/gap/);
  });

  it('replaces everything with an installed snapshot', () => {
    const s = new MemoryStorage({ conf, entries: [ent(1, 1), ent(2, 1)] });
    const conf2 = { voters: [nodeId('a'), nodeId('b')], learners: [], votersOutgoing: [] };
    s.applySnapshot({ index: logIndex(10), term: term(3), conf: conf2 });
    expect(s.firstIndex()).toBe(11);
    expect(s.lastIndex()).toBe(10);
    expect(s.term(logIndex(10))).toBe(3);
    expect(s.initialState().conf).toEqual(conf2);
  });

  it('limits batches by bytes but always returns one entry', () => {
    const ents = [ent(1, 1, 10), ent(2, 1, 10), ent(3, 1, 10)];
    expect(limitSize(ents, 5)).toHaveLength(1);
    expect(limitSize(ents, 20)).toHaveLength(2);
    expect(limitSize(ents, 100)).toHaveLength(3);
  });
});

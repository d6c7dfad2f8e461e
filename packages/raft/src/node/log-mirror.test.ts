import { describe, it, expect } from '@jest/globals';
import { MemoryStorage } from '../core/storage.js';
import { EntryType, logIndex, nodeId, term, type Entry } from '../core/types.js';
import { createPrng } from '../testing/prng.js';
import { LogMirror } from './log-mirror.js';

const conf = { voters: [nodeId('a')], learners: [], votersOutgoing: [] };
const entry = (index: number, t: number, size: number, fill = index): Entry => ({
  index: logIndex(index),
  term: term(t),
  type: size === 0 ? EntryType.Noop : EntryType.Command,
  data: Buffer.alloc(size, fill & 0xff),
});
const plain = (es: readonly Entry[]): unknown[] =>
  es.map((e) => ({ index: e.index, term: e.term, type: e.type, data: Buffer.from(e.data).toString('hex') }));

describe('LogMirror', () => {
  it('reads back what was appended, across segments, within a byte limit', () => {
    const m = new LogMirror({ conf });
    const es = Array.from({ length: 5000 }, (_, i) => entry(i + 1, 1 + (i >> 10), i % 300));
    m.append(es.slice(0, 2500));
    m.append(es.slice(2500));
    expect(m.firstIndex()).toBe(1);
    expect(m.lastIndex()).toBe(5000);
    expect(m.term(logIndex(4097))).toBe(5);
    expect(plain(m.entries(logIndex(2000), logIndex(2100), Infinity))).toEqual(plain(es.slice(1999, 2099)));
    // At least one entry, however small the limit.
    expect(m.entries(logIndex(10), logIndex(20), 0)).toHaveLength(1);
    expect(m.entries(logIndex(10), logIndex(20), 9 + 10 + 11)).toHaveLength(3);
  });

  it('keeps one oversized entry whole in its own segment', () => {
    const m = new LogMirror({ conf });
    m.append([entry(1, 1, 10), entry(2, 1, 600_000, 7), entry(3, 1, 10)]);
    const [big] = m.entries(logIndex(2), logIndex(3), Infinity);
    expect(big?.data.byteLength).toBe(600_000);
    expect(big?.data.every((b) => b === 7)).toBe(true);
  });

  it('never rewrites bytes already handed out when a suffix is replaced', () => {
    const m = new LogMirror({ conf });
    m.append([entry(1, 1, 4, 1), entry(2, 1, 4, 2), entry(3, 1, 4, 3)]);
    const old = m.entries(logIndex(2), logIndex(4), Infinity);
    m.append([entry(2, 2, 4, 9), entry(3, 2, 4, 9), entry(4, 2, 4, 9)]);
    expect(Buffer.from(old[0]!.data).toString('hex')).toBe('02020202');
    expect(m.term(logIndex(2))).toBe(2);
    expect(m.lastIndex()).toBe(4);
  });

  it('behaves as MemoryStorage under random appends, truncations, compactions and snapshots', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rng = createPrng(seed);
      const int = (n: number): number => rng.int(n);
      const a = new MemoryStorage({ conf });
      const b = new LogMirror({ conf });
      let t = 1;
      for (let step = 0; step < 200; step++) {
        const op = int(10);
        const last = a.lastIndex();
        const first = a.firstIndex();
        if (op < 6) {
          // Append, sometimes overwriting a suffix (a new term) or starting before the compaction point.
          const from = op === 0 ? Math.max(1, last + 1 - int(60)) : last + 1;
          if (op === 0) t++;
          const n = 1 + int(op === 1 ? 3000 : 200);
          const es = Array.from({ length: n }, (_, i) => entry(from + i, t, int(400), seed + i));
          a.append(es);
          b.append(es);
        } else if (op < 8 && last >= first) {
          const to = logIndex(first - 1 + int(last - first + 2));
          a.compact(to);
          b.compact(to);
        } else if (op === 8) {
          const meta = { index: logIndex(last + int(50)), term: term(t), conf };
          a.applySnapshot(meta);
          b.applySnapshot(meta);
        }
        expect([b.firstIndex(), b.lastIndex()]).toEqual([a.firstIndex(), a.lastIndex()]);
        const lo = a.firstIndex();
        const hi = a.lastIndex();
        for (let k = 0; k < 5; k++) {
          const i = logIndex(lo - 1 + int(hi - lo + 3));
          expect(b.term(i)).toBe(a.term(i));
        }
        if (hi >= lo) {
          const x = lo + int(hi - lo + 1);
          const y = x + int(Math.min(hi + 2 - x, 300));
          const max = int(3) === 0 ? int(2000) : Infinity;
          expect(plain(b.entries(logIndex(x), logIndex(y), max))).toEqual(
            plain(a.entries(logIndex(x), logIndex(y), max)),
          );
        }
      }
    }
  });

  it('refuses a gap and a read outside the held range, as MemoryStorage does', () => {
    const m = new LogMirror({ conf, snapshot: { index: logIndex(10), term: term(2), conf } });
    expect(() => m.append([entry(12, 2, 1)])).toThrow(RangeError);
    m.append([entry(5, 1, 1), entry(11, 2, 1)].slice(1));
    expect(() => m.entries(logIndex(10), logIndex(12), Infinity)).toThrow(RangeError);
    expect(m.term(logIndex(10))).toBe(2);
    expect(() => m.compact(logIndex(12))).toThrow(RangeError);
  });
});

import { describe, it, expect } from '@jest/globals';
import { term } from '../core/types.js';
import { ProposalQueue, type PendingProposal } from './waiters.js';

type Tagged = PendingProposal & { tag: number };
const tagOf = (p: PendingProposal): number => (p as Tagged).tag;
const call = (deadline: number, tag: number): Tagged => ({
  tag,
  term: term(1),
  deadline,
  resolve: () => undefined,
  reject: () => undefined,
});

describe('ProposalQueue', () => {
  it('finds each call by its index, in any order of settling', () => {
    const q = new ProposalQueue();
    for (let i = 1; i <= 3000; i++) q.set(i, call(1000, i));
    expect(q.size).toBe(3000);
    expect(q.take(2)).toMatchObject({ tag: 2 });
    expect(q.take(2)).toBeUndefined();
    for (let i = 1; i <= 2500; i++) if (i !== 2) expect(q.take(i)).toMatchObject({ tag: i });
    expect(q.size).toBe(500);
    expect(q.take(2999)).toMatchObject({ tag: 2999 });
    expect(q.take(4000)).toBeUndefined();
    expect(q.drain().map(tagOf)).toHaveLength(499);
    expect(q.size).toBe(0);
  });

  it('accepts an index out of order and replaces a call registered for the same index', () => {
    const q = new ProposalQueue();
    q.set(5, call(1, 5));
    q.set(3, call(1, 3));
    q.set(5, call(1, 55));
    expect(q.size).toBe(2);
    expect(q.take(3)).toMatchObject({ tag: 3 });
    expect(q.take(5)).toMatchObject({ tag: 55 });
  });

  it('hands back the calls whose deadline passed and keeps the others', () => {
    const q = new ProposalQueue();
    q.set(1, call(10, 1));
    q.set(2, call(30, 2));
    q.set(3, call(20, 3));
    expect(q.expired(20).map(tagOf)).toEqual([1, 3]);
    expect(q.size).toBe(1);
    expect(q.take(2)).toMatchObject({ tag: 2 });
    expect(q.expired(100)).toEqual([]);
  });
});

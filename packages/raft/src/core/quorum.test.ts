import { describe, it, expect } from '@jest/globals';
import { isMajority, quorumIndex, quorumIndexInPlace, voteResult } from './quorum.js';

describe('quorumIndexInPlace', () => {
  it('agrees with quorumIndex on every ordering and size', () => {
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 50;
    for (let n = 1; n <= 7; n++) {
      for (let k = 0; k < 200; k++) {
        const matches = Array.from({ length: n }, next);
        const sorted = [...matches].sort((a, b) => b - a);
        expect(quorumIndexInPlace([...matches])).toBe(sorted[Math.floor(n / 2)]);
      }
    }
    expect(quorumIndexInPlace([])).toBe(Infinity);
  });
});

describe('quorumIndex', () => {
  it('is the highest index a majority holds', () => {
    expect(quorumIndex([5, 3, 9])).toBe(5);
    expect(quorumIndex([5, 3, 9, 7])).toBe(5);
    expect(quorumIndex([1, 2, 3, 4, 5])).toBe(3);
    expect(quorumIndex([4])).toBe(4);
  });
  it('counts majorities', () => {
    expect(isMajority(2, 3)).toBe(true);
    expect(isMajority(2, 4)).toBe(false);
    expect(isMajority(3, 5)).toBe(true);
  });
});

describe('voteResult', () => {
  it('is won at a majority of grants, lost once a majority can no longer grant', () => {
    expect(voteResult(2, 0, 3)).toBe('won');
    expect(voteResult(1, 1, 3)).toBe('pending');
    expect(voteResult(1, 2, 3)).toBe('lost');
    // Four voters: two refusals leave at most two grants, not a majority.
    expect(voteResult(2, 1, 4)).toBe('pending');
    expect(voteResult(1, 2, 4)).toBe('lost');
    expect(voteResult(3, 1, 4)).toBe('won');
    expect(voteResult(1, 0, 1)).toBe('won');
    expect(voteResult(0, 1, 1)).toBe('lost');
  });
});

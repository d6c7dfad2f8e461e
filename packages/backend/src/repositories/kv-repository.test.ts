import { describe, it, expect } from '@jest/globals';
import { prefixUpperBound } from './kv-repository.js';

describe('prefixUpperBound', () => {
  it('is the smallest string above every string with the prefix', () => {
    expect(prefixUpperBound('mysql/master/')).toBe('mysql/master0');
    expect(prefixUpperBound('a')).toBe('b');
    expect(prefixUpperBound('')).toBeUndefined();
  });

  it('skips the surrogate range and carries past the last code point', () => {
    expect(prefixUpperBound('a\ud7ff')).toBe('a\ue000');
    expect(prefixUpperBound('a\u{10ffff}')).toBe('b');
    expect(prefixUpperBound('\u{10ffff}')).toBeUndefined();
  });
});

import { describe, it, expect } from '@jest/globals';
import { checkKvLinearizable } from './linearizability.js';
import type { KvOperation } from './linearizability.js';

const put = (key: string, value: string, invoke: number, response: number, client = 0): KvOperation => ({
  kind: 'put',
  key,
  value,
  invoke,
  response,
  client,
});
const get = (key: string, value: string | undefined, invoke: number, response: number, client = 1): KvOperation => ({
  kind: 'get',
  key,
  value,
  invoke,
  response,
  client,
});

describe('checkKvLinearizable', () => {
  it('accepts a sequential history', () => {
    expect(
      checkKvLinearizable([put('x', '1', 1, 2), get('x', '1', 3, 4), put('x', '2', 5, 6), get('x', '2', 7, 8)]).ok,
    ).toBe(true);
  });

  it('accepts a read that overlaps a write and sees either value', () => {
    expect(checkKvLinearizable([put('x', '1', 1, 2), put('x', '2', 3, 6), get('x', '1', 4, 5)]).ok).toBe(true);
    expect(checkKvLinearizable([put('x', '1', 1, 2), put('x', '2', 3, 6), get('x', '2', 4, 5)]).ok).toBe(true);
  });

  it('rejects a stale read after a completed write', () => {
    const res = checkKvLinearizable([put('x', '1', 1, 2), put('x', '2', 3, 4), get('x', '1', 5, 6)]);
    expect(res).toMatchObject({ ok: false, key: 'x' });
  });

  it('rejects a read of a value that goes back in time', () => {
    const h = [put('x', '1', 1, 10), get('x', '1', 2, 3), get('x', undefined, 4, 5)];
    expect(checkKvLinearizable(h).ok).toBe(false);
  });

  it('lets a write of unknown outcome take effect late, or never', () => {
    expect(checkKvLinearizable([put('x', '1', 1, Infinity), get('x', undefined, 2, 3), get('x', '1', 4, 5)]).ok).toBe(
      true,
    );
    expect(checkKvLinearizable([put('x', '1', 1, Infinity), get('x', undefined, 2, 3)]).ok).toBe(true);
    // ... but not un-happen once seen.
    expect(checkKvLinearizable([put('x', '1', 1, Infinity), get('x', '1', 2, 3), get('x', undefined, 4, 5)]).ok).toBe(
      false,
    );
  });

  it('checks keys independently', () => {
    expect(checkKvLinearizable([put('x', '1', 1, 2), get('y', undefined, 3, 4), get('x', '1', 5, 6)]).ok).toBe(true);
  });
});

import { describe, it, expect } from '@jest/globals';
import { kvErrorOf } from '../test/support/kv-error-of.js';
import { validateKey, validatePairs, validatePrefix } from './key-validation.js';

const limits = { maxValueBytes: 10, maxRequestBytes: 100, maxTransactionOps: 5 };

describe('validateKey', () => {
  it('accepts orchestrator keys', () => {
    expect(() => validateKey('mysql/master/shop')).not.toThrow();
    expect(() => validateKey('mysql/master/shop/ipv6')).not.toThrow();
  });

  it.each([
    ['', 'empty'],
    ['mysql//master', '"//"'],
    [' mysql/master', 'whitespace'],
    ['mysql/master ', 'whitespace'],
    ['/mysql/master', 'begin with "/"'],
    ['mysql/master/', 'end with "/"'],
    ['mysql/\u0000x', 'control'],
    ['mysql/../x', '".."'],
  ])('rejects %j with INVALID_KEY naming the key', (key, why) => {
    const err = kvErrorOf(() => validateKey(key, 'consul'));
    expect(err.code).toBe('INVALID_KEY');
    expect(err.key).toBe(key);
    expect(err.store).toBe('consul');
    expect(err.message).toContain(JSON.stringify(key));
    expect(err.message).toContain(why);
    expect(err.retryable).toBe(false);
  });

  it('rejects a key that is not a string', () => {
    expect(kvErrorOf(() => validateKey(42)).code).toBe('INVALID_KEY');
  });

  it('accepts an empty prefix and a prefix ending in a slash', () => {
    expect(() => validatePrefix('')).not.toThrow();
    expect(() => validatePrefix('mysql/master/')).not.toThrow();
    expect(kvErrorOf(() => validatePrefix('mysql//')).code).toBe('INVALID_KEY');
  });
});

describe('validatePairs', () => {
  it('names the key whose value is over the limit', () => {
    const err = kvErrorOf(() =>
      validatePairs(
        [
          { key: 'a', value: 'ok' },
          { key: 'big', value: 'x'.repeat(11) },
        ],
        limits,
        'zk',
      ),
    );
    expect(err.code).toBe('VALUE_TOO_LARGE');
    expect(err.key).toBe('big');
    expect(err.message).toContain('11 bytes');
    expect(err.message).toContain('10 bytes');
  });

  it('counts bytes, not characters', () => {
    expect(kvErrorOf(() => validatePairs([{ key: 'k', value: 'é'.repeat(6) }], limits)).code).toBe('VALUE_TOO_LARGE');
  });

  it('refuses the same key twice', () => {
    const err = kvErrorOf(() =>
      validatePairs(
        [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ],
        limits,
      ),
    );
    expect(err.code).toBe('INVALID_BATCH');
    expect(err.key).toBe('a');
  });

  it('refuses a non-string value and a bad key anywhere in the batch', () => {
    expect(kvErrorOf(() => validatePairs([{ key: 'a', value: 3 as unknown as string }], limits)).code).toBe(
      'VALUE_TOO_LARGE',
    );
    expect(
      kvErrorOf(() =>
        validatePairs(
          [
            { key: 'a', value: '' },
            { key: 'b ', value: '' },
          ],
          limits,
        ),
      ).key,
    ).toBe('b ');
  });
});

describe('validatePairs with a key limit', () => {
  it('refuses a key longer than the store takes, naming it', () => {
    const long = `mysql/master/${'x'.repeat(300)}`;
    const err = kvErrorOf(() =>
      validatePairs([{ key: long, value: 'v' }], { ...limits, maxKeyBytes: 255 }, 'internal'),
    );
    expect(err).toMatchObject({ code: 'INVALID_KEY', key: long, store: 'internal' });
    expect(err.message).toContain('255 bytes');
  });
});

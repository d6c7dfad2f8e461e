import { describe, expect, it } from '@jest/globals';
import { closestKey, editDistance, scrubSecrets } from './problems.js';
import { duplicateKeys, orchestratorKeys } from './orchestrator-keys.js';

describe('config problems', () => {
  it('measures edits case-insensitively', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('listenaddress', 'ListenAddress')).toBe(0);
  });

  it('suggests only a near key', () => {
    const keys = orchestratorKeys.map((r) => r.key);
    expect(closestKey('ListenAdress', keys)).toBe('ListenAddress');
    expect(closestKey('Zzzzzz', keys)).toBeUndefined();
  });

  it('scrubs set secrets out of a library message', () => {
    const text = scrubSecrets('access denied for orc:s3cret@db', { MySQLTopologyPassword: 's3cret' }, orchestratorKeys);
    expect(text).toBe('access denied for orc:<redacted>@db');
  });
});

describe('the key table', () => {
  it('has each key once', () => {
    expect(duplicateKeys()).toEqual([]);
  });

  it('has defaults that pass their own checks', () => {
    // An undefined default means "unset", which no check is asked about.
    const failing = orchestratorKeys
      .filter((r) => r.default !== undefined && r.check(r.default) !== undefined)
      .map((r) => r.key);
    expect(failing).toEqual([]);
  });
});

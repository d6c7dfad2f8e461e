import { describe, it, expect } from '@jest/globals';
import { KvError } from '../errors.js';
import { clusterAliasOfKey, clusterMasterPairs, normalizeMasterPrefix } from './master-pairs.js';

describe('clusterMasterPairs', () => {
  it('gives exactly orchestrator pairs, in its order', () => {
    expect(
      clusterMasterPairs({ alias: 'shop', host: 'db1.example', port: 3306, ipv4: '10.0.0.5', ipv6: 'fe80::1' }),
    ).toEqual([
      { key: 'mysql/master/shop', value: 'db1.example:3306' },
      { key: 'mysql/master/shop/hostname', value: 'db1.example' },
      { key: 'mysql/master/shop/port', value: '3306' },
      { key: 'mysql/master/shop/ipv4', value: '10.0.0.5' },
      { key: 'mysql/master/shop/ipv6', value: 'fe80::1' },
    ]);
  });

  it('writes the ip keys only when known', () => {
    expect(clusterMasterPairs({ alias: 'a', host: 'h', port: 3307 }).map((p) => p.key)).toEqual([
      'mysql/master/a',
      'mysql/master/a/hostname',
      'mysql/master/a/port',
    ]);
    expect(clusterMasterPairs({ alias: 'a', host: 'h', port: 3307, ipv4: '', ipv6: '::1' }).map((p) => p.key)).toEqual([
      'mysql/master/a',
      'mysql/master/a/hostname',
      'mysql/master/a/port',
      'mysql/master/a/ipv6',
    ]);
  });

  it('writes nothing for an empty alias, like orchestrator', () => {
    expect(clusterMasterPairs({ alias: '', host: 'h', port: 1 })).toEqual([]);
  });

  it('uses a custom prefix, normalized', () => {
    expect(clusterMasterPairs({ alias: 'a', host: 'h', port: 1 }, 'db/primaries/')[0]).toEqual({
      key: 'db/primaries/a',
      value: 'h:1',
    });
    expect(clusterMasterPairs({ alias: 'a', host: 'h', port: 1 }, '/')[0]).toEqual({ key: 'a', value: 'h:1' });
  });

  it('refuses a bad port or host, naming the cluster', () => {
    expect(() => clusterMasterPairs({ alias: 'a', host: 'h', port: 0 })).toThrow(/port of cluster "a"/);
    expect(() => clusterMasterPairs({ alias: 'a', host: ' h', port: 1 })).toThrow(KvError);
    expect(() => clusterMasterPairs({ alias: 'a b ', host: 'h', port: 1 })).toThrow(KvError);
  });
});

describe('normalizeMasterPrefix', () => {
  it('ends with a slash, like orchestrator, and drops leading slashes', () => {
    expect(normalizeMasterPrefix()).toBe('mysql/master/');
    expect(normalizeMasterPrefix('mysql/master/')).toBe('mysql/master/');
    expect(normalizeMasterPrefix('/mysql/master')).toBe('mysql/master/');
    expect(normalizeMasterPrefix('/')).toBe('');
    expect(normalizeMasterPrefix('')).toBe('');
    expect(() => normalizeMasterPrefix('a//b')).toThrow(KvError);
  });

  it('finds the alias of a key', () => {
    expect(clusterAliasOfKey('mysql/master/shop/port')).toBe('shop');
    expect(clusterAliasOfKey('mysql/master/shop')).toBe('shop');
    expect(clusterAliasOfKey('other/shop')).toBeUndefined();
  });
});

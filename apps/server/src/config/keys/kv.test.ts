import { describe, expect, it } from '@jest/globals';
import { isKvError, validateKvConfig, type KvError } from '@orc/kv';
import type { ConfigIo, KeyValues } from '../key-spec.js';
import { buildKvConfig, kvKeys } from './kv.js';

/** Every key at its default, then `overrides`: what the loader hands over after checking. */
const valuesWith = (overrides: KeyValues = {}): KeyValues => ({
  ...Object.fromEntries(kvKeys.map((k) => [k.key, k.default])),
  ...overrides,
});
const files = (map: Record<string, string>): ConfigIo => ({
  readFile: (path) => {
    const text = map[path];
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return text;
  },
});
const noFiles = files({});

function kvErrorOf(fn: () => unknown): KvError {
  try {
    fn();
  } catch (err) {
    if (isKvError(err)) return err;
    throw err;
  }
  throw new Error('expected a KvError, but nothing was thrown');
}

describe('kvKeys', () => {
  it("names orchestrator's KV keys with orchestrator's defaults, each default passing its check", () => {
    const byKey = Object.fromEntries(kvKeys.map((k) => [k.key, k]));
    expect(Object.fromEntries(kvKeys.filter((k) => k.orcOnly !== true).map((k) => [k.key, k.default]))).toEqual({
      KVClusterMasterPrefix: 'mysql/master',
      ConsulAddress: '',
      ConsulScheme: 'http',
      ConsulAclToken: '',
      ConsulCrossDataCenterDistribution: false,
      ConsulKVStoreProvider: 'consul',
      ConsulMaxKVsPerTransaction: 5,
      ZkAddress: '',
    });
    expect(kvKeys.filter((k) => k.orcOnly === true).map((k) => k.key)).toEqual([
      'ConsulCACertFile',
      'EtcdEndpoints',
      'EtcdUsername',
      'EtcdPassword',
      'EtcdCACertFile',
    ]);
    expect(kvKeys.filter((k) => k.secret === true).map((k) => k.key)).toEqual(['ConsulAclToken', 'EtcdPassword']);
    expect(new Set(kvKeys.map((k) => k.key)).size).toBe(kvKeys.length);
    for (const k of kvKeys) {
      expect([k.key, k.owner, k.check(k.default)]).toEqual([k.key, 'kv', undefined]);
      expect(k.doc).not.toBe('');
    }
    expect(byKey['ConsulScheme']?.check('ftp')).toMatch(/one of http, https/);
    expect(byKey['EtcdEndpoints']?.check(['http://a:2379'])).toBeUndefined();
    expect(byKey['EtcdEndpoints']?.check(2379)).toMatch(/comma-separated/);
  });
});

describe('buildKvConfig', () => {
  it('with every default, configures no external store and keeps the prefix', () => {
    const input = buildKvConfig(valuesWith(), noFiles);
    expect(input).toEqual({ masterPrefix: 'mysql/master' });
    expect(validateKvConfig(input)).toMatchObject({
      masterPrefix: 'mysql/master/',
      consul: undefined,
      etcd: undefined,
    });
  });

  it('maps every key onto the typed config, reading CA files through io', () => {
    const input = buildKvConfig(
      valuesWith({
        KVClusterMasterPrefix: 'db/primary',
        ConsulAddress: '127.0.0.1:8500',
        ConsulScheme: 'https',
        ConsulAclToken: ' t0ken',
        ConsulCrossDataCenterDistribution: true,
        ConsulKVStoreProvider: 'consul_txn',
        ConsulMaxKVsPerTransaction: 10,
        ConsulCACertFile: '/etc/orc/consul-ca.pem',
        ZkAddress: 'zk1,zk2:2182',
        EtcdEndpoints: 'http://10.0.0.1:2379, http://10.0.0.2:2379',
        EtcdUsername: 'orc',
        EtcdPassword: 'pw ',
        EtcdCACertFile: '/etc/orc/etcd-ca.pem',
      }),
      files({ '/etc/orc/consul-ca.pem': 'CONSUL PEM', '/etc/orc/etcd-ca.pem': 'ETCD PEM' }),
    );
    const config = validateKvConfig(input);
    expect(config.masterPrefix).toBe('db/primary/');
    expect(config.consul).toMatchObject({
      address: '127.0.0.1:8500',
      scheme: 'https',
      aclToken: ' t0ken',
      caCert: 'CONSUL PEM',
      crossDataCenterDistribution: true,
      provider: 'consul-txn',
      maxKvsPerTransaction: 10,
    });
    expect(config.zookeeper?.connectString).toBe('zk1,zk2:2182');
    expect(config.etcd).toMatchObject({
      endpoints: ['http://10.0.0.1:2379', 'http://10.0.0.2:2379'],
      username: 'orc',
      password: 'pw ',
      caCert: 'ETCD PEM',
    });
  });

  it('takes EtcdEndpoints as a list too, and ignores CA files of stores that are off', () => {
    const input = buildKvConfig(
      valuesWith({ EtcdEndpoints: ['http://a:2379'], ConsulCACertFile: '/missing.pem' }),
      noFiles,
    );
    expect(input.etcd?.endpoints).toEqual(['http://a:2379']);
    expect(input.consul).toBeUndefined();
  });

  it('reports every CA file it cannot read at once, by key', () => {
    const err = kvErrorOf(() =>
      buildKvConfig(
        valuesWith({
          ConsulAddress: 'c:8500',
          ConsulCACertFile: '/nope/consul.pem',
          EtcdEndpoints: 'http://a:2379',
          EtcdCACertFile: '/nope/etcd.pem',
        }),
        noFiles,
      ),
    );
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.retryable).toBe(false);
    expect(err.details).toEqual([
      { path: 'ConsulCACertFile', message: expect.stringContaining('/nope/consul.pem') },
      { path: 'EtcdCACertFile', message: expect.stringContaining('/nope/etcd.pem') },
    ]);
  });

  it('leaves value checks that need the whole config to validateKvConfig', () => {
    const input = buildKvConfig(valuesWith({ EtcdEndpoints: '10.0.0.1:2379', EtcdUsername: 'orc' }), noFiles);
    expect(kvErrorOf(() => validateKvConfig(input)).details.map((d) => d.path)).toEqual([
      'etcd.endpoints.0',
      'etcd.password',
    ]);
  });
});

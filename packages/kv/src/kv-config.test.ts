import { describe, it, expect } from '@jest/globals';
import { kvErrorOf } from '../test/support/kv-error-of.js';
import { validateKvConfig } from './kv-config.js';

describe('validateKvConfig', () => {
  it('fills defaults: no external store, orchestrator prefix, reconciler comparing it', () => {
    const c = validateKvConfig();
    expect(c).toMatchObject({
      masterPrefix: 'mysql/master/',
      fanoutTimeoutMs: 10_000,
      consul: undefined,
      zookeeper: undefined,
      etcd: undefined,
    });
    expect(c.reconcile.prefixes).toEqual(['mysql/master/']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('clamps ConsulMaxKVsPerTransaction to [5, 64] and takes either Consul provider', () => {
    expect(
      validateKvConfig({ consul: { address: 'c:8500', maxKvsPerTransaction: 1 } }).consul?.maxKvsPerTransaction,
    ).toBe(5);
    expect(
      validateKvConfig({ consul: { address: 'c:8500', maxKvsPerTransaction: 500 } }).consul?.maxKvsPerTransaction,
    ).toBe(64);
    expect(validateKvConfig({ consul: { address: 'c:8500', provider: 'consul-txn' } }).consul?.provider).toBe(
      'consul-txn',
    );
  });

  it('reports every problem at once, each with its path', () => {
    const err = kvErrorOf(() =>
      validateKvConfig({
        masterPrefix: 'a//b',
        fanoutTimeoutMs: -1,
        consul: { address: 'http://x:8500', scheme: 'ftp', provider: 'vault' },
        zookeeper: { connectString: 'zk1,,zk2' },
        etcd: { endpoints: ['127.0.0.1:2379'], username: 'u' },
        reconcile: { concurrency: 0 },
      }),
    );
    expect(err.code).toBe('INVALID_CONFIG');
    expect(err.details.map((d) => d.path).sort()).toEqual(
      [
        'consul.address',
        'consul.provider',
        'consul.scheme',
        'etcd.endpoints.0',
        'etcd.password',
        'fanoutTimeoutMs',
        'masterPrefix',
        'reconcile.concurrency',
        'zookeeper.connectString',
      ].sort(),
    );
  });

  it('takes etcd endpoints as a list of URLs (apps/server splits orchestrator-style strings)', () => {
    expect(validateKvConfig({ etcd: { endpoints: ['http://a:2379', 'https://b:2379'] } }).etcd?.endpoints).toEqual([
      'http://a:2379',
      'https://b:2379',
    ]);
    const err = kvErrorOf(() => validateKvConfig({ etcd: { endpoints: 'http://a:2379' as unknown as string[] } }));
    expect(err.details).toEqual([{ path: 'etcd.endpoints', message: expect.stringContaining('list') }]);
    expect(err.retryable).toBe(false);
  });
});

import { describe, it, expect } from '@jest/globals';
import type { KvError } from './errors.js';
import { validateKvConfig } from './kv-config.js';
import { kvConfigFromOrchestrator } from './orchestrator-config.js';

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

  it('clamps ConsulMaxKVsPerTransaction to [5, 64] and accepts consul_txn', () => {
    expect(
      validateKvConfig({ consul: { address: 'c:8500', maxKvsPerTransaction: 1 } }).consul?.maxKvsPerTransaction,
    ).toBe(5);
    expect(
      validateKvConfig({ consul: { address: 'c:8500', maxKvsPerTransaction: 500 } }).consul?.maxKvsPerTransaction,
    ).toBe(64);
    expect(validateKvConfig({ consul: { address: 'c:8500', provider: 'consul_txn' } }).consul?.provider).toBe(
      'consul-txn',
    );
  });

  it('reports every problem at once, each with its path', () => {
    let err: KvError | undefined;
    try {
      validateKvConfig({
        masterPrefix: 'a//b',
        fanoutTimeoutMs: -1,
        consul: { address: 'http://x:8500', scheme: 'ftp', provider: 'vault' },
        zookeeper: { connectString: 'zk1,,zk2' },
        etcd: { endpoints: ['127.0.0.1:2379'], username: 'u' },
        reconcile: { concurrency: 0 },
      });
    } catch (e) {
      err = e as KvError;
    }
    expect(err?.code).toBe('INVALID_CONFIG');
    expect(err?.details.map((d) => d.path).sort()).toEqual(
      [
        'consul.address',
        'consul.provider',
        'consul.scheme',
        'etcd.endpoints[0]',
        'etcd.password',
        'fanoutTimeoutMs',
        'masterPrefix',
        'reconcile.concurrency',
        'zookeeper.connectString',
      ].sort(),
    );
  });

  it('splits a comma-separated etcd endpoint list', () => {
    expect(validateKvConfig({ etcd: { endpoints: 'http://a:2379, https://b:2379' } }).etcd?.endpoints).toEqual([
      'http://a:2379',
      'https://b:2379',
    ]);
  });
});

describe('kvConfigFromOrchestrator', () => {
  it("maps orchestrator's keys; a store is on when its address is set", () => {
    const input = kvConfigFromOrchestrator(
      {
        ConsulAddress: '127.0.0.1:8500',
        ConsulScheme: 'https',
        ConsulAclToken: 't',
        ConsulCrossDataCenterDistribution: true,
        ConsulKVStoreProvider: 'consul-txn',
        ConsulMaxKVsPerTransaction: 10,
        ZkAddress: '',
        KVClusterMasterPrefix: 'db/primary',
        EtcdEndpoints: 'http://127.0.0.1:2379',
        EtcdUsername: 'orc',
        EtcdPassword: 'pw',
        EtcdCACertFile: '/etc/orc/etcd-ca.pem',
      },
      (path) => `PEM from ${path}`,
    );
    const c = validateKvConfig(input);
    expect(c.masterPrefix).toBe('db/primary/');
    expect(c.consul).toMatchObject({
      address: '127.0.0.1:8500',
      scheme: 'https',
      aclToken: 't',
      crossDataCenterDistribution: true,
      provider: 'consul-txn',
      maxKvsPerTransaction: 10,
    });
    expect(c.zookeeper).toBeUndefined();
    expect(c.etcd).toMatchObject({
      endpoints: ['http://127.0.0.1:2379'],
      username: 'orc',
      password: 'pw',
      caCert: 'PEM from /etc/orc/etcd-ca.pem',
    });
  });

  it('needs a file reader only when a CA file is named', () => {
    expect(kvConfigFromOrchestrator({ ZkAddress: 'zk1' })).toEqual({ zookeeper: { connectString: 'zk1' } });
    expect(() => kvConfigFromOrchestrator({ ConsulAddress: 'c:1', ConsulCACertFile: '/x' })).toThrow(/readFile/);
  });
});

// Every KvStore this package ships, through one contract (test/support/kv-store-contract.ts):
// the internal store over a MemoryKvTable, the Consul store against a TEST SERVER that speaks
// Consul's HTTP API (test/consul-test-server.ts; no Consul can be installed here), and the
// ZooKeeper and etcd stores against real servers started by @orc/testenv.
import { startEtcd, startZooKeeper } from '@orc/testenv';
import {
  ConsulKvStore,
  EtcdKvStore,
  InternalKvStore,
  MemoryKvTable,
  ZooKeeperKvStore,
  type KvStore,
} from '../src/index.js';
import { startConsulTestServer } from './consul-test-server.js';
import { describeKvStoreContract, type ContractSubject, type KvStoreFactory } from './support/kv-store-contract.js';

/** A subject whose `connect` makes clients with `open`, all closed (then `remove` run) by destroy. */
function subjectOf(
  open: () => KvStore,
  server: ContractSubject['server'],
  remove: () => Promise<void>,
): ContractSubject {
  const clients: KvStore[] = [];
  const connect = (): KvStore => {
    const client = open();
    clients.push(client);
    return client;
  };
  return {
    store: connect(),
    connect,
    ...(server === undefined ? {} : { server }),
    destroy: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await remove();
    },
  };
}

const factories: readonly KvStoreFactory[] = [
  {
    title: 'internal store (over a MemoryKvTable)',
    hasServer: false,
    start: async () => {
      const table = new MemoryKvTable();
      return subjectOf(
        () => new InternalKvStore({ table }),
        undefined,
        async () => {},
      );
    },
  },
  {
    title: "Consul store (against a test server speaking Consul's HTTP API, not Consul)",
    hasServer: true,
    start: async () => {
      const server = await startConsulTestServer();
      return subjectOf(
        () => new ConsulKvStore({ address: server.address, requestTimeoutMs: 2000 }),
        server,
        () => server.stop(),
      );
    },
  },
  {
    title: 'ZooKeeper store (real ZooKeeper)',
    hasServer: true,
    start: async () => {
      const server = await startZooKeeper({ tickTimeMs: 500 });
      return subjectOf(
        () =>
          new ZooKeeperKvStore({
            connectString: server.connectString,
            sessionTimeoutMs: 4000,
            requestTimeoutMs: 3000,
          }),
        server,
        () => server.destroy(),
      );
    },
  },
  {
    title: 'etcd store (real etcd)',
    hasServer: true,
    start: async () => {
      const server = await startEtcd();
      return subjectOf(
        () => new EtcdKvStore({ endpoints: [server.endpoint], requestTimeoutMs: 2000 }),
        server,
        () => server.destroy(),
      );
    },
  },
];

for (const factory of factories) describeKvStoreContract(factory);

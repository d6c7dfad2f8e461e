// What only the ZooKeeper store does, against a real ZooKeeper started by @orc/testenv: znodes as
// orchestrator lays them out, a multi per cluster, session expiry, a connection gone silent.
// What every store does is in kv-store-contract.integration.test.ts.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { loadZooKeeperClient, type ZkClient, type ZkModule } from '../src/zookeeper/zk-client.js';
import { startZooKeeper, type ZooKeeperServer } from '@orc/testenv';
import { rejectionOf, waitFor } from '@orc/testkit';
import { ZooKeeperKvStore, clusterMasterPairs, isKvError, type KvError } from '../src/index.js';

const rejection = (p: Promise<unknown>): Promise<KvError> => rejectionOf(p, isKvError);

const shop = clusterMasterPairs({ alias: 'shop', host: 'db2.example', port: 3306, ipv4: '10.0.0.2', ipv6: 'fe80::2' });

let server: ZooKeeperServer;
let store: ZooKeeperKvStore;
let zookeeper: ZkModule;

/** A raw client to look behind the store's back. */
function rawClient(): Promise<ZkClient> {
  const c = zookeeper.createClient(server.connectString, { sessionTimeout: 4000 });
  return new Promise((resolve) => {
    c.once('connected', () => resolve(c));
    c.connect();
  });
}

beforeAll(async () => {
  zookeeper = await loadZooKeeperClient();
  server = await startZooKeeper({ tickTimeMs: 500 });
  store = new ZooKeeperKvStore({ connectString: server.connectString, sessionTimeoutMs: 4000, requestTimeoutMs: 3000 });
}, 90_000);

afterAll(async () => {
  await store?.close();
  await server?.destroy();
}, 30_000);

describe('ZooKeeperKvStore (real ZooKeeper)', () => {
  it('writes orchestrator znodes, creating parents, and reads them back', async () => {
    await store.putMany(shop);
    expect(await store.get('mysql/master/shop')).toBe('db2.example:3306');
    expect(await store.get('mysql/master/shop/port')).toBe('3306');
    expect(await store.get('mysql/master')).toBeUndefined();
    expect(await store.list('mysql/master/')).toEqual([...shop].sort((a, b) => (a.key < b.key ? -1 : 1)));
    const raw = await rawClient();
    const data = await new Promise<string>((resolve, reject) =>
      raw.getData('/mysql/master/shop/hostname', (e, d) => (e ? reject(e) : resolve(String(d)))),
    );
    raw.close();
    expect(data).toBe('db2.example');
  });

  it("a cluster's pairs are one multi: when one op fails nothing is written", async () => {
    const raw = await rawClient();
    await new Promise<void>((resolve, reject) =>
      raw.create('/mysql/master/eph', Buffer.from('old:1'), zookeeper.ACL.OPEN_ACL_UNSAFE, 1 /* EPHEMERAL */, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    const err = await rejection(store.putMany(clusterMasterPairs({ alias: 'eph', host: 'new', port: 2 })));
    expect(err.store).toBe('zookeeper');
    expect(err.key).toBe('mysql/master/eph');
    expect(await store.get('mysql/master/eph')).toBe('old:1');
    expect(await store.get('mysql/master/eph/hostname')).toBeUndefined();
    raw.close();
  });

  it('opens a new session after its session expires, and keeps writing', async () => {
    await store.put('expiry/before', '1');
    const opened = store.session.sessionsOpened;
    const oldId = store.session.sessionId;
    // A second connection takes over the session and closes it: the server expires it, which is
    // how ZooKeeper's own tests expire a client's session. The store's own client may reconnect
    // in between and take the session back before the close is sent (the close then goes
    // nowhere), so the takeover is repeated while the old session still lives.
    const expireCurrentSession = async (): Promise<void> => {
      const client = store.session.client;
      if (client === undefined || store.session.sessionId !== oldId) return;
      const clone = zookeeper.createClient(server.connectString, {
        sessionTimeout: 4000,
        sessionId: client.getSessionId(),
        sessionPassword: client.getSessionPassword(),
      });
      // Connected (takeover done) or expired (the session is gone already); bounded either way.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3000);
        const done = (): void => {
          clearTimeout(timer);
          resolve();
        };
        clone.once('connected', done);
        clone.once('expired', done);
        clone.connect();
      });
      clone.close();
    };
    await waitFor('a new session', async () => {
      await expireCurrentSession();
      await store.put('expiry/after', '2');
      return store.session.sessionsOpened > opened;
    });
    expect(store.session.sessionId).not.toBe(oldId);
    expect(await store.get('expiry/after')).toBe('2');
  }, 30_000);

  it('drops a connection that goes silent and carries on over a new one', async () => {
    // A relay between the store and ZooKeeper whose connections can be frozen: bytes from the
    // server are no longer passed on, the socket stays open (a half-dead network path).
    const frozen = new Set<Socket>();
    const relay = createServer((downstream) => {
      const upstream = connect(server.port, server.host);
      upstream.on('data', (chunk) => {
        if (!frozen.has(downstream)) downstream.write(chunk);
      });
      downstream.on('data', (chunk) => upstream.write(chunk));
      const end = (): void => {
        upstream.destroy();
        downstream.destroy();
      };
      upstream.on('error', end).on('close', end);
      downstream.on('error', end).on('close', end);
      sockets.push(downstream);
    });
    const sockets: Socket[] = [];
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as AddressInfo).port;
    const relayed = new ZooKeeperKvStore({
      connectString: `127.0.0.1:${port}`,
      sessionTimeoutMs: 30_000,
      requestTimeoutMs: 1000,
    });
    try {
      await relayed.put('silent/before', '1');
      for (const socket of sockets) frozen.add(socket);
      // Without a bound on silence this request, and every later one, would wait forever.
      const err = await rejection(relayed.put('silent/during', '2'));
      expect(err.code).toBe('TIMEOUT');
      await waitFor('a write over a new connection', async () => {
        await relayed.put('silent/after', '3');
        return true;
      });
      expect(await store.get('silent/after')).toBe('3');
    } finally {
      await relayed.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    }
  }, 30_000);
});

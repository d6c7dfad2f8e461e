// What only the Consul store does, against the in-process Consul TEST SERVER
// (test/consul-test-server.ts), which speaks the documented subset of Consul's HTTP API; no Consul
// server can be installed here. What every store does is in kv-store-contract.integration.test.ts.
import { describe, it, expect, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { rejectionOf } from '@orc/testkit';
import { ConsulKvStore, clusterMasterPairs, isKvError, type KvError } from '../src/index.js';
import { startConsulTestServer, type ConsulTestServer } from './consul-test-server.js';

const shop = clusterMasterPairs({ alias: 'shop', host: 'db2.example', port: 3306, ipv4: '10.0.0.2', ipv6: 'fe80::2' });
const stores: ConsulKvStore[] = [];
const servers: ConsulTestServer[] = [];

async function setup(
  serverOptions: Parameters<typeof startConsulTestServer>[0] = {},
  storeOptions: Partial<ConstructorParameters<typeof ConsulKvStore>[0]> = {},
) {
  const server = await startConsulTestServer(serverOptions);
  servers.push(server);
  const store = new ConsulKvStore({ address: server.address, requestTimeoutMs: 2000, ...storeOptions });
  stores.push(store);
  return { server, store };
}

const rejection = (p: Promise<unknown>): Promise<KvError> => rejectionOf(p, isKvError);

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await Promise.all(servers.map((s) => s.stop()));
});

describe("ConsulKvStore (against a test server speaking Consul's HTTP API, not Consul)", () => {
  it('keeps flags and ModifyIndex, and honours cas', async () => {
    const { store } = await setup();
    expect(await store.putEntry('k', 'v1', { flags: 42 })).toBe(true);
    const e1 = await store.getEntry('k');
    expect(e1).toMatchObject({ key: 'k', value: 'v1', flags: 42 });
    expect(await store.putEntry('k', 'v2', { cas: (e1?.modifyIndex ?? 0) + 100 })).toBe(false);
    expect(await store.putEntry('k', 'v2', { cas: e1?.modifyIndex ?? 0 })).toBe(true);
    const e2 = await store.getEntry('k');
    expect(e2?.value).toBe('v2');
    expect(e2?.createIndex).toBe(e1?.createIndex);
    expect(e2?.modifyIndex).toBeGreaterThan(e1?.modifyIndex ?? 0);
    expect(await store.putEntry('new', 'x', { cas: 0 })).toBe(true);
    expect(await store.putEntry('new', 'y', { cas: 0 })).toBe(false);
  });

  it('writes each cluster in one /v1/txn', async () => {
    const { server, store } = await setup();
    const pairs = ['a', 'b', 'c'].flatMap((alias) =>
      clusterMasterPairs({ alias, host: `${alias}-db`, port: 3306, ipv4: '10.0.0.1', ipv6: '::1' }),
    );
    await store.putMany(pairs);
    expect(server.stats.txns).toBe(3);
    expect(server.values().get('mysql/master/b/hostname')).toBe('b-db');
  });

  it('packs whole clusters up to ConsulMaxKVsPerTransaction', async () => {
    const { server, store } = await setup({}, { maxKvsPerTransaction: 12 });
    const pairs = ['a', 'b', 'c', 'd', 'e'].flatMap((alias) =>
      clusterMasterPairs({ alias, host: `${alias}-db`, port: 3306, ipv4: '10.0.0.1', ipv6: '::1' }),
    );
    await store.putMany(pairs);
    // 25 pairs, 5 per cluster, at most 12 per transaction: 10 + 10 + 5.
    expect(server.stats.txns).toBe(3);
    expect(server.values().size).toBe(25);
  });

  it('a rolled-back transaction leaves nothing half-written and names the key', async () => {
    const { server, store } = await setup();
    server.failTransactionsOn('mysql/master/shop/port');
    const err = await rejection(store.putMany(shop));
    expect(err.code).toBe('TRANSACTION_FAILED');
    expect(err.message).toContain('mysql/master/shop/port');
    expect(server.values().size).toBe(0);
  });

  it('sends no request at all for input it refuses', async () => {
    const { server, store } = await setup();
    const before = server.stats.requests;
    const big = await rejection(
      store.putMany([...shop, { key: 'mysql/master/blob', value: 'x'.repeat(512 * 1024 + 1) }]),
    );
    expect(big).toMatchObject({ code: 'VALUE_TOO_LARGE', key: 'mysql/master/blob', store: 'consul' });
    expect((await rejection(store.put('mysql//master', 'x'))).code).toBe('INVALID_KEY');
    expect(server.stats.requests).toBe(before);
  });

  it('sends the ACL token; a wrong one is refused with UNAUTHORIZED', async () => {
    const { server, store } = await setup({ token: 's3cret' }, { aclToken: 's3cret' });
    await store.putMany(shop);
    expect(server.values().get('mysql/master/shop')).toBe('db2.example:3306');
    const wrong = new ConsulKvStore({ address: server.address, aclToken: 'nope' });
    stores.push(wrong);
    const err = await rejection(wrong.get('mysql/master/shop'));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.retryable).toBe(false);
    const res = await request(`http://${server.address}/v1/kv/mysql/master/shop`);
    expect(res.statusCode).toBe(403);
    await res.body.dump();
  });

  it('distributes to every data center, writing only what differs', async () => {
    const { server, store } = await setup(
      { datacenters: ['dc1', 'dc2', 'dc3'] },
      { crossDataCenterDistribution: true },
    );
    expect(await store.datacenters()).toEqual(['dc1', 'dc2', 'dc3']);
    for (const p of shop) server.seed('dc2', p.key, p.value);
    server.seed('dc3', 'mysql/master/shop', 'db1.example:3306');
    await store.putMany(shop);
    for (const dc of ['dc1', 'dc2', 'dc3']) expect(server.values(dc).get('mysql/master/shop')).toBe('db2.example:3306');
    expect(server.stats.kvWrites.get('dc1')).toBe(5);
    expect(server.stats.kvWrites.get('dc2') ?? 0).toBe(0);
    expect(server.stats.kvWrites.get('dc3')).toBe(5);
  });

  it('speaks https with a given CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orc-kv-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const key = readFileSync(join(dir, 'key.pem'), 'utf8');
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const { server, store } = await setup({ tls: { key, cert } }, { scheme: 'https', caCert: cert });
      await store.putMany(shop);
      expect(server.values().get('mysql/master/shop/ipv6')).toBe('fe80::2');
      const untrusting = new ConsulKvStore({ address: server.address, scheme: 'https' });
      stores.push(untrusting);
      expect((await rejection(untrusting.get('mysql/master/shop'))).code).toBe('UNAVAILABLE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a hung server is bounded by the request timeout', async () => {
    const { server } = await setup();
    const store = new ConsulKvStore({ address: server.address, requestTimeoutMs: 300 });
    stores.push(store);
    server.hang(true);
    expect((await rejection(store.get('k'))).code).toBe('TIMEOUT');
    server.hang(false);
  });

  describe('the Consul test server itself', () => {
    it('answers ?keys with a separator, a failing txn get with 409 and Errors, and delete-cas by ModifyIndex', async () => {
      const { server } = await setup();
      server.seed('dc1', 'mysql/master/a', 'x:1');
      server.seed('dc1', 'mysql/master/a/port', '1');
      server.seed('dc1', 'mysql/master/b', 'y:2');
      const base = `http://${server.address}`;
      const keys = await request(`${base}/v1/kv/mysql/master/?keys&separator=/`);
      expect(await keys.body.json()).toEqual(['mysql/master/a', 'mysql/master/a/', 'mysql/master/b']);
      const entry = (await (await request(`${base}/v1/kv/mysql/master/b`)).body.json()) as {
        ModifyIndex: number;
        Value: string;
      }[];
      expect(Buffer.from(entry[0]?.Value ?? '', 'base64').toString()).toBe('y:2');
      const txn = (ops: unknown[]) => request(`${base}/v1/txn`, { method: 'PUT', body: JSON.stringify(ops) });
      const failed = await txn([
        { KV: { Verb: 'set', Key: 'z', Value: Buffer.from('1').toString('base64') } },
        { KV: { Verb: 'get', Key: 'missing' } },
      ]);
      expect(failed.statusCode).toBe(409);
      expect(((await failed.body.json()) as { Errors: { OpIndex: number }[] }).Errors[0]?.OpIndex).toBe(1);
      expect(server.values().has('z')).toBe(false);
      const stale = await txn([
        { KV: { Verb: 'delete-cas', Key: 'mysql/master/b', Index: (entry[0]?.ModifyIndex ?? 0) + 1 } },
      ]);
      expect(stale.statusCode).toBe(409);
      await stale.body.dump();
      const ok = await txn([{ KV: { Verb: 'delete-cas', Key: 'mysql/master/b', Index: entry[0]?.ModifyIndex ?? 0 } }]);
      expect(ok.statusCode).toBe(200);
      await ok.body.dump();
      expect(server.values().has('mysql/master/b')).toBe(false);
      const unknownDc = await request(`${base}/v1/kv/a?dc=nowhere`);
      expect(unknownDc.statusCode).toBe(500);
      await unknownDc.body.dump();
    });
  });
});

import { describe, it, expect } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { MemoryKvTable } from './internal/memory-kv-table.js';
import { validateKvConfig } from './kv-config.js';
import { createKvPublisher } from './kv-publisher.js';

describe('createKvPublisher', () => {
  it('with no external store, publishes to the internal table', async () => {
    const table = new MemoryKvTable();
    const kv = createKvPublisher(validateKvConfig({ masterPrefix: 'db/primary' }), {
      table,
      clock: new ManualClock(),
    });
    const result = await kv.publishMaster({ alias: 'shop', host: 'db2', port: 3306, ipv4: '10.0.0.2' });
    expect(result.outcomes.map((o) => [o.store, o.ok])).toEqual([['internal', true]]);
    expect(await table.list('db/primary/shop')).toEqual([
      { key: 'db/primary/shop', value: 'db2:3306' },
      { key: 'db/primary/shop/hostname', value: 'db2' },
      { key: 'db/primary/shop/ipv4', value: '10.0.0.2' },
      { key: 'db/primary/shop/port', value: '3306' },
    ]);
    expect(kv.external).toEqual([]);
    await kv.close();
  });

  it('builds one store per configured section, in order consul, zookeeper, etcd', async () => {
    const kv = createKvPublisher(
      validateKvConfig({
        consul: { address: '127.0.0.1:1' },
        zookeeper: { connectString: '127.0.0.1:1' },
        etcd: { endpoints: ['http://127.0.0.1:1'] },
      }),
      { table: new MemoryKvTable(), clock: new ManualClock() },
    );
    expect(kv.fanout.stores.map((s) => s.name)).toEqual(['internal', 'consul', 'zookeeper', 'etcd']);
    await kv.close();
  });
});

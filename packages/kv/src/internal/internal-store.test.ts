import { describe, it, expect } from '@jest/globals';
import type { KvTable } from './kv-table.js';
import { InternalKvStore } from './internal-store.js';
import { MemoryKvTable } from './memory-kv-table.js';

describe('InternalKvStore', () => {
  it('puts many pairs in one table call, and reads them back by prefix', async () => {
    const table = new MemoryKvTable();
    const puts: number[] = [];
    const spy: KvTable = {
      ...bind(table),
      put: async (pairs) => {
        puts.push(pairs.length);
        await table.put(pairs);
      },
    };
    const store = new InternalKvStore({ table: spy });
    await store.putMany([
      { key: 'mysql/master/b', value: '2' },
      { key: 'mysql/master/a', value: '1' },
      { key: 'other', value: '3' },
    ]);
    expect(puts).toEqual([3]);
    expect(await store.list('mysql/master/')).toEqual([
      { key: 'mysql/master/a', value: '1' },
      { key: 'mysql/master/b', value: '2' },
    ]);
    await store.delete('other');
    expect(await store.get('other')).toBeUndefined();
  });

  it('wraps a table failure as UNAVAILABLE naming the store, and refuses use after close', async () => {
    const broken: KvTable = {
      put: () => Promise.reject(new Error('database is locked')),
      get: () => Promise.reject(new Error('database is locked')),
      list: () => Promise.reject(new Error('x')),
      delete: () => Promise.reject(new Error('x')),
    };
    const store = new InternalKvStore({ table: broken });
    await expect(store.put('k', 'v')).rejects.toMatchObject({ code: 'UNAVAILABLE', store: 'internal' });
    await expect(store.ping()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

function bind(table: MemoryKvTable): KvTable {
  return {
    put: (p) => table.put(p),
    get: (k) => table.get(k),
    list: (p) => table.list(p),
    delete: (k) => table.delete(k),
  };
}

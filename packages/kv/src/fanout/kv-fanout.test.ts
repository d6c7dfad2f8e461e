import { describe, it, expect } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { FakeKvStore } from '../../test/support/fake-kv-store.js';
import { advance } from '../../test/support/settle.js';
import { KvError } from '../errors.js';
import { clusterMasterPairs } from '../layout/master-pairs.js';
import { KvFanout, type KvStoreOutcome } from './kv-fanout.js';

const pairs = clusterMasterPairs({ alias: 'shop', host: 'db2', port: 3306, ipv4: '10.0.0.2' });

describe('KvFanout', () => {
  it('writes every store and reports each outcome with its duration', async () => {
    const clock = new ManualClock();
    const a = new FakeKvStore('internal');
    const b = new FakeKvStore('zookeeper');
    const result = await new KvFanout({ stores: [a, b], clock }).putMany(pairs);
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((o) => [o.store, o.ok])).toEqual([
      ['internal', true],
      ['zookeeper', true],
    ]);
    expect(await b.get('mysql/master/shop')).toBe('db2:3306');
    expect(await a.get('mysql/master/shop/ipv4')).toBe('10.0.0.2');
  });

  it('a failing store never stops the others', async () => {
    const a = new FakeKvStore('internal');
    const down = new FakeKvStore('consul');
    const c = new FakeKvStore('etcd');
    down.isDown = true;
    const seen: KvStoreOutcome[] = [];
    const result = await new KvFanout({
      stores: [a, down, c],
      clock: new ManualClock(),
      onOutcome: (o) => seen.push(o),
    }).putMany(pairs);
    expect(result.ok).toBe(false);
    const failed = result.outcomes[1];
    expect(failed?.ok).toBe(false);
    if (failed !== undefined && !failed.ok) {
      expect(failed.error.code).toBe('UNAVAILABLE');
      expect(failed.store).toBe('consul');
    }
    expect(await c.get('mysql/master/shop')).toBe('db2:3306');
    expect(seen.map((o) => o.store).sort()).toEqual(['consul', 'etcd', 'internal']);
  });

  it('bounds a hung store by the timeout; the others are not delayed', async () => {
    const clock = new ManualClock();
    const a = new FakeKvStore('internal');
    const hung = new FakeKvStore('zookeeper');
    hung.hang();
    const fanout = new KvFanout({ stores: [a, hung], clock, timeoutMs: 5000 });
    let settled = false;
    const pending = fanout.putMany(pairs).then((r) => {
      settled = true;
      return r;
    });
    await advance(clock, 4999);
    expect(settled).toBe(false);
    expect(await a.get('mysql/master/shop')).toBe('db2:3306');
    await advance(clock, 1);
    const result = await pending;
    const [okOutcome, timedOut] = result.outcomes;
    expect(okOutcome?.ok).toBe(true);
    expect(timedOut?.ok).toBe(false);
    if (timedOut !== undefined && !timedOut.ok) {
      expect(timedOut.error.code).toBe('TIMEOUT');
      expect(timedOut.durationMs).toBe(5000);
    }
    hung.unhang();
  });

  it('refuses invalid input before writing any store', async () => {
    const small = new FakeKvStore('consul', { maxValueBytes: 4 });
    const big = new FakeKvStore('internal');
    const fanout = new KvFanout({ stores: [big, small], clock: new ManualClock() });
    await expect(
      fanout.putMany([
        { key: 'a', value: 'ok' },
        { key: 'b', value: 'too long' },
      ]),
    ).rejects.toMatchObject({ code: 'VALUE_TOO_LARGE', key: 'b', store: 'consul' });
    await expect(fanout.put('a//b', 'x')).rejects.toBeInstanceOf(KvError);
    expect(big.calls.putMany + small.calls.putMany).toBe(0);
    expect(big.table.size).toBe(0);
  });

  it('refuses two stores with one name and a bad timeout', () => {
    expect(() => new KvFanout({ stores: [new FakeKvStore('x'), new FakeKvStore('x')] })).toThrow(/unique/);
    expect(() => new KvFanout({ stores: [], timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});

import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { DIALECTS, DialectHarness, testClock } from './support/backends.js';

describe.each(DIALECTS)('KV, audit, node health, downtime and candidates on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('puts, gets, lists by prefix in byte order, and deletes KV pairs', async () => {
    const b = await h.open();
    await b.kv.put([
      { key: 'mysql/master/orders', value: 'db1:3306' },
      { key: 'mysql/master/orders/hostname', value: 'db1' },
      { key: 'mysql/master/Orders', value: 'upper' },
      { key: 'mysql/master/orders ', value: 'trailing space' },
      { key: 'mysql/mastery', value: 'not under the prefix' },
      { key: 'mysql/master/é', value: 'unicode' },
    ]);
    expect(await b.kv.get('mysql/master/orders')).toBe('db1:3306');
    expect(await b.kv.get('mysql/master/Orders')).toBe('upper');
    expect(await b.kv.get('mysql/master/orders ')).toBe('trailing space');
    expect(await b.kv.get('missing')).toBeUndefined();
    expect((await b.kv.list('mysql/master/')).map((p) => p.key)).toEqual([
      'mysql/master/Orders',
      'mysql/master/orders',
      'mysql/master/orders ',
      'mysql/master/orders/hostname',
      'mysql/master/é',
    ]);
    expect(await b.kv.list('')).toHaveLength(6);
    expect(await b.kv.list('nothing/')).toEqual([]);
    await b.kv.put([{ key: 'mysql/master/orders', value: 'db2:3306' }]);
    expect(await b.kv.get('mysql/master/orders')).toBe('db2:3306');
    await b.kv.delete('mysql/master/orders');
    await b.kv.delete('mysql/master/orders');
    expect(await b.kv.get('mysql/master/orders')).toBeUndefined();
  });

  it('writes all pairs of a put or none', async () => {
    const b = await h.open();
    await expect(
      b.kv.put([
        { key: 'a', value: '1' },
        { key: '', value: '2' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('pairs[1].key') });
    await expect(b.kv.put([{ key: 'a', value: 1 as unknown as string }])).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await b.kv.list('')).toEqual([]);
    await b.kv.put([
      { key: 'x', value: '1' },
      { key: 'x', value: '2' },
    ]);
    expect(await b.kv.get('x')).toBe('2');
  });

  it('pages through audit entries newest first, per instance too, and purges old ones', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    for (let i = 0; i < 7; i++) {
      await b.audit.append({
        auditType: 'op',
        key: { hostname: i % 2 === 0 ? 'even' : 'odd', port: 1 },
        clusterName: 'c',
        message: `m${i}`,
      });
      clock.advance(86_400_000);
    }
    const first = await b.audit.page({ limit: 3 });
    expect(first.entries.map((e) => e.message)).toEqual(['m6', 'm5', 'm4']);
    const second = await b.audit.page({ limit: 3, before: first.nextBefore as number });
    expect(second.entries.map((e) => e.message)).toEqual(['m3', 'm2', 'm1']);
    const third = await b.audit.page({ limit: 3, before: second.nextBefore as number });
    expect(third.entries.map((e) => e.message)).toEqual(['m0']);
    expect(third.nextBefore).toBeUndefined();
    expect(
      (await b.audit.page({ limit: 10, key: { hostname: 'odd', port: 1 } })).entries.map((e) => e.message),
    ).toEqual(['m5', 'm3', 'm1']);
    expect((await b.audit.page({ limit: 3, offset: 3 })).entries.map((e) => e.message)).toEqual(['m3', 'm2', 'm1']);
    expect((await b.audit.page({ limit: 3, offset: 6 })).entries.map((e) => e.message)).toEqual(['m0']);
    expect(await b.audit.purge(3)).toBe(4);
    expect((await b.audit.page({ limit: 10 })).entries).toHaveLength(3);
    await expect(b.audit.page({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps node health and lists the nodes seen recently', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    await b.nodeHealth.upsert({ hostname: 'orc1', token: 't1', appVersion: '1.0.0' });
    await b.nodeHealth.upsert({ hostname: 'orc2', token: 't2', appVersion: '1.0.0' });
    const firstSeen = clock.wallNow();
    clock.advance(10_000);
    await b.nodeHealth.upsert({ hostname: 'orc1', token: 't1', appVersion: '1.0.1', extraInfo: 'leader' });
    const healthy = await b.nodeHealth.readHealthy(5);
    expect(healthy).toHaveLength(1);
    expect(healthy[0]).toMatchObject({
      hostname: 'orc1',
      appVersion: '1.0.1',
      extraInfo: 'leader',
      firstSeenActive: firstSeen,
      lastSeenActive: clock.wallNow(),
    });
    expect((await b.nodeHealth.readHealthy(60)).map((n) => n.hostname)).toEqual(['orc1', 'orc2']);
    expect(await b.nodeHealth.expire(5)).toBe(1);
  });

  it('begins, ends and expires downtime and maintenance', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const key = { hostname: 'db1', port: 3306 };
    const d = await b.downtime.begin({ key, owner: 'ops', reason: 'upgrade', durationSeconds: 60 });
    expect(d).toMatchObject({ downtimeActive: true, endTimestamp: clock.wallNow() + 60_000 });
    expect(await b.downtime.readActive()).toEqual([d]);
    expect(await b.downtime.end(key)).toBe(true);
    expect(await b.downtime.end(key)).toBe(false);
    await b.downtime.begin({ key, owner: 'ops', reason: 'again', durationSeconds: 1 });
    clock.advance(1000);
    expect(await b.downtime.readActive()).toEqual([]);
    expect(await b.downtime.expire()).toBe(1);

    const m = {
      key,
      owner: 'ops',
      reason: 'r',
      durationSeconds: 10,
      processingNodeHostname: 'orc1',
      processingNodeToken: 't',
    };
    const first = await b.downtime.beginMaintenance(m);
    expect(first.databaseInstanceMaintenanceId).toBeGreaterThan(0);
    await expect(b.downtime.beginMaintenance(m)).rejects.toMatchObject({ code: 'CONFLICT', retryable: false });
    expect(await b.downtime.endMaintenance(key)).toBe(true);
    await b.downtime.beginMaintenance(m);
    clock.advance(11_000);
    expect(await b.downtime.expireMaintenance()).toBe(1);
    expect(await b.downtime.readActiveMaintenance()).toEqual([]);
  });

  it('registers, refreshes and expires promotion rules', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    await b.candidates.register({ hostname: 'a', port: 1 }, 'prefer');
    await b.candidates.register({ hostname: 'b', port: 1 }, 'must_not');
    clock.advance(30 * 60_000);
    await b.candidates.register({ hostname: 'a', port: 1 }, 'must', 2);
    clock.advance(40 * 60_000);
    expect(await b.candidates.expire(60)).toBe(1);
    expect(await b.candidates.readAll()).toEqual([
      { hostname: 'a', port: 1, lastSuggested: clock.wallNow() - 40 * 60_000, priority: 2, promotionRule: 'must' },
    ]);
    await expect(b.candidates.register({ hostname: 'a', port: 1 }, 'maybe' as never)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await b.candidates.unregister({ hostname: 'a', port: 1 })).toBe(true);
  });
});

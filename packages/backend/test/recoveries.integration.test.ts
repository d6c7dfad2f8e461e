import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { Backend } from '../src/index.js';
import { DIALECTS, DialectHarness, testClock } from './support/backends.js';
import { detection, recovery } from './support/fixtures.js';

describe.each(DIALECTS)('failure detections and recoveries on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('registers one active failure detection per instance until the block period ends', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const first = await b.failureDetections.register(detection('m1'), { blockPeriodMinutes: 60 });
    expect(first.registered).toBe(true);
    if (first.registered)
      expect(first.detection).toMatchObject({
        hostname: 'm1',
        analysis: 'DeadMaster',
        inActivePeriod: true,
        endActivePeriodUnixtime: 0,
      });
    expect((await b.failureDetections.register(detection('m1'), { blockPeriodMinutes: 60 })).registered).toBe(false);
    // A non-actionable detection of the same instance is a different kind.
    expect(
      (
        await b.failureDetections.register(detection('m1', { isActionable: false, analysis: 'UnreachableMaster' }), {
          blockPeriodMinutes: 60,
        })
      ).registered,
    ).toBe(true);
    expect((await b.failureDetections.register(detection('m2'), { blockPeriodMinutes: 60 })).registered).toBe(true);
    clock.advance(61 * 60_000);
    expect((await b.failureDetections.register(detection('m1'), { blockPeriodMinutes: 60 })).registered).toBe(true);
    clock.advance(1000);
    // The expiry above ended both older m1 detections; only the new one is active.
    expect(await b.failureDetections.clear({ key: { hostname: 'm1', port: 3306 } })).toBe(1);
    expect((await b.failureDetections.register(detection('m1'), { blockPeriodMinutes: 60 })).registered).toBe(true);
    expect((await b.failureDetections.readRecent({ limit: 10 })).map((d) => d.hostname)).toEqual([
      'm1',
      'm1',
      'm2',
      'm1',
      'm1',
    ]);
  });

  it('lets only one of many concurrent detections of an instance win', async () => {
    const b = await h.open();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => b.failureDetections.register(detection('c1'), { blockPeriodMinutes: 60 })),
    );
    expect(outcomes.filter((o) => o.registered)).toHaveLength(1);
  });

  it('blocks a second recovery of the instance, of its cluster, and of the instance it promoted', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const r1 = await b.recoveries.register(recovery('m1', { uid: 'u1' }), { blockPeriodSeconds: 3600 });
    expect(r1.registered).toBe(true);
    if (!r1.registered) return;
    expect(r1.recovery).toMatchObject({
      uid: 'u1',
      hostname: 'm1',
      inActivePeriod: true,
      acknowledged: false,
      endRecovery: null,
      successorHostname: null,
    });

    const sameInstance = await b.recoveries.register(recovery('m1'), { blockPeriodSeconds: 3600 });
    expect(sameInstance).toMatchObject({ registered: false, blockedBy: { uid: 'u1' } });
    const sameCluster = await b.recoveries.register(recovery('r9', { clusterName: 'm1:3306' }), {
      blockPeriodSeconds: 3600,
    });
    expect(sameCluster).toMatchObject({ registered: false, blockedBy: { uid: 'u1' } });

    await b.recoveries.resolve('u1', {
      isSuccessful: true,
      successor: { key: { hostname: 'r1', port: 3306 }, alias: 'r1' },
      lostReplicas: '',
      participatingInstances: 'm1:3306,r1:3306',
      allErrors: '',
    });
    // r1 is now the primary of a cluster named after it; it cannot be failed over while u1 is active.
    const promoted = await b.recoveries.register(recovery('r1'), { blockPeriodSeconds: 3600 });
    expect(promoted).toMatchObject({ registered: false, blockedBy: { uid: 'u1' } });
    expect((await b.recoveries.readBlocked()).map((x) => [x.hostname, x.blockingRecoveryId])).toEqual(
      expect.arrayContaining([
        ['m1', r1.recovery.recoveryId],
        ['r9', r1.recovery.recoveryId],
        ['r1', r1.recovery.recoveryId],
      ]),
    );
    // Another cluster is not affected.
    expect((await b.recoveries.register(recovery('x1'), { blockPeriodSeconds: 3600 })).registered).toBe(true);

    // After the block period, the same instance may be recovered again.
    clock.advance(3601_000);
    expect((await b.recoveries.register(recovery('m1', { uid: 'u2' }), { blockPeriodSeconds: 3600 })).registered).toBe(
      true,
    );
    expect((await b.recoveries.readByUid('u1'))?.inActivePeriod).toBe(false);
  });

  it('lets one of many concurrent recoveries of one cluster win', async () => {
    const b = await h.open();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        b.recoveries.register(recovery(`n${i}`, { clusterName: 'shared:3306' }), { blockPeriodSeconds: 3600 }),
      ),
    );
    expect(outcomes.filter((o) => o.registered)).toHaveLength(1);
    expect(await b.recoveries.readRecent({ limit: 20, activeOnly: true })).toHaveLength(1);
  });

  it('acknowledges by uid, instance, cluster and all, which unblocks new recoveries', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    await register(b, 'a', 'ua');
    await register(b, 'b', 'ub');
    await register(b, 'c', 'uc');
    await b.failureDetections.register(detection('b'), { blockPeriodMinutes: 60 });
    clock.advance(5);
    await expect(b.recoveries.acknowledge({ uid: 'ua' }, { owner: 'ops', comment: '' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await b.recoveries.acknowledge({ uid: 'ua' }, { owner: 'ops', comment: 'seen' })).toBe(1);
    expect(await b.recoveries.readByUid('ua')).toMatchObject({
      acknowledged: true,
      acknowledgedBy: 'ops',
      acknowledgeComment: 'seen',
      acknowledgedAt: clock.wallNow(),
      inActivePeriod: false,
    });
    expect(await b.recoveries.acknowledge({ key: { hostname: 'b', port: 3306 } }, { owner: 'ops', comment: 'x' })).toBe(
      1,
    );
    // The instance acknowledgement also ended b's failure detection.
    expect((await b.failureDetections.register(detection('b'), { blockPeriodMinutes: 60 })).registered).toBe(true);
    expect(await b.recoveries.acknowledge({ clusterName: 'c:3306' }, { owner: 'ops', comment: 'x' })).toBe(1);
    expect(await b.recoveries.acknowledge({ all: true }, { owner: 'ops', comment: 'x' })).toBe(0);
    clock.advance(5);
    expect((await b.recoveries.register(recovery('a'), { blockPeriodSeconds: 3600 })).registered).toBe(true);
    expect(await b.recoveries.acknowledge({ all: true }, { owner: 'ops', comment: 'x' })).toBe(1);
  });

  it('forces a recovery past an active one, acknowledging it', async () => {
    const b = await h.open();
    await register(b, 'm', 'first');
    const forced = await b.recoveries.register(recovery('m', { uid: 'forced' }), {
      blockPeriodSeconds: 3600,
      force: true,
    });
    expect(forced.registered).toBe(true);
    expect(await b.recoveries.readByUid('first')).toMatchObject({ inActivePeriod: false, acknowledged: true });
  });

  it('records steps, resolution, crashed recoveries and the global switch', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    await register(b, 'm', 'u');
    await b.recoveries.appendStep('u', 'will recover m:3306');
    await b.recoveries.appendStep('u', 'promoted r1:3306');
    expect((await b.recoveries.readSteps('u')).map((s) => s.message)).toEqual([
      'will recover m:3306',
      'promoted r1:3306',
    ]);
    expect(
      await b.recoveries.resolve('nope', {
        isSuccessful: false,
        lostReplicas: '',
        participatingInstances: '',
        allErrors: 'x',
      }),
    ).toBe(false);

    await register(b, 'n', 'orphan');
    await b.nodeHealth.upsert({ hostname: 'orc1', token: 'tok1', appVersion: '1' });
    expect(await b.recoveries.acknowledgeCrashed(10)).toBe(0);
    clock.advance(20_000);
    expect(await b.recoveries.acknowledgeCrashed(10)).toBe(2);
    expect(await b.recoveries.readByUid('orphan')).toMatchObject({ acknowledged: true, acknowledgedBy: 'orc' });

    expect(await b.recoveries.isGlobalRecoveryDisabled()).toBe(false);
    await b.recoveries.setGlobalRecoveryDisabled(true);
    await b.recoveries.setGlobalRecoveryDisabled(true);
    expect(await b.recoveries.isGlobalRecoveryDisabled()).toBe(true);
    await b.recoveries.setGlobalRecoveryDisabled(false);
    expect(await b.recoveries.isGlobalRecoveryDisabled()).toBe(false);
  });

  it('stamps rows with a given time through stampedAt, and measures block periods from it', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const leaderTime = clock.wallNow() - 3 * 3600_000;
    const at = b.stampedAt(leaderTime);
    expect((await at.failureDetections.register(detection('m'), { blockPeriodMinutes: 60 })).registered).toBe(true);
    expect((await at.recoveries.register(recovery('m', { uid: 'u' }), { blockPeriodSeconds: 3600 })).registered).toBe(
      true,
    );
    await at.recoveries.appendStep('u', 'promoted r1:3306');
    await at.downtime.begin({ key: { hostname: 'm', port: 3306 }, owner: 'orc1', reason: 'lost', durationSeconds: 60 });
    expect(await b.recoveries.readByUid('u')).toMatchObject({ startActivePeriod: leaderTime });
    expect((await b.recoveries.readSteps('u')).map((s) => s.auditAt)).toEqual([leaderTime]);
    expect(await at.downtime.readActive()).toMatchObject([{ hostname: 'm', beginTimestamp: leaderTime }]);
    // Within the block period at the stamped time; long past it by the backend's own clock.
    expect(
      (
        await b
          .stampedAt(leaderTime + 60_000)
          .recoveries.register(recovery('m', { uid: 'u2' }), { blockPeriodSeconds: 3600 })
      ).registered,
    ).toBe(false);
    expect((await b.recoveries.register(recovery('m', { uid: 'u3' }), { blockPeriodSeconds: 3600 })).registered).toBe(
      true,
    );
    expect(() => b.stampedAt(-1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('keeps a per-cluster switch with who disabled it and when, apart from the global one', async () => {
    const clock = testClock();
    const b = await h.open({ clock });
    const disabledAt = clock.wallNow();
    expect(await b.recoveries.isClusterRecoveryDisabled('orders:3306')).toBe(false);
    await b.recoveries.setClusterRecoveryDisabled('orders:3306', true, 'ops');
    clock.advance(60_000);
    // Disabling again keeps the first stamp.
    await b.recoveries.setClusterRecoveryDisabled('orders:3306', true, 'someone else');
    await b.recoveries.setClusterRecoveryDisabled('billing:3306', true);
    expect(await b.recoveries.isClusterRecoveryDisabled('orders:3306')).toBe(true);
    expect(await b.recoveries.isClusterRecoveryDisabled('other:3306')).toBe(false);
    expect(await b.recoveries.isGlobalRecoveryDisabled()).toBe(false);
    expect(await b.recoveries.readDisabledClusters()).toEqual([
      { clusterName: 'billing:3306', disabledAt: disabledAt + 60_000, disabledBy: '' },
      { clusterName: 'orders:3306', disabledAt, disabledBy: 'ops' },
    ]);
    await b.recoveries.setClusterRecoveryDisabled('orders:3306', false);
    await b.recoveries.setClusterRecoveryDisabled('never:3306', false);
    expect(await b.recoveries.isClusterRecoveryDisabled('orders:3306')).toBe(false);
    expect((await b.recoveries.readDisabledClusters()).map((r) => r.clusterName)).toEqual(['billing:3306']);
    await expect(b.recoveries.setClusterRecoveryDisabled('', true)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('keeps instance tags: one value per name, read by instance or by name[=value], removed one or everywhere', async () => {
    const b = await h.open({ clock: testClock() });
    const db1 = { hostname: 'db1', port: 3306 };
    const db2 = { hostname: 'db2', port: 3306 };
    await b.tags.put(db1, 'role', 'olap');
    await b.tags.put(db1, 'role', 'reporting');
    await b.tags.put(db1, 'dc');
    await b.tags.put(db2, 'role', 'oltp');
    expect(await b.tags.read(db1)).toEqual([
      { name: 'dc', value: '' },
      { name: 'role', value: 'reporting' },
    ]);
    expect(await b.tags.tagged('role')).toEqual([
      { ...db1, value: 'reporting' },
      { ...db2, value: 'oltp' },
    ]);
    expect(await b.tags.tagged('role', 'oltp')).toEqual([{ ...db2, value: 'oltp' }]);
    expect(await b.tags.delete(db1, 'role', 'other')).toBe(false);
    expect(await b.tags.delete(db1, 'dc')).toBe(true);
    expect(await b.tags.deleteEverywhere('role', 'reporting')).toEqual([db1]);
    expect(await b.tags.read(db1)).toEqual([]);
    expect(await b.tags.deleteEverywhere('role')).toEqual([db2]);
    expect(await b.tags.tagged('role')).toEqual([]);
    await expect(b.tags.put(db1, '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

async function register(b: Backend, hostname: string, uid: string): Promise<void> {
  const r = await b.recoveries.register(recovery(hostname, { uid }), { blockPeriodSeconds: 3600 });
  if (!r.registered) throw new Error(`registration of ${hostname} was blocked`);
}

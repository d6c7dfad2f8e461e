import { describe, it, expect } from '@jest/globals';
import type { TopologyConfigInput } from '../topology-config.js';
import { chainWorld, discoveryOver, FakeWorld, k } from '../../test/fake-world.js';
import { advanceSettled } from '../../test/advance.js';
import { isLastCheckValid } from '../analysis/analyze-replication.js';

const LOST = "error reconnecting to master 'repl@p:3306' - retry-time: 60 message: Can't connect";

// The older cases count probes at one cadence; the primary cadence has its own cases (primary-cadence.test.ts).
const setup = (world: FakeWorld, config: TopologyConfigInput = {}) =>
  discoveryOver(world, { primaryPollMilliseconds: 0, ...config });

describe('DiscoveryLoop', () => {
  it('finds a whole chained topology from one replica and names the cluster after the primary', async () => {
    const world = chainWorld();
    const { clock, store, loop } = setup(world, { discoverySeeds: ['r2:3306'] });
    await loop.start();
    await advanceSettled(clock, 200);
    const stored = await store.readInstances();
    expect(stored.map((i) => i.key).sort()).toEqual(['im:3306', 'p:3306', 'r1:3306', 'r2:3306']);
    expect(new Set(stored.map((i) => i.clusterName))).toEqual(new Set(['p:3306']));
    expect(loop.instance(k('r2:3306'))?.replicationDepth).toBe(2);
    expect(store.batchCount).toBeLessThanOrEqual(3);
    await loop.stop();
  });

  it('re-probes each server every InstancePollSeconds, and de-duplicates queued keys', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306', 'p:3306', 'r1:3306'], instancePollSeconds: 5 });
    await loop.start();
    await advanceSettled(clock, 100);
    expect(world.count('p:3306')).toBe(1);
    await advanceSettled(clock, 5000);
    expect(world.count('p:3306')).toBe(2);
    await advanceSettled(clock, 10_000);
    expect(world.count('p:3306')).toBe(4);
    await loop.stop();
  });

  it('keeps the last known state of a server that stops answering, marked not checked', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'] });
    await loop.start();
    await advanceSettled(clock, 100);
    world.server('p:3306').failWith = 'CONNECTION_REFUSED';
    await advanceSettled(clock, 5000);
    const p = loop.instance(k('p:3306'))!;
    expect(p.serverId).toBe(3306);
    expect(p.replicaKeys.length).toBe(2);
    expect(p.lastCheckedAt! > p.lastSeenAt!).toBe(true);
    expect(p.lastProbeError?.code).toBe('CONNECTION_REFUSED');
    await loop.stop();
  });

  it('re-probes the replicas of a primary whose probe fails at once, then at the emergent interval', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'], emergentPollMilliseconds: 250 });
    await loop.start();
    await advanceSettled(clock, 100);
    const before = world.count('r1:3306');
    await advanceSettled(clock, 2000); // mid-poll: no regular probe of r1 is due
    world.server('p:3306').failWith = 'CONNECTION_REFUSED';
    expect(world.count('r1:3306')).toBe(before);
    await loop.discover(k('p:3306')); // p fails now
    await advanceSettled(clock, 1);
    expect(world.count('r1:3306')).toBe(before + 1); // r1 re-probed at once, not at its next poll
    await advanceSettled(clock, 1000);
    expect(world.count('r1:3306')).toBeGreaterThanOrEqual(before + 4); // every 250 ms while p is suspected
    expect(world.count('p:3306')).toBeGreaterThanOrEqual(5);
    await loop.stop();
  });

  it('follows a replica that moved to another primary when suspecting either', async () => {
    const world = chainWorld();
    // The primary cadence asks who has replicas at every schedule: the index exists before the move.
    const { clock, loop } = setup(world, {
      discoverySeeds: ['p:3306'],
      emergentPollMilliseconds: 250,
      primaryPollMilliseconds: 1000,
    });
    await loop.start();
    await advanceSettled(clock, 100);
    // r1 moves under im: p no longer lists it, im does.
    const p = world.server('p:3306');
    p.replicas = p.replicas.filter((r) => r !== k('r1:3306'));
    world.server('im:3306').replicas.push(k('r1:3306'));
    world.server('r1:3306').master = k('im:3306');
    await loop.discover(k('r1:3306'));
    await advanceSettled(clock, 1);
    const before = world.count('r1:3306');
    loop.suspect(k('p:3306'), 'test');
    await advanceSettled(clock, 300); // past the emergent interval of r1's own probe
    expect(world.count('r1:3306')).toBe(before); // no longer p's replica
    loop.suspect(k('im:3306'), 'test');
    await advanceSettled(clock, 1);
    expect(world.count('r1:3306')).toBe(before + 1);
    await loop.stop();
  });

  it('probes a primary at once when a replica reports it lost it', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'], instancePollSeconds: 5 });
    await loop.start();
    await advanceSettled(clock, 100); // p probed at 0, r1 at ~0
    const before = world.count('p:3306');
    Object.assign(world.server('r1:3306'), { io: 'Connecting', ioError: LOST });
    await advanceSettled(clock, 4990); // r1's next poll shows the lost primary
    expect(world.count('p:3306')).toBeGreaterThan(before);
    await loop.stop();
  });

  it('records a probe error for a seed that does not exist and goes on; survives a prober that throws', async () => {
    const world = chainWorld();
    world.throwOn = k('r1:3306');
    const { clock, loop } = setup(world, { discoverySeeds: ['nowhere:3306', 'p:3306'] });
    await loop.start();
    await advanceSettled(clock, 100);
    expect(loop.instance(k('nowhere:3306'))?.lastProbeError?.code).toBe('UNRESOLVABLE_HOST');
    expect(loop.instance(k('nowhere:3306'))?.lastSeenAt).toBeNull();
    expect(loop.instance(k('r1:3306'))?.lastProbeError?.code).toBe('UNEXPECTED_RESPONSE');
    expect(loop.instance(k('r2:3306'))?.lastSeenAt).not.toBeNull();
    await advanceSettled(clock, 5000);
    expect(world.count('p:3306')).toBe(2);
    await loop.stop();
  });

  it('honours DiscoveryIgnoreHostnameFilters and bounds concurrency', async () => {
    const world = new FakeWorld().add('p:3306', null);
    for (let i = 0; i < 20; i++) world.add(`r${i}:3306`, 'p:3306', { hang: true });
    world.add('skip-me:3306', 'p:3306');
    const { clock, loop } = setup(world, {
      discoverySeeds: ['p:3306'],
      discoveryMaxConcurrency: 4,
      discoveryIgnoreHostnameFilters: ['^skip-'],
    });
    await loop.start();
    await advanceSettled(clock, 10);
    expect(world.maxInFlight).toBe(4);
    for (let i = 0; i < 10; i++) {
      world.releaseAll();
      await advanceSettled(clock, 10);
    }
    expect(world.maxInFlight).toBe(4);
    expect(world.count('skip-me:3306')).toBe(0);
    expect(loop.instances().length).toBe(21);
    world.releaseAll();
    await loop.stop();
  });

  it('forgets a server and does not rediscover it for three polls', async () => {
    const world = chainWorld();
    const { clock, loop, store } = setup(world, { discoverySeeds: ['p:3306'] });
    await loop.start();
    await advanceSettled(clock, 200);
    await loop.forget([k('r1:3306')]);
    expect(loop.instance(k('r1:3306'))).toBeUndefined();
    expect((await store.readInstances()).some((i) => i.key === 'r1:3306')).toBe(false);
    await advanceSettled(clock, 10_000);
    expect(loop.instance(k('r1:3306'))).toBeUndefined();
    await advanceSettled(clock, 10_000);
    expect(loop.instance(k('r1:3306'))).toBeDefined();
    await loop.stop();
  });

  it('discover() probes now and resolves with the instance', async () => {
    const world = chainWorld();
    const { loop, clock } = setup(world);
    await loop.start();
    const pending = loop.discover(k('im:3306'));
    await advanceSettled(clock, 1);
    const im = await pending;
    expect(im.masterKey).toBe('p:3306');
    await loop.stop();
    await expect(loop.discover(k('p:3306'))).rejects.toMatchObject({ code: 'STOPPED' });
  });

  it('keeps going when the store fails, and writes later', async () => {
    const world = chainWorld();
    const { clock, loop, store } = setup(world, { discoverySeeds: ['p:3306'] });
    const original = store.upsertInstances.bind(store);
    let fail = true;
    store.upsertInstances = async (rows) => {
      if (fail) throw new Error('backend down');
      return original(rows);
    };
    await loop.start();
    await advanceSettled(clock, 500);
    expect((await store.readInstances()).length).toBe(0);
    fail = false;
    await advanceSettled(clock, 500);
    expect((await store.readInstances()).length).toBe(4);
    await loop.stop();
  });

  it('stamps an attempt that hangs past ReasonableInstanceCheckSeconds, turning the server invalid before any timeout', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'] });
    await loop.start();
    await advanceSettled(clock, 100);
    world.server('p:3306').hang = true;
    await advanceSettled(clock, 4900 + 1000); // the poll at 5000 hangs; stamped at ~6000: still within poll + 1 s
    expect(isLastCheckValid(loop.instance(k('p:3306'))!, { pendingProbeInvalidates: false })).toBe(true);
    await advanceSettled(clock, 1500);
    const p = loop.instance(k('p:3306'))!;
    expect(p.lastAttemptedCheckAt! > p.lastSeenAt! + 6000).toBe(true);
    expect(isLastCheckValid(p)).toBe(false);
    world.releaseAll();
    await loop.stop();
  });

  it('suspects a primary whose probe hangs: invalid at once, its replicas re-probed before any timeout', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'], emergentPollMilliseconds: 100 });
    await loop.start();
    await advanceSettled(clock, 100);
    world.server('p:3306').hang = true;
    await advanceSettled(clock, 4900 + 1); // the poll at 5000 hangs
    const before = world.count('r1:3306');
    await advanceSettled(clock, 950); // not yet ReasonableInstanceCheckSeconds
    expect(isLastCheckValid(loop.instance(k('p:3306'))!)).toBe(true);
    await advanceSettled(clock, 150); // pending past it: noticed within one emergent interval
    expect(isLastCheckValid(loop.instance(k('p:3306'))!)).toBe(false);
    expect(world.count('r1:3306')).toBeGreaterThan(before);
    world.releaseAll();
    await loop.stop();
  });

  it('keeps the emergent pace past the window while an unreachable primary still has a connected replica', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'], instancePollSeconds: 5 });
    await loop.start();
    await advanceSettled(clock, 100);
    world.server('p:3306').failWith = 'CONNECTION_REFUSED';
    await advanceSettled(clock, 5000); // p fails at its poll: suspected
    await advanceSettled(clock, 15_000); // past the 10 s window; r1's IO thread still says Yes
    const at = world.count('r1:3306');
    await advanceSettled(clock, 1000);
    expect(world.count('r1:3306') - at).toBeGreaterThan(5);
    Object.assign(world.server('r1:3306'), { io: 'Connecting', ioError: LOST });
    Object.assign(world.server('im:3306'), { io: 'Connecting', ioError: LOST });
    await advanceSettled(clock, 15_000); // every replica agrees now: the window lapses
    const after = world.count('r1:3306');
    await advanceSettled(clock, 10_000);
    expect(world.count('r1:3306') - after).toBeLessThanOrEqual(3);
    await loop.stop();
  });

  it('probes a server that stays down at the emergent pace only for the suspicion window', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { discoverySeeds: ['p:3306'], instancePollSeconds: 5 });
    await loop.start();
    await advanceSettled(clock, 100);
    world.server('r1:3306').failWith = 'CONNECTION_REFUSED';
    await advanceSettled(clock, 5000); // r1 fails at its poll: suspected for 10 s
    await advanceSettled(clock, 10_000);
    const during = world.count('r1:3306');
    expect(during).toBeGreaterThan(20);
    await advanceSettled(clock, 20_000); // back on the 5 s poll
    expect(world.count('r1:3306') - during).toBeLessThanOrEqual(5);
    await loop.stop();
  });

  it('forgets a server unseen for UnseenInstanceForgetHours', async () => {
    const world = chainWorld();
    const { clock, loop, store } = setup(world, { discoverySeeds: ['p:3306'], unseenInstanceForgetHours: 0.01 });
    await loop.start();
    await advanceSettled(clock, 200);
    world.server('r1:3306').failWith = 'CONNECTION_REFUSED';
    world.server('p:3306').replicas = [k('im:3306')]; // p no longer lists r1
    await advanceSettled(clock, 40_000); // 36 s = 0.01 h
    expect(loop.instance(k('r1:3306'))).toBeUndefined();
    expect((await store.readInstances()).some((i) => i.key === 'r1:3306')).toBe(false);
    await loop.stop();
  });
});

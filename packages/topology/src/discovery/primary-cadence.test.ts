import { describe, it, expect } from '@jest/globals';
import type { TopologyConfigInput } from '../topology-config.js';
import type { FakeWorld } from '../../test/fake-world.js';
import { chainWorld, discoveryOver, k } from '../../test/fake-world.js';
import { advanceSettled } from '../../test/advance.js';
import { isLastCheckValid } from '../analysis/analyze-replication.js';

const setup = (world: FakeWorld, config: TopologyConfigInput = {}) =>
  discoveryOver(world, { discoverySeeds: ['p:3306'], instancePollSeconds: 5, ...config });

describe('DiscoveryLoop: the cadence of servers with replicas', () => {
  it('probes servers with replicas every primaryPollMilliseconds (default 1 s), leaves every InstancePollSeconds', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world);
    await loop.start();
    await advanceSettled(clock, 100);
    const at = { p: world.count('p:3306'), im: world.count('im:3306'), r1: world.count('r1:3306') };
    await advanceSettled(clock, 10_000);
    expect(world.count('p:3306') - at.p).toBe(10);
    expect(world.count('im:3306') - at.im).toBe(10);
    expect(world.count('r1:3306') - at.r1).toBe(2);
    await loop.stop();
  });

  it('keeps one cadence when primaryPollMilliseconds is 0 or not shorter than the poll', async () => {
    for (const primaryPollMilliseconds of [0, 5000, 8000]) {
      const world = chainWorld();
      const { clock, loop } = setup(world, { primaryPollMilliseconds });
      await loop.start();
      await advanceSettled(clock, 100);
      const at = world.count('p:3306');
      await advanceSettled(clock, 10_000);
      expect([primaryPollMilliseconds, world.count('p:3306') - at]).toEqual([primaryPollMilliseconds, 2]);
      await loop.stop();
    }
  });

  it('counts a server as a primary when a known replica points at it, even if it lists no replicas', async () => {
    const world = chainWorld();
    world.server('p:3306').replicas = []; // no replica hosts visible to orc (no grant, say)
    const { clock, loop } = setup(world, { discoverySeeds: ['r1:3306'] });
    await loop.start();
    await advanceSettled(clock, 200);
    const at = world.count('p:3306');
    await advanceSettled(clock, 5000);
    expect(world.count('p:3306') - at).toBe(5);
    await loop.stop();
  });

  it('stops the fast cadence once a server no longer has replicas', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world);
    await loop.start();
    await advanceSettled(clock, 100);
    world.server('im:3306').replicas = [];
    world.server('r2:3306').master = k('p:3306');
    await advanceSettled(clock, 6000); // r2 re-probed at its poll: now under p
    const at = world.count('im:3306');
    await advanceSettled(clock, 10_000);
    expect(world.count('im:3306') - at).toBe(2);
    await loop.stop();
  });

  it('looks at the replicas once when a primary probe is slow, before any suspicion', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { emergentPollMilliseconds: 100 });
    await loop.start();
    await advanceSettled(clock, 100);
    await advanceSettled(clock, 850); // mid-cycle: p's next probe at 1000
    world.server('p:3306').hang = true;
    const before = world.count('r1:3306');
    await advanceSettled(clock, 60); // p's probe started and is pending, not yet one emergent interval
    expect(world.count('r1:3306')).toBe(before);
    await advanceSettled(clock, 200); // pending past one emergent interval: r1 looked at once
    expect(world.count('r1:3306')).toBe(before + 1);
    expect(loop.stats.suspects).toBe(0);
    expect(isLastCheckValid(loop.instance(k('p:3306'))!)).toBe(true);
    await advanceSettled(clock, 600); // still short of ReasonableInstanceCheckSeconds: no more looks
    expect(world.count('r1:3306')).toBe(before + 1);
    await advanceSettled(clock, 300); // now suspected: r1 at the emergent pace
    expect(loop.stats.suspects).toBe(1);
    expect(world.count('r1:3306')).toBeGreaterThan(before + 1);
    world.releaseAll();
    await loop.stop();
  });

  it('does not look early at replicas of a leaf or of a primary that answers in time', async () => {
    const world = chainWorld();
    const { clock, loop } = setup(world, { emergentPollMilliseconds: 100 });
    await loop.start();
    await advanceSettled(clock, 100);
    const before = world.count('r1:3306');
    await advanceSettled(clock, 4000); // p answers every second; r1 not due before 5000
    expect(world.count('r1:3306')).toBe(before);
    await loop.stop();
  });
});

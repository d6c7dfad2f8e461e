import { describe, it, expect } from '@jest/globals';
import { OrcTopology } from './orc-topology.js';
import { ManualClock } from '@orc/testkit';
import { InMemoryAnalysisState } from './analysis/analysis-state.js';
import { FakeWorld } from '../test/fake-world.js';
import { advanceSettled } from '../test/advance.js';

const LOST = "error reconnecting to master 'repl@p:3306' - retry-time: 60 message: Can't connect";

function setup() {
  const world = new FakeWorld()
    .add('p:3306', null, { alias: 'shop' })
    .add('im:3306', 'p:3306')
    .add('r1:3306', 'p:3306')
    .add('r2:3306', 'im:3306');
  const clock = new ManualClock();
  const state = new InMemoryAnalysisState();
  const topology = new OrcTopology({ config: { discoverySeeds: ['r1:3306'] }, prober: world, clock, state });
  return { world, clock, state, topology };
}

describe('OrcTopology', () => {
  it('discovers, names clusters (alias from the detection query), and reports no problem', async () => {
    const { clock, topology } = setup();
    await topology.start();
    await advanceSettled(clock, 200);
    const clusters = await topology.clusters();
    expect(clusters.map((c) => [c.clusterName, c.clusterAlias, c.instanceKeys.length])).toEqual([
      ['p:3306', 'shop', 4],
    ]);
    expect(await topology.cluster('shop')).toBeDefined();
    expect(await topology.analysis()).toEqual([]);
    await topology.stop();
  });

  it('turns a dead primary into DeadMaster within the emergent interval, and clears it when it is back', async () => {
    const { world, clock, topology } = setup();
    await topology.start();
    await advanceSettled(clock, 200);
    world.server('p:3306').failWith = 'CONNECTION_REFUSED';
    Object.assign(world.server('r1:3306'), { io: 'Connecting', ioError: LOST });
    Object.assign(world.server('im:3306'), { io: 'Connecting', ioError: LOST });
    await topology.discover('r1:3306'); // r1 reports it lost p: p is suspected and probed at once
    await advanceSettled(clock, 300);
    const dead = (await topology.analysis()).find((e) => e.AnalyzedInstanceKey.Hostname === 'p');
    expect(dead?.Analysis).toBe('DeadMaster');
    world.server('p:3306').failWith = null;
    Object.assign(world.server('r1:3306'), { io: 'Yes', ioError: '' });
    Object.assign(world.server('im:3306'), { io: 'Yes', ioError: '' });
    await advanceSettled(clock, 5000);
    expect(await topology.analysis()).toEqual([]);
    await topology.stop();
  });

  it('marks downtimed entries skippable, forgets clusters, and refuses use after stop', async () => {
    const { world, clock, topology, state } = setup();
    await topology.start();
    await advanceSettled(clock, 200);
    world.server('r2:3306').failWith = 'TIMEOUT';
    world.server('im:3306').failWith = 'TIMEOUT';
    await advanceSettled(clock, 5000);
    state.downtimes.push({ key: 'im:3306' as never, endsAt: null });
    const [entry] = (await topology.analysis()).filter((e) => e.AnalyzedInstanceKey.Hostname === 'im');
    expect(entry?.Analysis).toBe('DeadIntermediateMasterAndReplicas');
    expect(entry?.SkippableDueToDowntime).toBe(true);
    expect((await topology.forgetCluster('shop')).length).toBe(4);
    expect(topology.instances()).toEqual([]);
    await topology.stop();
    await expect(topology.discover('p:3306')).rejects.toMatchObject({ code: 'STOPPED' });
    await expect(topology.start()).rejects.toMatchObject({ code: 'STOPPED' });
  });

  it('rejects a bad config naming every problem', () => {
    expect(() => new OrcTopology({ config: { instancePollSeconds: -1, discoverySeeds: ['a b'] } })).toThrow(
      /instancePollSeconds.*discoverySeeds\.0/,
    );
  });
});

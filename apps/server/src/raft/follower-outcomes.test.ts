import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { FollowerOutcomes } from './follower-outcomes.js';

describe('FollowerOutcomes', () => {
  it('resolves as soon as every follower answered', async () => {
    const outcomes = new FollowerOutcomes(new ManualClock());
    const wait = outcomes.expect('w1', ['orc2', 'orc3'], 1000);
    outcomes.add('orc3', 'w1', [{ store: 'zk', ok: false, error: 'down' }]);
    outcomes.add('orc2', 'w1', [{ store: 'zk', ok: true }]);
    expect(await wait).toEqual([
      { node: 'orc2', stores: [{ store: 'zk', ok: true }] },
      { node: 'orc3', stores: [{ store: 'zk', ok: false, error: 'down' }] },
    ]);
  });

  it('gives up on a silent follower at the bound, and ignores late or unasked outcomes', async () => {
    const clock = new ManualClock();
    const outcomes = new FollowerOutcomes(clock);
    const wait = outcomes.expect('w1', ['orc2', 'orc3'], 1000);
    outcomes.add('orc9', 'w1', [{ store: 'zk', ok: true }]);
    outcomes.add('orc2', 'w1', [{ store: 'zk', ok: true }]);
    clock.advance(1000);
    expect(await wait).toEqual([
      { node: 'orc2', stores: [{ store: 'zk', ok: true }] },
      { node: 'orc3', stores: null },
    ]);
    outcomes.add('orc3', 'w1', [{ store: 'zk', ok: true }]);
    expect(await outcomes.expect('w2', [], 1000)).toEqual([]);
  });
});

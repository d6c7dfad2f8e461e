import { describe, expect, it } from '@jest/globals';
import { thrownBy } from '@orc/testkit';
import { isTopologyError } from '../errors.js';
import type { Instance } from '../instance/instance.js';
import { unseenInstance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { instanceKey } from '../instance/instance-key.js';
import { checkMoveBelow, planMoveUp, planTakeMaster, TopologySnapshot } from './refactor-plan.js';

const k = (name: string): InstanceKey => instanceKey(name, 3306);
function server(name: string, master: string | null, over: Partial<Instance> = {}): Instance {
  return { ...unseenInstance(k(name)), masterKey: master === null ? null : k(master), clusterName: 'p:3306', ...over };
}
// p -> a -> b -> c; p -> d; x alone in another cluster.
const snapshot = new TopologySnapshot([
  server('p', null),
  server('a', 'p'),
  server('b', 'a'),
  server('c', 'b', { promotionRule: 'must_not' }),
  server('d', 'p'),
  server('x', null, { clusterName: 'x:3306' }),
]);

function refusedWith(act: () => unknown): { code: string; path: string | undefined; message: string } {
  const error = thrownBy(act, isTopologyError);
  return { code: error.code, path: error.details[0]?.path, message: error.message };
}

describe('checkMoveBelow', () => {
  it('accepts a sibling, a cousin or an ancestor of the same cluster', () => {
    expect(checkMoveBelow('relocate', snapshot, k('b'), k('d')).target.key).toBe(k('d'));
    expect(checkMoveBelow('relocate', snapshot, k('c'), k('p')).instance.key).toBe(k('c'));
  });

  it.each([
    ['itself', 'a', 'a', 'OPERATION_REFUSED', 'below', 'cannot replicate from itself'],
    ['a direct replica', 'a', 'b', 'OPERATION_REFUSED', 'below', 'is below the instance being moved'],
    ['a replica three levels down', 'p', 'c', 'OPERATION_REFUSED', 'below', 'is below the instance being moved'],
    ['another cluster', 'b', 'x', 'OPERATION_REFUSED', 'below', 'is in cluster x:3306'],
    ['an unknown server', 'b', 'nowhere', 'UNKNOWN_INSTANCE', 'below', 'not a known instance'],
  ])('refuses %s as the new source, naming the reason', (_what, from, to, code, path, says) => {
    const r = refusedWith(() => checkMoveBelow('relocate', snapshot, k(from), k(to)));
    expect([r.code, r.path]).toEqual([code, path]);
    expect(r.message).toContain(says);
  });

  it('ends the ancestry walk in a co-primary ring', () => {
    const ring = new TopologySnapshot([server('m1', 'm2'), server('m2', 'm1'), server('r', 'm1')]);
    expect(ring.isBelow(k('r'), k('m2'))).toBe(true);
    expect(ring.isBelow(k('m1'), k('r'))).toBe(false);
  });
});

describe('planMoveUp and planTakeMaster', () => {
  it('moves a replica of an intermediate source below the source above it', () => {
    expect(planMoveUp(snapshot, k('b'))).toBe(k('p'));
    expect(planTakeMaster(snapshot, k('b'))).toEqual({
      master: expect.objectContaining({ key: k('a') }),
      grand: k('p'),
    });
  });

  it.each([
    ['move-up of a replica of the primary', () => planMoveUp(snapshot, k('a')), 'no level above it'],
    ['move-up of the primary', () => planMoveUp(snapshot, k('p')), 'is not a replica'],
    ['take-master of the primary', () => planTakeMaster(snapshot, k('a')), 'graceful-master-takeover'],
    ['take-master by a must_not server', () => planTakeMaster(snapshot, k('c')), 'must_not'],
  ])('refuses %s', (_what, act, says) => {
    const r = refusedWith(act);
    expect(r.code).toBe('OPERATION_REFUSED');
    expect(r.message).toContain(says);
  });

  it('refuses taking a co-primary', () => {
    const ring = new TopologySnapshot([
      server('m1', 'm2', { isCoMaster: true }),
      server('m2', 'm1'),
      server('r', 'm1'),
    ]);
    expect(refusedWith(() => planTakeMaster(ring, k('r'))).message).toContain('co-primary');
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Instance } from '../instance/instance.js';
import { unseenInstance } from '../instance/instance.js';
import { instanceKey } from '../instance/instance-key.js';
import type { GracefulTakeoverRequest } from './graceful-takeover.js';
import { checkTakeoverTarget } from './graceful-takeover.js';

const k = (name: string) => instanceKey(name, 3306);
const server = (name: string, over: Partial<Instance> = {}): Instance => ({
  ...unseenInstance(k(name)),
  clusterName: 'c1',
  ...over,
});
const primary = server('p');
const r1 = server('r1', { masterKey: k('p') });
const r2 = server('r2', { masterKey: k('p') });
const below = server('r3', { masterKey: k('r1') });
const request = (over: Partial<GracefulTakeoverRequest> = {}): GracefulTakeoverRequest => ({
  primaryKey: k('p'),
  clusterName: 'c1',
  clusterAlias: 'c1',
  instances: [primary, r1, r2, below],
  ...over,
});

describe('checkTakeoverTarget', () => {
  it('accepts a direct replica, and auto without one', () => {
    expect(() => checkTakeoverTarget(request({ designated: k('r2') }))).not.toThrow();
    expect(() => checkTakeoverTarget(request({ auto: true }))).not.toThrow();
    expect(() => checkTakeoverTarget(request({ instances: [primary, r1] }))).not.toThrow();
  });

  it.each([
    ['a replica below another replica', { designated: k('r3') }, 'designated', 'not a direct replica'],
    ['the primary itself', { designated: k('p') }, 'designated', 'not a direct replica'],
    ['an unknown server', { designated: k('elsewhere') }, 'designated', 'not a direct replica'],
    ['no designated replica among several', {}, 'designated', 'name the one to promote'],
    ['a replica as the primary', { primaryKey: k('r1') }, 'primaryKey', 'is not the cluster'],
  ])('refuses %s with INVALID_ARGUMENT naming the field', (_name, over, path, why) => {
    let thrown: unknown;
    try {
      checkTakeoverTarget(request(over));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: [{ path, message: expect.stringContaining(why) }],
    });
  });

  it('refuses a must_not replica and a primary without replicas', () => {
    const mustNot = server('r1', { masterKey: k('p'), promotionRule: 'must_not' });
    expect(() => checkTakeoverTarget(request({ instances: [primary, mustNot], designated: k('r1') }))).toThrow(
      /must_not/,
    );
    expect(() => checkTakeoverTarget(request({ instances: [primary] }))).toThrow(/no replicas/);
  });

  it('names the other cluster of a designated server outside it', () => {
    const foreign = server('x', { masterKey: k('q'), clusterName: 'c2' });
    expect(() => checkTakeoverTarget(request({ instances: [primary, r1, foreign], designated: k('x') }))).toThrow(
      /cluster c2/,
    );
  });
});

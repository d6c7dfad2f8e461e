import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import { Backend } from '../backend.js';
import { validateBackendConfig } from '../backend-config.js';

// The belief bound, with an injected clock. The database clock is real but the lease (one hour)
// never runs out during the test, so nothing here waits.
describe('ActiveNodeElection belief', () => {
  let backend: Backend;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    backend = new Backend(validateBackendConfig({ sqlite: { file: ':memory:' } }));
    await backend.open();
  });
  afterEach(() => backend.close());

  it('ends at send time + lease - margin, measured from the attempt that succeeded', async () => {
    const e = backend.election({ hostname: 'a', token: 't', leaseMs: 3_600_000, safetyMarginMs: 600_000, clock });
    expect(e.isLeader()).toBe(false);
    clock.advance(1000);
    expect(await e.attempt()).toBe('acquired');
    clock.advance(3_000_000 - 1);
    expect(e.isLeader()).toBe(true);
    clock.advance(1);
    expect(e.isLeader()).toBe(false);
    // A renewal sent later moves the bound.
    expect(await e.attempt()).toBe('renewed');
    clock.advance(2_999_999);
    expect(e.isLeader()).toBe(true);
  });

  it('loses belief at once when another holds the lease, or on step-down', async () => {
    const a = backend.election({ hostname: 'a', token: 'ta', leaseMs: 3_600_000, clock });
    const b = backend.election({ hostname: 'b', token: 'tb', leaseMs: 3_600_000, clock });
    expect(await a.attempt()).toBe('acquired');
    expect(await b.attempt()).toBe('held-by-other');
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    await a.stepDown();
    expect(a.isLeader()).toBe(false);
    expect(await b.attempt()).toBe('acquired');
  });

  it('after a grab, believes only a whole lease after the answer', async () => {
    const a = backend.election({ hostname: 'a', token: 'ta', leaseMs: 3_600_000, safetyMarginMs: 1000, clock });
    const b = backend.election({ hostname: 'b', token: 'tb', leaseMs: 3_600_000, safetyMarginMs: 1000, clock });
    await a.attempt();
    await b.grab();
    expect(b.isLeader()).toBe(false);
    clock.advance(3_600_000);
    await b.attempt();
    expect(b.isLeader()).toBe(true);
    expect(await a.attempt()).toBe('held-by-other');
    expect(a.isLeader()).toBe(false);
  });

  it("bounds belief with the backend's clock when the election is given none", async () => {
    const own = new Backend(validateBackendConfig({ sqlite: { file: ':memory:' } }), { clock });
    await own.open();
    try {
      const e = own.election({ hostname: 'a', token: 't', leaseMs: 3_600_000, safetyMarginMs: 0 });
      expect(await e.attempt()).toBe('acquired');
      clock.advance(3_600_000 - 1);
      expect(e.isLeader()).toBe(true);
      clock.advance(1);
      expect(e.isLeader()).toBe(false);
    } finally {
      await own.close();
    }
  });

  it('refuses bad options with the field named', () => {
    expect(() => backend.election({ hostname: '', token: 't' })).toThrow(/options\.hostname/);
    expect(() => backend.election({ hostname: 'h', token: 't', leaseMs: 1000, safetyMarginMs: 1000 })).toThrow(
      /options\.safetyMarginMs/,
    );
  });
});

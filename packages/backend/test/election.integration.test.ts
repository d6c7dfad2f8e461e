import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ManualClock, waitFor } from '@orc/testkit';
import type { ActiveNodeElection, ElectionOutcome } from '../src/index.js';
import { DIALECTS, DialectHarness } from './support/backends.js';

// Real time and a short lease, so takeovers happen within the test. Nothing below asserts how long
// anything took: a starved machine makes leadership move more often, never two nodes believe at
// once, and a takeover is checked against the database's own timestamps.
const LEASE_MS = 1500;
const MARGIN_MS = 300;
const RENEW_EVERY_MS = 200;

/** A contender: an election plus a renew loop that can be paused (a node stuck past its lease). */
class Contender {
  readonly name: string;
  readonly election: ActiveNodeElection;
  /** Every attempt that threw: the test fails on any. */
  readonly errors: unknown[] = [];
  attempts = 0;
  #paused = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<unknown> = Promise.resolve();

  constructor(name: string, election: ActiveNodeElection) {
    this.name = name;
    this.election = election;
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.#paused) return;
      this.#inFlight = this.#inFlight.then(() =>
        this.election.attempt().then(
          () => this.attempts++,
          (err: unknown) => this.errors.push(err),
        ),
      );
    }, RENEW_EVERY_MS);
  }

  /** Stops attempting; resolves once the attempt in flight (if any) has finished. */
  async pause(): Promise<void> {
    this.#paused = true;
    await this.#inFlight;
  }

  resume(): void {
    this.#paused = false;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
  }
}

/** Samples every contender's belief every few ms and records each sample where two or more believe. */
function beliefSampler(contenders: readonly Contender[]): { stop(): void; samples: number; overlaps: string[][] } {
  const state = { samples: 0, overlaps: [] as string[][], stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    state.samples++;
    const believers = contenders.filter((c) => c.election.isLeader()).map((c) => c.name);
    if (believers.length > 1) state.overlaps.push(believers);
  }, 5);
  return state;
}

describe.each(DIALECTS)('shared-backend election on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('never has two believers, and takes over from a stuck holder only after its lease expired by the database clock', async () => {
    const config = h.sharedConfig();
    const contenders: Contender[] = [];
    for (const name of ['orc1', 'orc2', 'orc3']) {
      const b = await h.open({}, config);
      contenders.push(
        new Contender(
          name,
          b.election({ hostname: name, token: `${name}-token`, leaseMs: LEASE_MS, safetyMarginMs: MARGIN_MS }),
        ),
      );
    }
    const sampler = beliefSampler(contenders);
    const believer = () => contenders.find((c) => c.election.isLeader());
    try {
      contenders.forEach((c) => c.start());
      const first = await waitFor('a first leader', believer, { timeoutMs: 30_000 });
      expect(await first.election.readHolder()).toMatchObject({ hostname: first.name, token: `${first.name}-token` });

      // Freeze every loop and read who holds the row and when it was last renewed (database clock).
      for (const c of contenders) await c.pause();
      const held = await first.election.readHolder();
      if (held === undefined) throw new Error('the lease row vanished while nobody stepped down');
      const stuck = contenders.find((c) => c.name === held.hostname);
      if (stuck === undefined) throw new Error(`unknown holder ${held.hostname}`);

      // The holder stays stuck; the others go on. Its belief runs out, then one of them takes over.
      for (const c of contenders) if (c !== stuck) c.resume();
      await waitFor('the stuck holder to stop believing', () => !stuck.election.isLeader(), { timeoutMs: 30_000 });
      const next = await waitFor('a takeover by another node', () => {
        const b = believer();
        return b !== undefined && b !== stuck ? b : undefined;
      });
      const after = await next.election.readHolder();
      if (after === undefined) throw new Error('no lease row after a takeover');
      expect(after.hostname).not.toBe(stuck.name);
      // The takeover statement ran at firstSeenActive (a later takeover by a third node only
      // moves it later), and it matches only a row not renewed for more than a lease.
      expect(after.firstSeenActive - held.lastSeenActive).toBeGreaterThan(LEASE_MS);

      // The stuck node comes back: it renews nothing it lost, and safety holds while it contends.
      const resumedAt = stuck.attempts;
      stuck.resume();
      await waitFor('three attempts by the returning node', () => stuck.attempts >= resumedAt + 3, {
        diagnose: () => stuck.errors.map(String),
      });
    } finally {
      for (const c of contenders) await c.stop();
      sampler.stop();
    }
    expect(sampler.samples).toBeGreaterThan(0);
    expect(sampler.overlaps).toEqual([]);
    expect(contenders.flatMap((c) => c.errors.map((e) => `${c.name}: ${String(e)}`))).toEqual([]);
  });

  it('steps down at once, and a grab waits out the previous holder before believing', async () => {
    // Belief is measured on a virtual clock; the one-minute lease never runs out by the database's
    // clock during the test, so every outcome below is determined.
    const clock = new ManualClock();
    const config = h.sharedConfig();
    const options = { leaseMs: 60_000, safetyMarginMs: 1000, clock };
    const a = (await h.open({}, config)).election({ hostname: 'a', token: 'ta', ...options });
    const b = (await h.open({}, config)).election({ hostname: 'b', token: 'tb', ...options });
    const outcomes: ElectionOutcome[] = [];
    outcomes.push(await a.attempt(), await b.attempt(), await a.attempt());
    expect(outcomes).toEqual(['acquired', 'held-by-other', 'renewed']);
    await a.stepDown();
    expect(a.isLeader()).toBe(false);
    expect(await a.readHolder()).toBeUndefined();
    expect(await b.attempt()).toBe('acquired');
    expect(b.isLeader()).toBe(true);

    // a grabs while b's lease is fresh: the row is a's at once, but a believes only a whole lease
    // after the grab's answer, when b's belief (renewed before the grab) is over.
    clock.advance(10);
    await a.grab();
    expect((await a.readHolder())?.hostname).toBe('a');
    expect(a.isLeader()).toBe(false);
    expect(await b.attempt()).toBe('held-by-other');
    expect(b.isLeader()).toBe(false);
    clock.advance(60_000 - 1);
    expect(a.isLeader()).toBe(false);
    clock.advance(1);
    expect(await a.attempt()).toBe('renewed');
    expect(a.isLeader()).toBe(true);
    expect(b.isLeader()).toBe(false);
  });
});

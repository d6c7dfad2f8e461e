import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { ActiveNodeElection } from '../src/index.js';
import { DIALECTS, DialectHarness } from './support/backends.js';

const LEASE_MS = 1500;
const MARGIN_MS = 300;
const RENEW_EVERY_MS = 200;

/** A contender: an election plus a renew loop that can be paused (a node stuck past its lease). */
class Contender {
  readonly name: string;
  readonly election: ActiveNodeElection;
  paused = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<unknown> = Promise.resolve();

  constructor(name: string, election: ActiveNodeElection) {
    this.name = name;
    this.election = election;
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (this.paused) return;
      this.#inFlight = this.election.attempt().catch((err: unknown) => console.error(`${this.name}: ${String(err)}`));
    }, RENEW_EVERY_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#inFlight;
  }
}

/** Polls `check` every few ms until it returns true, recording every observation; fails after `ms`. */
async function until(check: () => boolean, ms: number, observe: () => void, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    observe();
    if (check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(DIALECTS)('shared-backend election on %s', (dialect) => {
  const h = new DialectHarness(dialect);
  beforeAll(() => h.start(), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('has exactly one holder at every observation, and another takes over after the holder pauses past its lease', async () => {
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
    let maxBelievers = 0;
    let observations = 0;
    const observe = () => {
      observations++;
      maxBelievers = Math.max(maxBelievers, contenders.filter((c) => c.election.isLeader()).length);
    };
    const leader = () => contenders.find((c) => c.election.isLeader());
    try {
      contenders.forEach((c) => c.start());
      await until(() => leader() !== undefined, 10_000, observe, 'a first leader');
      const first = leader() as Contender;
      const holder = await first.election.readHolder();
      expect(holder).toMatchObject({ hostname: first.name, token: `${first.name}-token`, isExpired: false });

      // The leader keeps its lease while it renews.
      const keepUntil = Date.now() + 3 * LEASE_MS;
      await until(() => Date.now() > keepUntil, 10_000, observe, 'three lease periods');
      expect((await first.election.readHolder())?.hostname).toBe(first.name);

      // Paused past its lease: it stops believing, and only then someone else takes over.
      first.paused = true;
      await until(() => leader() !== undefined && leader() !== first, 15_000, observe, 'a takeover');
      expect(first.election.isLeader()).toBe(false);
      const second = leader() as Contender;
      expect((await second.election.readHolder())?.hostname).toBe(second.name);

      // The paused node comes back and finds the lease held.
      first.paused = false;
      expect(await first.election.attempt()).toBe('held-by-other');
      const settle = Date.now() + LEASE_MS;
      await until(() => Date.now() > settle, 10_000, observe, 'one more lease period');
      expect((await second.election.readHolder())?.hostname).toBe(second.name);
    } finally {
      for (const c of contenders) await c.stop();
    }
    expect(observations).toBeGreaterThan(100);
    expect(maxBelievers).toBe(1);
  }, 60_000);

  it('steps down at once, and a grab waits out the previous holder before believing', async () => {
    const config = h.sharedConfig();
    const a = (await h.open({}, config)).election({
      hostname: 'a',
      token: 'ta',
      leaseMs: LEASE_MS,
      safetyMarginMs: MARGIN_MS,
    });
    const b = (await h.open({}, config)).election({
      hostname: 'b',
      token: 'tb',
      leaseMs: LEASE_MS,
      safetyMarginMs: MARGIN_MS,
    });
    expect(await a.attempt()).toBe('acquired');
    expect(await b.attempt()).toBe('held-by-other');
    expect(await a.attempt()).toBe('renewed');
    await a.stepDown();
    expect(a.isLeader()).toBe(false);
    expect(await a.readHolder()).toBeUndefined();
    expect(await b.attempt()).toBe('acquired');
    expect(b.isLeader()).toBe(true);

    // a grabs while b's lease is fresh: the row is a's at once, but a believes only after b's belief is over.
    await a.grab();
    expect((await a.readHolder())?.hostname).toBe('a');
    expect(a.isLeader()).toBe(false);
    expect(await b.attempt()).toBe('held-by-other');
    expect(b.isLeader()).toBe(false);
    await until(
      () => a.isLeader(),
      10_000,
      () => void a.attempt().catch(() => undefined),
      'the grab to take effect',
    );
    expect(b.isLeader()).toBe(false);
  }, 30_000);
});

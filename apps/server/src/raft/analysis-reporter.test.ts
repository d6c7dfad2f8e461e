import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '@orc/testkit';
import type { ReplicationAnalysis } from '@orc/topology';
import { AnalysisReporter, deadEntries } from './analysis-reporter.js';
import type { AnalysisReport } from './failover-agreement.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const entry = (host: string, analysis: string): ReplicationAnalysis =>
  ({ AnalyzedInstanceKey: { Hostname: host, Port: 3306 }, Analysis: analysis }) as unknown as ReplicationAnalysis;

function reporter(taken = true): {
  clock: ManualClock;
  sent: AnalysisReport['entries'][];
  seen: { now: ReplicationAnalysis[]; costMs: number; runs: number };
  r: AnalysisReporter;
  accept: { ok: boolean };
} {
  const clock = new ManualClock();
  const sent: AnalysisReport['entries'][] = [];
  const seen = { now: [] as ReplicationAnalysis[], costMs: 0, runs: 0 };
  const accept = { ok: taken };
  const r = new AnalysisReporter({
    analysis: async () => {
      seen.runs++;
      clock.advance(seen.costMs); // the analysis of a large fleet takes this long
      return seen.now;
    },
    deliver: async (entries) => {
      sent.push(entries);
      return accept.ok;
    },
    clock,
    logger,
    refreshMs: 2000,
  });
  return { clock, sent, seen, r, accept };
}

describe('AnalysisReporter', () => {
  it('sends the dead servers when they change, refreshes them, and retracts them', async () => {
    const { clock, sent, seen, r } = reporter();
    seen.now = [entry('db1', 'DeadMaster'), entry('db2', 'UnreachableMaster')];
    r.poke();
    await r.idle();
    expect(sent).toEqual([[{ key: 'db1:3306', analysis: 'DeadMaster' }]]);
    r.poke();
    await r.idle();
    expect(sent).toHaveLength(1); // unchanged: not sent again before the refresh
    clock.advance(2000);
    await r.idle();
    expect(sent).toHaveLength(2);
    seen.now = [];
    r.poke();
    await r.idle();
    expect(sent[2]).toEqual([]);
    clock.advance(10_000);
    await r.idle();
    expect(sent).toHaveLength(3); // an empty report is not refreshed
  });

  it('retries a report the leader did not take', async () => {
    const { clock, sent, seen, r, accept } = reporter(false);
    seen.now = [entry('db1', 'DeadMaster')];
    r.poke();
    await r.idle();
    accept.ok = true;
    clock.advance(250);
    await r.idle();
    expect(sent).toHaveLength(2);
    r.stop();
  });
});

describe('AnalysisReporter pacing', () => {
  it('starts a run no sooner after the previous one than its analysis took', async () => {
    const { clock, seen, r } = reporter();
    seen.costMs = 400;
    r.poke();
    await r.idle();
    expect(seen.runs).toBe(1);
    seen.costMs = 0;
    r.poke();
    r.poke(); // folded into the same waiting run
    await r.idle();
    expect(seen.runs).toBe(1);
    clock.advance(399);
    await r.idle();
    expect(seen.runs).toBe(1);
    clock.advance(1);
    await r.idle();
    expect(seen.runs).toBe(2);
    r.poke(); // the last analysis took no time: at once
    await r.idle();
    expect(seen.runs).toBe(3);
    r.stop();
  });

  it('cancels a waiting run when stopped', async () => {
    const { clock, seen, r } = reporter();
    seen.costMs = 400;
    r.poke();
    await r.idle();
    r.poke();
    r.stop();
    clock.advance(10_000);
    await r.idle();
    expect(seen.runs).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('deadEntries', () => {
  it('keeps only the codes that need agreement, sorted by server', () => {
    expect(
      deadEntries([entry('db2', 'DeadCoMaster'), entry('db1', 'DeadIntermediateMaster'), entry('db3', 'NoProblem')]),
    ).toEqual([
      { key: 'db1:3306', analysis: 'DeadIntermediateMaster' },
      { key: 'db2:3306', analysis: 'DeadCoMaster' },
    ]);
  });
});

import { describe, it, expect } from '@jest/globals';
import { analyzeReplication, isLastCheckValid } from './analyze-replication.js';
import { matchesClusterFilters } from './cluster-filters.js';
import { unseenInstance } from '../instance/instance.js';
import { parseInstanceKey } from '../instance/instance-key.js';

describe('analyzeReplication', () => {
  const now = 1_000_000;
  const p = {
    ...unseenInstance(parseInstanceKey('p:3306')),
    hostname: 'p',
    lastSeenAt: now - 7000,
    lastCheckedAt: now - 1000,
  };

  it("emits orchestrator's field names and JSON shape", () => {
    const [entry] = analyzeReplication({ now, instances: [p] }, { recoverMasterClusterFilters: ['*'] });
    expect(entry).toMatchObject({
      AnalyzedInstanceKey: { Hostname: 'p', Port: 3306 },
      AnalyzedInstanceMasterKey: { Hostname: '', Port: 0 },
      ClusterDetails: { ClusterName: 'p:3306', ClusterAlias: 'p:3306', HasAutomatedMasterRecovery: true },
      Analysis: 'DeadMasterWithoutReplicas',
      Description: 'Master cannot be reached by orchestrator and has no replica',
      IsMaster: true,
      LastCheckValid: false,
      StructureAnalysis: [],
      Replicas: [],
      SlaveHosts: [],
    });
    expect(JSON.parse(JSON.stringify(entry))).toEqual(entry);
  });

  it('ignores servers never reached (a bad seed is not a dead primary)', () => {
    expect(analyzeReplication({ now, instances: [unseenInstance(parseInstanceKey('x:1'))] })).toEqual([]);
  });

  it('drops downtimed entries only when asked', () => {
    const snapshot = { now, instances: [p], downtimes: [{ key: p.key, endsAt: now + 60_000 }] };
    expect(analyzeReplication(snapshot)[0]?.SkippableDueToDowntime).toBe(true);
    expect(analyzeReplication(snapshot)[0]?.DowntimeRemainingSeconds).toBe(60);
    expect(analyzeReplication(snapshot, { includeDowntimed: false })).toEqual([]);
  });

  it('judges a pending attempt past poll + ReasonableInstanceCheckSeconds as not valid', () => {
    const i = { ...p, lastSeenAt: now, lastCheckedAt: now, lastAttemptedCheckAt: now + 6000 };
    const orchestrator = { pendingProbeInvalidates: false };
    expect(isLastCheckValid(i, orchestrator)).toBe(true);
    expect(isLastCheckValid({ ...i, lastAttemptedCheckAt: now + 6001 }, orchestrator)).toBe(false);
    expect(
      isLastCheckValid({ ...i, lastAttemptedCheckAt: now + 2001 }, { ...orchestrator, instancePollSeconds: 1 }),
    ).toBe(false);
  });

  it('judges a probe still pending after the last check as not valid by default (a hung probe)', () => {
    const i = { ...p, lastSeenAt: now, lastCheckedAt: now, lastAttemptedCheckAt: now };
    expect(isLastCheckValid(i)).toBe(true);
    expect(isLastCheckValid({ ...i, lastAttemptedCheckAt: now + 1000 })).toBe(false);
  });
});

describe('matchesClusterFilters', () => {
  const c = { ClusterName: 'db-main:3306', ClusterAlias: 'main' };
  it("follows orchestrator's filter forms", () => {
    expect(matchesClusterFilters(['alias=main'], c)).toBe(true);
    expect(matchesClusterFilters(['alias~=^ma'], c)).toBe(true);
    expect(matchesClusterFilters(['db-.*'], c)).toBe(true);
    expect(matchesClusterFilters(['main'], c)).toBe(true);
    expect(matchesClusterFilters(['*'], c)).toBe(true);
    expect(matchesClusterFilters(['alias=other', 'zzz', ''], c)).toBe(false);
  });
});

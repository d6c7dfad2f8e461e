import { describe, it, expect } from '@jest/globals';
import { analyzeReplication } from './analyze-replication.js';
import type { Instance } from '../instance/instance.js';
import { isHeartbeatSilent, unseenInstance } from '../instance/instance.js';
import { parseInstanceKey } from '../instance/instance-key.js';
import { runningReplication } from '../../test/replication-status.js';

// Virtual time: every stamp is an explicit epoch millisecond; nothing reads a clock.
const T0 = 10_000_000;
const primaryKey = parseInstanceKey('p:3306');

function primary(reachable: boolean, at: number): Instance {
  return {
    ...unseenInstance(primaryKey),
    hostname: 'p',
    hasLogBin: true,
    replicaKeys: [parseInstanceKey('r1:3306'), parseInstanceKey('r2:3306')],
    lastSeenAt: reachable ? at : T0,
    lastCheckedAt: at,
    lastAttemptedCheckAt: at,
  };
}

/** A replica whose IO and SQL threads both say Yes (as they do until slave_net_timeout). */
function replica(
  name: string,
  checkedAt: number,
  heardAt: number,
  period = 0.5,
  counter: number | null = 40,
): Instance {
  return {
    ...unseenInstance(parseInstanceKey(`${name}:3306`)),
    hostname: name,
    hasLogBin: true,
    hasLogReplicaUpdates: true,
    masterKey: primaryKey,
    lastSeenAt: checkedAt,
    lastCheckedAt: checkedAt,
    lastAttemptedCheckAt: checkedAt,
    replicationHeardAt: heardAt,
    replication: runningReplication(primaryKey, {
      readBinlogCoordinates: { file: 'b.000001', position: 400 },
      execBinlogCoordinates: { file: 'b.000001', position: 400 },
      retrievedGtidSet: '0-1-5',
      receivedHeartbeats: counter,
      heartbeatPeriodSeconds: period,
    }),
  };
}

function codeAt(now: number, instances: Instance[]): string | undefined {
  return analyzeReplication({ now, instances }).find((e) => e.AnalyzedInstanceKey.Hostname === 'p')?.Analysis;
}

describe('heartbeat witnesses of a silent primary', () => {
  it('counts a replica as silent only after the configured number of heartbeat periods', () => {
    expect(isHeartbeatSilent(replica('r1', T0 + 1499, T0), 3)).toBe(false);
    expect(isHeartbeatSilent(replica('r1', T0 + 1500, T0), 3)).toBe(true);
  });

  it('never counts a replica without heartbeats or without a counter', () => {
    expect(isHeartbeatSilent(replica('r1', T0 + 60_000, T0, 0), 3)).toBe(false);
    expect(isHeartbeatSilent(replica('r1', T0 + 60_000, T0, 0.5, null), 3)).toBe(false);
  });

  it('reaches DeadMaster once orc fails and every reachable replica stopped hearing the primary', () => {
    const now = T0 + 2000;
    const instances = [primary(false, now), replica('r1', now, T0), replica('r2', now, T0 + 100)];
    expect(codeAt(now, instances)).toBe('DeadMaster');
  });

  it('stays UnreachableMaster while one replica still hears the primary (orc-only partition)', () => {
    // Heartbeats keep arriving at r2 at every probe: its heard-at follows its last check.
    for (let t = T0 + 100; t <= T0 + 60_000; t += 100) {
      const instances = [primary(false, t), replica('r1', t, T0), replica('r2', t, t)];
      expect(codeAt(t, instances)).toBe('UnreachableMaster');
    }
  });

  it('keeps counting replicas that still hear the primary when every counter moves', () => {
    const now = T0 + 60_000;
    const instances = [primary(false, now), replica('r1', now, now), replica('r2', now, now - 200)];
    expect(codeAt(now, instances)).toBe('UnreachableMaster');
  });

  it('ignores heartbeats while orc reaches the primary (an idle counter is no failure then)', () => {
    const now = T0 + 60_000;
    const instances = [primary(true, now), replica('r1', now, T0), replica('r2', now, T0)];
    expect(codeAt(now, instances)).toBeUndefined();
  });

  it('is off with heartbeatSilentPeriods 0: the IO threads are believed until they time out', () => {
    const now = T0 + 60_000;
    const instances = [primary(false, now), replica('r1', now, T0), replica('r2', now, T0)];
    const [entry] = analyzeReplication({ now, instances }, { heartbeatSilentPeriods: 0 });
    expect(entry?.Analysis).toBe('UnreachableMaster');
  });

  it('does not call a primary dead when a replica is unreachable to orc as well', () => {
    const now = T0 + 60_000;
    const r2 = { ...replica('r2', now, T0), lastSeenAt: T0 };
    const instances = [primary(false, now), replica('r1', now, T0), r2];
    expect(codeAt(now, instances)).not.toBe('DeadMaster');
  });
});

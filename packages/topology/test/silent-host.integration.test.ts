// A primary whose host goes silent (no reset, no refusal: its packets vanish) against one that
// only orc cannot reach, on real MariaDB in network namespaces (@orc/testenv's
// startNetnsTopology): the primary on a host of its own, two replicas on another, orc (this
// process) in the root namespace with its own path to the primary. Replicas use a 1 s
// MASTER_HEARTBEAT_PERIOD, as docs/recovery.md recommends; orc runs at its defaults.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { NetnsTopology } from '@orc/testenv';
import { startNetnsTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import type { ReplicationAnalysis } from '../src/index.js';
import { OrcTopology, instanceKey } from '../src/index.js';

let servers: NetnsTopology | undefined;
let topology: OrcTopology | undefined;

afterEach(async () => {
  await topology?.stop();
  await servers?.stop();
  topology = undefined;
  servers = undefined;
}, 60_000);

/** Starts the servers and orc, and waits until orc has seen all three replicating. */
async function start(name: string, slaveNetTimeoutSeconds: number): Promise<{ s: NetnsTopology; orc: OrcTopology }> {
  const s = await startNetnsTopology({ name, heartbeatPeriodSeconds: 1, slaveNetTimeoutSeconds });
  servers = s;
  const orc = new OrcTopology({
    config: {
      discoverySeeds: [instanceKey(s.primary.host, s.primary.port)],
      mysqlTopologyUser: s.orcUser.user,
      mysqlTopologyPassword: s.orcUser.password,
    },
  });
  topology = orc;
  await orc.start();
  await waitFor(
    'orc sees the primary and both replicas replicating, with their heartbeat counters',
    () =>
      s.replicas.every((r) => {
        const i = orc.instance(instanceKey(r.host, r.port));
        return (
          i?.replication?.ioThreadState === 'Yes' &&
          i.masterKey === instanceKey(s.primary.host, s.primary.port) &&
          i.replication.receivedHeartbeats !== null
        );
      }) && (orc.instance(instanceKey(s.primary.host, s.primary.port))?.lastSeenAt ?? null) !== null,
    { timeoutMs: 60_000 },
  );
  return { s, orc };
}

function primaryEntry(entries: readonly ReplicationAnalysis[], s: NetnsTopology): ReplicationAnalysis | undefined {
  const key = instanceKey(s.primary.host, s.primary.port);
  return entries.find((e) => instanceKey(e.AnalyzedInstanceKey.Hostname, e.AnalyzedInstanceKey.Port) === key);
}

async function ioThreadStates(s: NetnsTopology): Promise<string[]> {
  const states: string[] = [];
  for (const r of s.replicas) {
    const [row] = (await r.query('SHOW SLAVE STATUS')) as { Slave_IO_Running?: string }[];
    states.push(row?.Slave_IO_Running ?? 'none');
  }
  return states;
}

describe('a silent primary host, in network namespaces', () => {
  it('is DeadMaster on the replicas heartbeat witness while their IO threads still say Yes', async () => {
    // slave_net_timeout stays at MariaDB's 60 s default: only the heartbeat witness can explain a
    // verdict reached while the IO threads still claim to be connected.
    const { s, orc } = await start('silent-a', 60);
    await s.silencePrimaryHost();
    let entry: ReplicationAnalysis | undefined;
    await waitFor(
      'DeadMaster on the silent primary',
      async () => {
        entry = primaryEntry(await orc.analysis(), s);
        return entry?.Analysis === 'DeadMaster';
      },
      {
        timeoutMs: 45_000,
        intervalMs: 50,
        diagnose: () => ({
          analysis: entry?.Analysis,
          instances: orc.instances().map((i) => [i.key, i.lastProbeError?.code, i.replicationHeardAt]),
        }),
      },
    );
    expect(entry?.CountReplicas).toBe(2);
    expect(entry?.CountValidReplicasConnectedToMaster).toBe(0);
    expect(await ioThreadStates(s)).toEqual(['Yes', 'Yes']);
  }, 180_000);

  it('is never DeadMaster when only orc loses it and the replicas still hear it', async () => {
    const { s, orc } = await start('silent-b', 10);
    const primary = instanceKey(s.primary.host, s.primary.port);
    const heartbeatsAtCut = s.replicas.map(
      (r) => orc.instance(instanceKey(r.host, r.port))?.replication?.receivedHeartbeats ?? 0,
    );
    // Every analysis orc would act on is checked: one after every probe it makes.
    const seen: string[] = [];
    const pending: Promise<void>[] = [];
    const unsubscribe = orc.onProbe(() => {
      pending.push(
        orc.analysis().then((entries) => {
          seen.push(primaryEntry(entries, s)?.Analysis ?? 'NoProblem');
        }),
      );
    });
    try {
      await s.cutOrcPath();
      // The window: orc has found the primary unreachable, and then each replica's counter (as orc
      // reads it) has moved by more than twice the witness threshold of 3 silent periods, well past
      // the moment the silent-host test above reaches its verdict.
      await waitFor(
        'orc finds the primary unreachable while the replicas count 8 more heartbeats',
        () =>
          (orc.instance(primary)?.lastProbeError ?? null) !== null &&
          seen.some((code) => code.startsWith('Unreachable')) &&
          s.replicas.every(
            (r, i) =>
              (orc.instance(instanceKey(r.host, r.port))?.replication?.receivedHeartbeats ?? 0) >=
              (heartbeatsAtCut[i] ?? 0) + 8,
          ),
        {
          timeoutMs: 90_000,
          diagnose: () => ({ codes: [...new Set(seen)], error: orc.instance(primary)?.lastProbeError?.code }),
        },
      );
    } finally {
      unsubscribe();
      await Promise.all(pending);
    }
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.filter((code) => code.startsWith('Dead'))).toEqual([]);
    expect(await ioThreadStates(s)).toEqual(['Yes', 'Yes']);
  }, 180_000);
});

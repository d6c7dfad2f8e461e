import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import type { Backend } from '@orc/backend';
import { openMemoryBackend } from '../../test/memory-backend.js';
import { BackendInstanceStore, fromInstanceRecord, toInstanceRecord } from './backend-instance-store.js';
import { BackendAnalysisState } from './backend-analysis-state.js';
import { DiscoveryLoop } from '../discovery/discovery-loop.js';
import { ManualClock, instanceRow, replicaRow } from '@orc/testkit';
import { validateTopologyConfig } from '../topology-config.js';
import { analyzeReplication } from '../analysis/analyze-replication.js';
import { FakeWorld, findingsOf, k } from '../../test/fake-world.js';
import { advanceSettled } from '../../test/advance.js';
import type { Instance } from '../instance/instance.js';

let backend: Backend;
beforeEach(async () => {
  backend = await openMemoryBackend();
});
afterEach(() => backend.close());

describe('backend adapters (SQLite in memory)', () => {
  it('round-trips an instance through a database_instance row', () => {
    const world = new FakeWorld()
      .add('p:3306', null)
      .add('r1:3306', 'p:3306', { io: 'Connecting', ioError: 'error reconnecting to master' });
    const r1: Instance = {
      key: k('r1:3306'),
      ...findingsOf(k('r1:3306'), world.server('r1:3306')),
      clusterName: 'p:3306',
      replicationDepth: 1,
      isCoMaster: false,
      binlogCoordinatesUnchangedSince: null,
      lastCheckedAt: 2000,
      lastSeenAt: 1000,
      lastAttemptedCheckAt: 2000,
      isLastCheckPartialSuccess: false,
      lastProbeError: null,
    };
    const back = fromInstanceRecord(toInstanceRecord(r1));
    expect(back.masterKey).toBe('p:3306');
    expect(back.replication?.ioThreadState).toBe('Connecting');
    expect(back.replication?.lastIoError).toBe('error reconnecting to master');
    expect(back.lastCheckedAt! > back.lastSeenAt!).toBe(true);
    expect(back.clusterName).toBe('p:3306');
    expect(fromInstanceRecord(toInstanceRecord({ ...r1, replicaKeys: [k('x:1')] })).replicaKeys).toEqual(['x:1']);
  });

  it('lets the discovery loop write batches to the backend and restart from it', async () => {
    const world = new FakeWorld().add('p:3306', null).add('r1:3306', 'p:3306').add('r2:3306', 'p:3306');
    const clock = new ManualClock();
    const store = new BackendInstanceStore(backend);
    const config = validateTopologyConfig({ discoverySeeds: ['r1:3306'] });
    const loop = new DiscoveryLoop({ config, prober: world, store, clock });
    await loop.start();
    await advanceSettled(clock, 500);
    await loop.stop();
    const stored = await backend.instances.readAll();
    expect(stored.map((r) => `${r.hostname}:${r.port}:${r.clusterName}`)).toEqual([
      'p:3306:p:3306',
      'r1:3306:p:3306',
      'r2:3306:p:3306',
    ]);

    // A new loop starts from what the backend holds, before probing anything.
    world.server('p:3306').failWith = 'CONNECTION_REFUSED';
    const loop2 = new DiscoveryLoop({ config: validateTopologyConfig({}), prober: world, store, clock });
    await loop2.start();
    expect(loop2.instances().length).toBe(3);
    await advanceSettled(clock, 100);
    expect(loop2.instance(k('p:3306'))?.lastProbeError?.code).toBe('CONNECTION_REFUSED');
    await loop2.stop();
  });

  it('analyses rows another node wrote: a primary gone silent while its replicas lost it', async () => {
    const now = Date.UTC(2026, 0, 1);
    const seen = { lastChecked: now - 1000, lastAttemptedCheck: now - 1000, lastSeen: now - 1000 };
    const p = { hostname: 'p', port: 3306 };
    const lost = {
      ...seen,
      slaveIoRunning: false,
      replicationIoThreadState: 2,
      lastIoError: 'error reconnecting to master',
    };
    await backend.instances.upsert([
      instanceRow('p', 3306, {
        clusterName: 'p:3306',
        lastChecked: now - 1000,
        lastAttemptedCheck: now - 1000,
        lastSeen: now - 20_000,
      }),
      replicaRow('r1', 3306, p, 'p:3306', lost),
      replicaRow('r2', 3306, p, 'p:3306', lost),
    ]);
    const instances = await new BackendInstanceStore(backend).readInstances();
    expect(instances.find((i) => i.key === k('r1:3306'))?.masterKey).toBe('p:3306');
    const entries = analyzeReplication({ now, instances });
    expect(entries.find((e) => e.AnalyzedInstanceKey.Hostname === 'p')?.Analysis).toBe('DeadMaster');
  });

  it('reads downtime and candidates for the analysis', async () => {
    await backend.downtime.begin({
      key: { hostname: 'p', port: 3306 },
      owner: 'ops',
      reason: 'upgrade',
      durationSeconds: 600,
    });
    await backend.candidates.register({ hostname: 'r1', port: 3306 }, 'must_not');
    const state = new BackendAnalysisState(backend);
    const downtimes = await state.readDowntimes();
    expect(downtimes.map((d) => d.key)).toEqual(['p:3306']);
    const candidates = await state.readCandidates();
    expect(candidates).toMatchObject([{ key: 'r1:3306', promotionRule: 'must_not' }]);
    const now = Date.UTC(2026, 0, 1);
    const p = fromInstanceRecord(
      instanceRow('p', 3306, {
        clusterName: 'p:3306',
        lastChecked: now,
        lastAttemptedCheck: now,
        lastSeen: now - 10_000,
      }),
    );
    const entries = analyzeReplication({ now, instances: [p], downtimes }, {});
    expect(entries[0]?.IsDowntimed).toBe(true);
  });
});

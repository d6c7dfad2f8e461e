// The `silent` line of pnpm bench:failover: the primary's host falls silent (its links go down
// in a network namespace: no reset, no refusal) instead of a kill -9. The replicas run a 1 s
// MASTER_HEARTBEAT_PERIOD and slave_net_timeout=10 (docs/recovery.md); orc runs at its defaults
// (5 s poll; the primary every PrimaryPollMilliseconds, 1 s, ADR 0504). detect_ms: silence ->
// DeadMaster; writable_ms: silence -> the new primary accepted orc's write probe. Silences land at
// every phase of the poll.
import '../../scripts/ts-hooks.mjs';

const topologyPkg = await import('../../../packages/topology/src/index.ts');
const testenv = await import('../../testenv/src/index.ts');
const harness = await import('../../../packages/topology/test/recovery-harness.ts');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One trial's figures, or why it failed. */
export type SilentTrial =
  | { ok: true; detectMs: number; writableMs: number; steps: { name: string; ms: number }[] }
  | { ok: false; reason: string };

/** Runs one silent-host failover on a fresh namespaced 1+2 topology. */
export async function silentTrial(t: number, heartbeatPeriodSeconds = 1): Promise<SilentTrial> {
  const servers = await testenv.startNetnsTopology({
    name: `bench-silent-${t}`,
    heartbeatPeriodSeconds,
    slaveNetTimeoutSeconds: 10,
  });
  const world = await harness.startRecoveryWorld('1+2', { servers, pollSeconds: 5 });
  try {
    await sleep(200 + Math.random() * 5000);
    const silencedAt = performance.now();
    await servers.silencePrimaryHost();
    const failedKey = world.keyOf(servers.primary);
    let entry;
    for (;;) {
      entry = (await world.topology.analysis()).find(
        (e) =>
          e.Analysis === 'DeadMaster' &&
          `${e.AnalyzedInstanceKey.Hostname}:${e.AnalyzedInstanceKey.Port}` === failedKey,
      );
      if (entry !== undefined) break;
      if (performance.now() - silencedAt > 90_000) return { ok: false, reason: 'no DeadMaster within 90 s' };
      await sleep(2);
    }
    const detectMs = performance.now() - silencedAt;
    const request = topologyPkg.deadMasterRequest(entry, { now: Date.now(), instances: world.topology.instances() })!;
    const report = await world.engine.recoverDeadMaster(request);
    await report.settled;
    if (report.status !== 'successful' || report.timings.writableMs === null) {
      return { ok: false, reason: `${report.status}: ${report.reason}` };
    }
    let previous = 0;
    const steps = report.steps.map((s) => {
      const ms = s.elapsedMs - previous;
      previous = s.elapsedMs;
      return { name: s.name, ms };
    });
    return { ok: true, detectMs, writableMs: detectMs + report.timings.writableMs, steps };
  } finally {
    await world.close();
  }
}

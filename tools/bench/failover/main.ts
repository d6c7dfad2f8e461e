// pnpm bench:failover — kill -9 of a MariaDB primary under a writer committing a row every 5 ms,
// detected by orc's analysis and recovered by its RecoveryEngine, on real 1+2 and 1+3
// topologies from @orc/testenv, with the new primary published to the internal KV store and a
// real etcd. Times are from the kill; one JSON line per shape (median and max over the trials).
// Then a `silent` line (the primary's host silenced in a network namespace, silent.ts) and a
// `graceful` line (graceful takeover under writes, graceful.ts).
// Run with: node --conditions=@orc/source tools/bench/failover/main.ts [--trials N] [--shapes 1+2,1+3]
//   [--cases kill,silent,graceful] [--silent-trials 5] [--silent-heartbeat 0.5] [--graceful-trials 5]
import '../../scripts/ts-hooks.mjs';
import { loadavg } from 'node:os';

const topologyPkg = await import('../../../packages/topology/src/index.ts');
const kvPkg = await import('../../../packages/kv/src/index.ts');
const testenv = await import('../../testenv/src/index.ts');
const harness = await import('../../../packages/topology/test/recovery-harness.ts');

const argOf = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const trials = Number(argOf('--trials', '10'));
if (!Number.isInteger(trials) || trials <= 0) throw new Error('--trials must be a positive integer');
const cases = new Set(argOf('--cases', 'kill,silent,graceful').split(','));
const shapes = cases.has('kill') ? argOf('--shapes', '1+2,1+3').split(',') : [];
const silentTrials = Number(argOf('--silent-trials', '5'));
const gracefulTrials = Number(argOf('--graceful-trials', '5'));
const silentHeartbeat = Number(argOf('--silent-heartbeat', '0.5')); // docs/recovery.md's recommended period

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stat = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor(s.length / 2)] ?? NaN), max: Math.round(s[s.length - 1] ?? NaN) };
};

const loadAverage = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

const etcd = shapes.length === 0 ? null : await testenv.startEtcd({ name: 'bench-failover' });
try {
  for (const shape of shapes) {
    const m = { detect: [] as number[], writable: [] as number[], repointed: [] as number[], kv: [] as number[] };
    let lost = 0;
    let failures = 0;
    const steps: Record<string, number[]> = {};
    for (let t = 0; t < trials; t++) {
      const publisher = kvPkg.createKvPublisher(kvPkg.validateKvConfig({ etcd: { endpoints: [etcd!.endpoint] } }), {
        table: new kvPkg.MemoryKvTable(),
      });
      const world = await harness.startRecoveryWorld(shape as '1+2', {
        name: `bench-failover-${t}`,
        pollSeconds: 5,
        kv: topologyPkg.kvPublisherPort(publisher),
      });
      try {
        // A running daemon holds its KV connections open: connect them before the kill.
        await Promise.all([publisher.internal, ...publisher.external].map((s) => s.ping()));
        const writer = await harness.startWriter(world.servers.primary, 5);
        await sleep(200 + Math.random() * 5000); // kills land at every phase of the 5 s poll
        const killedAt = performance.now();
        await world.servers.primary.kill();
        const failedKey = world.keyOf(world.servers.primary);
        let entry;
        for (;;) {
          entry = (await world.topology.analysis()).find(
            (e) =>
              e.Analysis === 'DeadMaster' &&
              `${e.AnalyzedInstanceKey.Hostname}:${e.AnalyzedInstanceKey.Port}` === failedKey,
          );
          if (entry !== undefined) break;
          if (performance.now() - killedAt > 60_000) throw new Error('no DeadMaster within 60 s');
          await sleep(2);
        }
        const detectedAt = performance.now();
        const request = topologyPkg.deadMasterRequest(entry, {
          now: Date.now(),
          instances: world.topology.instances(),
        })!;
        const report = await world.engine.recoverDeadMaster(request);
        await writer.stop();
        await report.settled;
        if (report.status !== 'successful' || report.timings.writableMs === null) {
          failures++;
          console.error(JSON.stringify({ trial: t, shape, status: report.status, reason: report.reason }));
          continue;
        }
        const offset = detectedAt - killedAt;
        m.detect.push(offset);
        m.writable.push(offset + report.timings.writableMs);
        m.repointed.push(offset + (report.timings.repointedMs ?? NaN));
        m.kv.push(offset + (report.timings.kvMs ?? NaN));
        let previous = 0;
        for (const s of report.steps) {
          (steps[s.name] ??= []).push(s.elapsedMs - previous);
          previous = s.elapsedMs;
        }
        const inEtcd = await publisher.external[0]!.get(`mysql/master/main`);
        if (inEtcd !== report.successor) throw new Error(`etcd holds ${inEtcd}, expected ${report.successor}`);
        // Rows that reached some replica and are missing from the new primary.
        const promoted = world.byKey(report.successor!);
        const onPrimary = await harness.idsOn(promoted);
        const missing = new Set<number>();
        for (const r of world.servers.replicas)
          for (const id of await harness.idsOn(r)) if (!onPrimary.has(id)) missing.add(id);
        lost += missing.size;
      } finally {
        await publisher.close();
        await world.close();
      }
    }
    const d = stat(m.detect);
    const w = stat(m.writable);
    const r = stat(m.repointed);
    const k = stat(m.kv);
    console.log(
      JSON.stringify({
        bench: 'failover',
        shape,
        trials,
        failed_trials: failures,
        detect_ms_median: d.median,
        detect_ms_max: d.max,
        writable_ms_median: w.median,
        writable_ms_max: w.max,
        repointed_ms_median: r.median,
        repointed_ms_max: r.max,
        kv_ms_median: k.median,
        kv_ms_max: k.max,
        lost_txns: lost,
        load_average: loadAverage(),
        step_ms_median: Object.fromEntries(Object.entries(steps).map(([name, xs]) => [name, stat(xs).median])),
      }),
    );
  }
} finally {
  await etcd?.destroy();
}

if (cases.has('silent')) {
  const { silentTrial } = await import('./silent.ts');
  const detect: number[] = [];
  const writable: number[] = [];
  const steps: Record<string, number[]> = {};
  let failures = 0;
  for (let t = 0; t < silentTrials; t++) {
    const trial = await silentTrial(t, silentHeartbeat);
    if (!trial.ok) {
      failures++;
      console.error(JSON.stringify({ case: 'silent', trial: t, reason: trial.reason }));
      continue;
    }
    detect.push(trial.detectMs);
    writable.push(trial.writableMs);
    for (const s of trial.steps) (steps[s.name] ??= []).push(s.ms);
  }
  const d = stat(detect);
  const w = stat(writable);
  console.log(
    JSON.stringify({
      bench: 'failover',
      shape: 'silent',
      trials: silentTrials,
      heartbeat_period_s: silentHeartbeat,
      failed_trials: failures,
      detect_ms_median: d.median,
      detect_ms_max: d.max,
      writable_ms_median: w.median,
      writable_ms_max: w.max,
      step_ms_median: Object.fromEntries(Object.entries(steps).map(([name, xs]) => [name, stat(xs).median])),
      load_average: loadAverage(),
    }),
  );
}

if (cases.has('graceful')) {
  const { gracefulTrial } = await import('./graceful.ts');
  const outage: number[] = [];
  let lost = 0;
  let failures = 0;
  for (let t = 0; t < gracefulTrials; t++) {
    const trial = await gracefulTrial(t);
    if (!trial.ok) {
      failures++;
      console.error(JSON.stringify({ case: 'graceful', trial: t, reason: trial.reason }));
      continue;
    }
    outage.push(trial.writeOutageMs);
    lost += trial.lostWrites;
  }
  const o = stat(outage);
  console.log(
    JSON.stringify({
      bench: 'failover',
      shape: 'graceful',
      trials: gracefulTrials,
      failed_trials: failures,
      write_outage_ms_median: o.median,
      write_outage_ms_max: o.max,
      lost_writes: lost,
      load_average: loadAverage(),
    }),
  );
}

// pnpm bench:detect — time from kill -9 of a primary to DeadMaster in orc's analysis, on a real
// MariaDB 1+2 topology from @orc/testenv. 5 trials per poll setting (the default 5 s, then 1 s);
// before each kill the bench waits a random part of a poll interval so that kills land at every
// phase of the poll. Prints one JSON line per poll setting.
// Run with: node --conditions=@orc/source tools/bench/detect/main.ts [--trials N]
import '../../scripts/ts-hooks.mjs';

const topologyPkg = await import('../../../packages/topology/src/index.ts');
const testenv = await import('../../testenv/src/index.ts');

const arg = process.argv.indexOf('--trials');
const trials = arg > 0 ? Number(process.argv[arg + 1]) : 5;
if (!Number.isInteger(trials) || trials <= 0) throw new Error('--trials must be a positive integer');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const topo = await testenv.startMariaDbTopology({ shape: '1+2', name: 'bench-detect' });
try {
  await topo.waitReplicating();
  const primaryKey = topologyPkg.instanceKey(topo.primary.host, topo.primary.port);
  for (const pollSeconds of [5, 1]) {
    const times: number[] = [];
    for (let t = 0; t < trials; t++) {
      const orc = new topologyPkg.OrcTopology({
        config: {
          discoverySeeds: [primaryKey],
          mysqlTopologyUser: topo.orcUser.user,
          mysqlTopologyPassword: topo.orcUser.password,
          instancePollSeconds: pollSeconds,
        },
      });
      await orc.start();
      await waitFor('3 healthy instances', async () => {
        const seen = orc.instances().filter((i) => i.lastSeenAt !== null && i.lastProbeError === null);
        return seen.length === 3 && (await orc.analysis()).length === 0;
      });
      await sleep(Math.random() * pollSeconds * 1000);
      const killedAt = performance.now();
      await topo.primary.kill();
      await waitFor('DeadMaster', async () => (await orc.analysis()).some((e) => e.Analysis === 'DeadMaster'));
      times.push(performance.now() - killedAt);
      await orc.stop();
      await topo.primary.start();
      await topo.waitReplicating();
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: 'detect',
        poll_s: pollSeconds,
        trials,
        dead_master_ms_median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
        dead_master_ms_max: Math.round(sorted[sorted.length - 1]!),
      }),
    );
  }
} finally {
  await topo.stop();
}

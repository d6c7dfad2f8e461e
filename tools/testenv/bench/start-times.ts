// `pnpm bench:testenv`: how long each kind of test server takes to start, cold and warm.
// Prints one JSON line. Run it a few times: the machine is shared, figures are noisy.
import '../../scripts/ts-hooks.mjs';

const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const t = await import('../src/index.js');

const rounds = Number(process.argv[2] ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await fn();
  return Math.round(performance.now() - began);
}

const figures: Record<string, number[]> = {
  templateColdMs: [],
  mariadbWarmMs: [],
  mariadbRestartMs: [],
  mariadbKillStartMs: [],
  topology1plus2Ms: [],
  topologyChain4Ms: [],
  topologyStopMs: [],
  zookeeperMs: [],
  zookeeperRestartMs: [],
  etcdMs: [],
  etcdRestartMs: [],
  haproxyMs: [],
};

for (let round = 0; round < rounds; round++) {
  // Cold: a fresh cache directory forces mariadb-install-db and the bootstrap.
  const cacheDir = mkdtempSync(join(tmpdir(), 'orc-testenv-bench-cache-'));
  try {
    const tpl = await t.ensureMariaDbTemplate({
      mariadbd: '/usr/sbin/mariadbd',
      installDb: '/usr/bin/mariadb-install-db',
      cacheDir,
      logger: t.noopLogger,
      timeoutMs: 120_000,
    });
    figures.templateColdMs?.push(tpl.ms);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }

  let db: Awaited<ReturnType<typeof t.startMariaDb>> | undefined;
  figures.mariadbWarmMs?.push(await timed(async () => (db = await t.startMariaDb({ name: 'bench' }))));
  if (db !== undefined) {
    const d = db;
    await d.stop();
    figures.mariadbRestartMs?.push(await timed(() => d.start()));
    await d.kill();
    figures.mariadbKillStartMs?.push(await timed(() => d.start()));
    await d.destroy();
  }

  let topo: Awaited<ReturnType<typeof t.startMariaDbTopology>> | undefined;
  figures.topology1plus2Ms?.push(await timed(async () => (topo = await t.startMariaDbTopology({ shape: '1+2' }))));
  figures.topologyStopMs?.push(await timed(async () => topo?.stop()));
  figures.topologyChain4Ms?.push(
    await timed(async () => {
      const chain = await t.startMariaDbTopology({
        shape: [{ name: 'p' }, { name: 'r1', source: 'p' }, { name: 'im', source: 'p' }, { name: 'r2', source: 'im' }],
      });
      topo = chain;
    }),
  );
  await topo?.stop();

  let zk: Awaited<ReturnType<typeof t.startZooKeeper>> | undefined;
  figures.zookeeperMs?.push(await timed(async () => (zk = await t.startZooKeeper())));
  await zk?.stop();
  figures.zookeeperRestartMs?.push(await timed(async () => zk?.start()));
  await zk?.destroy();

  let etcd: Awaited<ReturnType<typeof t.startEtcd>> | undefined;
  figures.etcdMs?.push(await timed(async () => (etcd = await t.startEtcd())));
  await etcd?.stop();
  figures.etcdRestartMs?.push(await timed(async () => etcd?.start()));
  await etcd?.destroy();

  let hap: Awaited<ReturnType<typeof t.startHaproxy>> | undefined;
  figures.haproxyMs?.push(
    await timed(
      async () =>
        (hap = await t.startHaproxy({ config: t.leaderCheckHaproxyConfig({ backends: [{ name: 'n1', port: 1 }] }) })),
    ),
  );
  await hap?.destroy();
}

const result: Record<string, unknown> = { bench: 'testenv-start', rounds };
for (const [k, xs] of Object.entries(figures)) result[k] = { median: median(xs), all: xs };
console.log(JSON.stringify(result));

// pnpm bench:api: the HTTP layer (@orc/api on fastify) serving 1,000 known servers (200 clusters
// of 1 primary + 4 replicas, a synthetic view: no database, no probes, so the figure is the API's
// own cost). For GET /api/clusters-info and GET /api/instance/:host/:port it runs a fixed number
// of requests at a fixed concurrency over keep-alive connections and prints one JSON line with
// `rps` and `p99_ms` for each. Run: pnpm bench:api [--requests N] [--concurrency C]
import { performance } from 'node:perf_hooks';
import { buildApi, type CommandBus, type OrcView } from '@orc/api';
import { instanceKey, unseenInstance, type ClusterInfo, type Instance } from '@orc/topology';
import { Agent, request } from 'undici';

const argOf = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new TypeError(`${name} must be a positive integer`);
  return v;
};
const requests = argOf('--requests', 20_000);
const concurrency = argOf('--concurrency', 32);

const now = Date.now();
const instances: Instance[] = [];
const clusters: ClusterInfo[] = [];
for (let c = 0; c < 200; c++) {
  const host = (m: number): string => `10.${Math.floor(c / 250)}.${c % 250}.${m + 1}`;
  const primary = instanceKey(host(0), 3306);
  const members = [primary];
  for (let m = 0; m < 5; m++) {
    const key = instanceKey(host(m), 3306);
    if (m > 0) members.push(key);
    instances.push({
      ...unseenInstance(key),
      hostname: host(m),
      version: '10.11.6-MariaDB-log',
      flavor: 'mariadb',
      isReadOnly: m > 0,
      binlogFormat: 'ROW',
      masterKey: m === 0 ? null : primary,
      clusterName: primary,
      replicationDepth: m === 0 ? 0 : 1,
      lastCheckedAt: now,
      lastSeenAt: now,
    });
  }
  clusters.push({
    clusterName: primary,
    clusterAlias: `cluster${c}`,
    clusterDomain: '',
    masterKey: primary,
    instanceKeys: members,
  });
}
const byKey = new Map(instances.map((i) => [i.key, i]));
const view: OrcView = {
  instances: () => instances,
  instance: (k) => byKey.get(k),
  clusters: async () => clusters,
  analysis: async () => [],
  downtimes: async () => [],
  maintenance: async () => [],
  candidates: async () => [],
  audit: async () => [],
  recoveries: async () => [],
  recoverySteps: async () => [],
  globalRecoveriesDisabled: async () => false,
  clusterRecoveriesDisabled: async () => false,
  instanceTags: async () => [],
  taggedInstances: async () => [],
  defaultPort: 3306,
  pollSeconds: 5,
};
const commands: CommandBus = {
  submit: () => Promise.reject(new TypeError('the API bench sends no commands')),
};
const app = buildApi({
  view,
  commands,
  node: {
    isLive: () => true,
    isReady: () => true,
    isActive: () => true,
    health: async () => {
      throw new TypeError('not used');
    },
  },
  options: {
    urlPrefix: '',
    auth: { method: '', user: '', password: '', userHeader: 'X-Forwarded-User', powerUsers: ['*'] },
    readOnly: false,
    statusEndpoint: '/api/status',
  },
});
const base = await app.listen({ host: '127.0.0.1', port: 0 });
const agent = new Agent({ connections: concurrency, pipelining: 1 });

async function measure(path: (i: number) => string): Promise<{ rps: number; p99_ms: number }> {
  const latencies = new Float64Array(requests);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < requests; i = next++) {
      const t = performance.now();
      const res = await request(`${base}${path(i)}`, { dispatcher: agent });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new TypeError(`${path(i)} answered ${res.statusCode}`);
      latencies[i] = performance.now() - t;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  return {
    rps: Math.round(requests / seconds),
    p99_ms: Number((latencies[Math.floor(requests * 0.99)] ?? 0).toFixed(2)),
  };
}

// One warm-up pass so that JIT and connection set-up are not measured.
await measure(() => '/api/clusters-info');
const clustersInfo = await measure(() => '/api/clusters-info');
const instance = await measure((i) => `/api/instance/${instances[i % instances.length]?.hostname ?? ''}/3306`);
process.stdout.write(
  `${JSON.stringify({
    bench: 'api',
    servers: instances.length,
    requests,
    concurrency,
    clusters_info_rps: clustersInfo.rps,
    clusters_info_p99_ms: clustersInfo.p99_ms,
    instance_rps: instance.rps,
    instance_p99_ms: instance.p99_ms,
  })}\n`,
);
await agent.close();
await app.close();

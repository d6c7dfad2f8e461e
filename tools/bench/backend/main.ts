// pnpm bench:backend — for SQLite (a WAL file) and a real MariaDB (started by @orc/testenv): 10,000
// instance rows upserted in batches, the analysis input of those 10,000 read back, and 1,000
// single-pair KV puts. Prints one JSON line per dialect.
// Run with: node --conditions=@orc/source tools/bench/backend/main.ts [--rows N] [--batch N] [--dialect sqlite|mariadb]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendConfig, InstanceRecord } from '../../../packages/backend/src/index.ts';
import '../../scripts/ts-hooks.mjs';

const backendLib = await import('../../../packages/backend/src/index.ts');
const testenv = await import('../../testenv/src/index.ts');
const { instanceRow, replicaRow } = await import('../../testkit/src/index.ts');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const ROWS = Number(arg('rows', '10000'));
const BATCH = Number(arg('batch', '1000'));
const KV_PUTS = 1000;
const only = arg('dialect', 'all');
if (!Number.isInteger(ROWS) || ROWS <= 0 || !Number.isInteger(BATCH) || BATCH <= 0)
  throw new Error('--rows and --batch must be positive integers');

/** A realistic row (primary or replica): ~80 fields, GTID sets and replication positions filled in. */
function row(i: number, now: number): InstanceRecord {
  const cluster = Math.floor(i / 10);
  const isPrimary = i % 10 === 0;
  const primaryHost = `db${cluster * 10}.bench.example`;
  const gtid = `0-${cluster * 10 + 1}-${1_000_000 + i}`;
  const common: Partial<InstanceRecord> = {
    lastChecked: now,
    lastAttemptedCheck: now,
    lastSeen: now,
    uptime: 86_400 + i,
    serverId: i + 1,
    version: '10.11.19-MariaDB-0+deb12u1-log',
    binaryLogFile: 'mysql-bin.000042',
    binaryLogPos: 1_234_567 + i,
    gtidCurrentPos: gtid,
    gtidBinlogPos: gtid,
    clusterName: `${primaryHost}:3306`,
    suggestedClusterAlias: `cluster${cluster}`,
    dataCenter: `dc${cluster % 3}`,
    region: 'eu-west',
    physicalEnvironment: 'prod',
    replicationCredentialsAvailable: true,
    hasReplicationCredentials: true,
    semiSyncAvailable: true,
    lastDiscoveryLatency: 4,
  };
  if (isPrimary) {
    return instanceRow(`db${i}.bench.example`, 3306, {
      ...common,
      numSlaveHosts: 9,
      slaveHosts: JSON.stringify(
        Array.from({ length: 9 }, (_, k) => ({ Hostname: `db${cluster * 10 + k + 1}.bench.example`, Port: 3306 })),
      ),
      semiSyncMasterEnabled: true,
      semiSyncMasterStatus: true,
      semiSyncMasterClients: 9,
    });
  }
  return replicaRow(`db${i}.bench.example`, 3306, { hostname: primaryHost, port: 3306 }, `${primaryHost}:3306`, {
    ...common,
    replicationSqlThreadState: 1,
    replicationIoThreadState: 1,
    gtidSlavePos: gtid,
    masterLogFile: 'mysql-bin.000042',
    readMasterLogPos: 1_234_567,
    relayMasterLogFile: 'mysql-bin.000042',
    execMasterLogPos: 1_234_567,
    relayLogFile: 'relay-bin.000007',
    relayLogPos: 4_567,
    secondsBehindMaster: i % 3,
    slaveLagSeconds: i % 3,
    semiSyncReplicaEnabled: true,
    semiSyncReplicaStatus: true,
  });
}

async function measure(dialect: 'sqlite' | 'mariadb', config: BackendConfig): Promise<void> {
  const backend = new backendLib.Backend(config);
  await backend.open();
  try {
    const now = Date.now();
    const rows = Array.from({ length: ROWS }, (_, i) => row(i, now));
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += BATCH) await backend.instances.upsert(rows.slice(i, i + BATCH));
    const upsertMs = performance.now() - t0;

    await backend.instances.readAnalysisInput(); // warm-up
    const reads: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const input = await backend.instances.readAnalysisInput();
      reads.push(performance.now() - t);
      if (input.instances.length !== ROWS)
        throw new Error(`read ${input.instances.length} instances, expected ${ROWS}`);
    }
    reads.sort((a, b) => a - b);

    const t1 = performance.now();
    for (let i = 0; i < KV_PUTS; i++)
      await backend.kv.put([{ key: `mysql/master/cluster${i % 100}/hostname`, value: `db${i}.bench.example` }]);
    const kvMs = performance.now() - t1;

    console.log(
      JSON.stringify({
        bench: 'backend',
        dialect,
        upsert_rows_s: Math.round(ROWS / (upsertMs / 1000)),
        analysis_read_ms: Math.round((reads[2] ?? 0) * 10) / 10,
        kv_put_ops_s: Math.round(KV_PUTS / (kvMs / 1000)),
      }),
    );
  } finally {
    await backend.close();
  }
}

if (only === 'all' || only === 'sqlite') {
  const dir = mkdtempSync(join(tmpdir(), 'orc-bench-backend-'));
  try {
    await measure(
      'sqlite',
      backendLib.validateBackendConfig({ dialect: 'sqlite', sqlite: { file: join(dir, 'orc.sqlite3') } }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (only === 'all' || only === 'mariadb') {
  const server = await testenv.startMariaDb({ name: 'bench-backend' });
  try {
    await measure(
      'mariadb',
      backendLib.validateBackendConfig({
        dialect: 'mysql',
        mysql: { ...server.connectionConfig(), database: 'orc_bench' },
      }),
    );
  } finally {
    await server.destroy();
  }
}

// The `graceful` line of pnpm bench:failover: a graceful-master-takeover through the
// RecoveryEngine on a real 1+2 while an application user (no READ_ONLY ADMIN: read_only stops it
// as it stops a real client) commits a row every 5 ms. The writer sends each row to whichever of
// the old primary and the designated replica accepts it, as a client behind a proxy would;
// only rows whose INSERT returned count. write_outage_ms: the longest gap between two
// acknowledged writes; lost_writes: acknowledged rows missing from the new primary.
import '../../scripts/ts-hooks.mjs';

const harness = await import('../../../packages/topology/test/recovery-harness.ts');

const APP = { user: 'app', password: 'app-pw' };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Server = Awaited<ReturnType<typeof harness.startRecoveryWorld>>['servers']['primary'];
type Connection = Awaited<ReturnType<typeof harness.connectAs>>;

/** One trial's figures, or why it failed. */
export type GracefulTrial =
  { ok: true; writeOutageMs: number; lostWrites: number; acknowledged: number } | { ok: false; reason: string };

/** Writes 1, 2, ... every `everyMs` to whichever of `servers` takes it; a refused row is retried on the next one. */
function failoverWriter(servers: readonly Server[], everyMs: number) {
  const acks: { id: number; at: number }[] = [];
  const conns = new Map<Server, Connection>();
  let running = true;
  let failure: unknown;
  const loop = (async () => {
    let next = 1;
    let i = 0;
    while (running) {
      const server = servers[i % servers.length]!;
      try {
        let conn = conns.get(server);
        if (conn === undefined) {
          conn = await harness.connectAs(server, APP);
          conns.set(server, conn);
        }
        await conn.query('INSERT INTO t.w VALUES (?, NOW(6))', [next]);
        acks.push({ id: next++, at: performance.now() });
        await sleep(everyMs);
      } catch (error) {
        // 1290: read_only (the old primary once demoted, the designated one until promoted).
        if ((error as { errno?: number }).errno !== 1290) {
          failure = error;
          return;
        }
        i += 1;
        await sleep(1);
      }
    }
  })();
  return {
    acks,
    async stop(): Promise<void> {
      running = false;
      await loop;
      for (const c of conns.values()) c.destroy();
      if (failure !== undefined) throw failure;
    },
  };
}

/** Runs one graceful takeover under writes on a fresh 1+2. */
export async function gracefulTrial(t: number): Promise<GracefulTrial> {
  const world = await harness.startRecoveryWorld('1+2', {
    name: `bench-graceful-${t}`,
    config: { replicationUser: 'repl', replicationPassword: 'repl' },
  });
  try {
    const { servers } = world;
    await servers.primary.query(
      `CREATE DATABASE IF NOT EXISTS t; CREATE TABLE IF NOT EXISTS t.w (id INT PRIMARY KEY, at DATETIME(6)); CREATE USER '${APP.user}'@'%' IDENTIFIED BY '${APP.password}'; GRANT SELECT, INSERT ON t.* TO '${APP.user}'@'%'`,
    );
    await servers.waitCaughtUp();
    const old = servers.primary;
    const [designated] = servers.replicas as [Server, Server];
    const writer = failoverWriter([old, designated], 5);
    while (writer.acks.length < 100) await sleep(10);
    const key = world.keyOf(old);
    const instances = world.topology.instances().filter((i) => i.key === key || i.masterKey === key);
    const startedAt = performance.now();
    const report = await world.engine.gracefulMasterTakeover({
      primaryKey: key,
      clusterName: instances.find((i) => i.key === key)!.clusterName,
      clusterAlias: 'main',
      instances,
      designated: world.keyOf(designated),
    });
    await report.settled;
    const count = writer.acks.length;
    while (writer.acks.length < count + 100) await sleep(10);
    await writer.stop();
    if (report.status !== 'successful') return { ok: false, reason: `${report.status}: ${report.reason}` };
    let outage = 0;
    for (let i = 1; i < writer.acks.length; i++) {
      const gap = writer.acks[i]!.at - writer.acks[i - 1]!.at;
      if (writer.acks[i]!.at >= startedAt && gap > outage) outage = gap;
    }
    const onNew = await harness.idsOn(designated);
    const lost = writer.acks.filter((a) => !onNew.has(a.id)).length;
    return { ok: true, writeOutageMs: outage, lostWrites: lost, acknowledged: writer.acks.length };
  } finally {
    await world.close();
  }
}

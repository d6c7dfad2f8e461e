// Three orc daemons in Raft mode as processes on 127.0.0.1, 127.0.0.2 and 127.0.0.3 (SQLite
// backends, agreement on by default) over a real MariaDB 1+2, one scenario in order:
// 1. one leader at every sample; a begin-downtime sent to a follower applied on all three backends;
// 2. kill -9 of the Raft leader, a new leader among the other two, then kill -9 of the primary
//    while the old leader is still down: exactly one failover, agreed by both survivors (2 of 3
//    voters), the same recovery row and steps on their backends and the new primary in their KV
//    stores; the old leader, started again, catches up to the same rows and KV;
// 3. a failback (the new primary killed in turn) and a restart of all three nodes: each starts
//    from the snapshot taken after the failback's KV write, and no store shows an earlier primary;
// 4. a follower killed, wiped and started: it reports the leader's downtime and recovery rows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import {
  allRecoverySteps,
  backendKv,
  backendRecoveries,
  backendRecoverySteps as steps,
  hasBackend,
  newestSnapshotState,
  readBackend as read,
  type RecoveryRow,
} from './support/raft-backend.js';
import { backendDowntimes, leaders, waitAllHealthy, waitOneLeader } from './support/raft-checks.js';
import { createRaftNodes, type RaftNode, type RaftNodes } from './support/raft-nodes.js';

let topo: MariaDbTopology;
let group: RaftNodes;

const kvPrimary = (node: RaftNode): string | undefined => backendKv(node, 'mysql/master/main');
// Every column, stamps included: each node writes the times the leader put in the log.
const recoveries = (node: RaftNode): RecoveryRow[] => backendRecoveries(node);

const admin = {};

// A wiped node has no backend to read: said so rather than failing the diagnosis.
const facts = (): string[] =>
  group.nodes.map(
    (n) =>
      `${n.name} (${n.isRunning() ? 'up' : 'down'}): ` +
      (hasBackend(n) ? `kv=${kvPrimary(n) ?? '-'} recoveries=${JSON.stringify(recoveries(n))}` : 'no backend'),
  );

const diagnose = (): string[] =>
  group.nodes
    .map(
      (n) =>
        `${n.name}: ` +
        n
          .output()
          .split('\n')
          .filter((l) => /agree|recovery|"level":(40|50)/.test(l))
          .slice(-8)
          .join('\n'),
    )
    .concat(facts());

/** Waits until every node of `nodes` names the same primary other than `old` in its KV store. */
function waitKvMovedFrom(nodes: readonly RaftNode[], old: number): Promise<number> {
  return waitFor(
    `the KV stores of ${nodes.map((n) => n.name).join(', ')} name the same new primary`,
    () => {
      const values = nodes.map(kvPrimary);
      const first = values[0];
      return first !== undefined && first !== `127.0.0.1:${old}` && values.every((v) => v === first)
        ? Number(first.split(':')[1])
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 100, diagnose },
  );
}

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  await topo.waitCaughtUp();
  const host = (i: number): string => `127.0.0.${i + 1}`;
  group = await createRaftNodes(
    3,
    {
      MySQLTopologyUser: topo.orcUser.user,
      MySQLTopologyPassword: topo.orcUser.password,
      DiscoverySeeds: [`127.0.0.1:${topo.primary.port}`],
      RecoverMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': 'main' },
      // The failback below recovers the same cluster again within seconds.
      RecoveryPeriodBlockSeconds: 1,
    },
    { raftHost: host, httpHost: host },
  );
  for (const n of group.nodes) n.start();
  await waitFor(
    "every node's own KV store names the primary",
    () => group.nodes.every((n) => kvPrimary(n) === `127.0.0.1:${topo.primary.port}`),
    { timeoutMs: 90_000, intervalMs: 200, diagnose },
  );
}, 180_000);

afterAll(async () => {
  await group?.destroy();
  await topo?.destroy();
}, 60_000);

describe('failover in a Raft group', () => {
  it('has exactly one leader at every sample, and applies a begin-downtime sent to a follower on all three', async () => {
    const leader = await waitOneLeader(group.nodes);
    for (let i = 0; i < 20; i++) expect(await leaders(group.nodes)).toEqual([leader]);
    const follower = group.nodes.find((n) => n !== leader) as RaftNode;
    // Until the leader's URI is applied there, a follower answers 503 rather than guess.
    await waitFor('the follower knows the leader URI', async () => {
      const status = (await follower.get('/api/raft-status')).body as { LeaderURI: string };
      return status.LeaderURI === leader.url;
    });
    const res = await follower.get('/api/begin-downtime/db-follower/3306/alice/via-follower/1h', { headers: admin });
    expect(res.status).toBe(200);
    for (const n of group.nodes)
      await waitFor(`${n.name} has the downtime row`, () =>
        backendDowntimes(n).some((d) => d.hostname === 'db-follower'),
      );
    for (const n of group.nodes)
      expect(backendDowntimes(n)).toEqual([
        { hostname: 'db-follower', port: 3306, owner: 'alice', reason: 'via-follower' },
      ]);
  }, 60_000);

  it("fails over once on both survivors' agreement after kill -9 of the leader; the old leader catches up", async () => {
    const oldLeader = await waitOneLeader(group.nodes);
    await oldLeader.kill('SIGKILL');
    const live = group.nodes.filter((n) => n !== oldLeader);
    const leader = await waitOneLeader(live, 60_000);
    for (let i = 0; i < 20; i++) expect(await leaders(live)).toEqual([leader]);

    // Two of three voters: the failover needs both survivors' own reports of the dead primary.
    const old = topo.primary.port;
    await topo.primary.kill();
    const replicaPorts = [topo.instance('r1').port, topo.instance('r2').port];
    const successor = await waitKvMovedFrom(live, old);
    expect(replicaPorts).toContain(successor);

    const rows = await waitFor(
      'the recovery is resolved on both live backends',
      () => {
        const all = live.map(recoveries);
        return all.every((r) => r.length === 1 && r[0]?.successor_port !== null) ? all : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, diagnose },
    );
    for (const r of rows) expect(r).toEqual(rows[0]);
    const recovery = rows[0]?.[0] as RecoveryRow;
    expect(recovery).toMatchObject({ port: old, successor_port: successor, is_successful: 1, cluster_alias: 'main' });
    expect(recovery.analysis).toMatch(/^DeadMaster/);
    const leaderSteps = await waitFor(
      'the steps reached both live backends',
      () => {
        const all = live.map((n) => steps(n, recovery.uid));
        return all.every((s) => s.length > 3 && s.join() === all[0]?.join()) ? all[0] : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, diagnose },
    );
    const agreement = leaderSteps?.[0] ?? '';
    expect(agreement).toMatch(/^\[agreement \+0ms\] agreed 2\/3 needed 2: /);
    expect(agreement).toContain(`${oldLeader.raftAddress}=no report`);
    expect(leaderSteps?.join('\n')).toMatch(/\[kv\] .*internal=ok/);
    const primaryNow = topo.instances.find((i) => i.port === successor);
    const ro = await primaryNow?.query<{ ro: number }[]>('SELECT @@global.read_only AS ro');
    expect(ro?.[0]?.ro).toBe(0);

    oldLeader.start();
    await waitAllHealthy(group.nodes);
    await waitFor(
      `${oldLeader.name} caught up to the recovery and the KV write`,
      () =>
        kvPrimary(oldLeader) === `127.0.0.1:${successor}` &&
        recoveries(oldLeader).some((r) => r.uid === recovery.uid && r.successor_port === successor),
      { timeoutMs: 60_000, intervalMs: 100, diagnose },
    );
    // A command after the restart: once every node applied it, each applied all that came before,
    // so a second recovery started by anyone until then would show below.
    const res = await leader.get('/api/begin-downtime/after-rejoin/3306/test/barrier/1h', { headers: admin });
    expect(res.status).toBe(200);
    await waitFor(
      'every node applied the barrier',
      () => group.nodes.every((n) => backendDowntimes(n).some((d) => d.hostname === 'after-rejoin')),
      { timeoutMs: 30_000, intervalMs: 100, diagnose },
    );
    const same = await waitFor(
      'every node holds the same recovery rows and steps',
      () => {
        const all = group.nodes.map((n) => JSON.stringify([recoveries(n), allRecoverySteps(n)]));
        return all.every((x) => x === all[0]) ? group.nodes.map(recoveries) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, diagnose },
    );
    for (const r of same)
      expect(r.map((x) => [x.uid, x.successor_port, x.is_successful])).toEqual([[recovery.uid, successor, 1]]);
    for (const n of group.nodes) {
      expect(steps(n, recovery.uid).slice(0, leaderSteps?.length)).toEqual(leaderSteps);
      expect(kvPrimary(n)).toBe(`127.0.0.1:${successor}`);
    }
  }, 240_000);

  it('fails back, and after a restart of all three nodes no store shows an earlier primary', async () => {
    const first = recoveries(group.nodes[0] as RaftNode)[0];
    const p1 = first?.successor_port ?? 0;
    const killed = topo.instances.find((i) => i.port === p1);
    if (killed === undefined) throw new Error(`no server on port ${p1}`);
    await killed.kill();
    const p2 = await waitKvMovedFrom(group.nodes, p1);
    const second = await waitFor(
      'the second recovery is resolved on every backend',
      () => {
        // Found by the failed server: a dead server left alone (the first primary) may have its own
        // refused attempt recorded, depending on when its lost-in-recovery downtime began.
        const all = group.nodes.map((n) => recoveries(n).filter((r) => r.port === p1));
        return all.every((r) => r.length === 1 && r[0]?.successor_port === p2 && r[0].uid === all[0]?.[0]?.uid)
          ? all[0]?.[0]
          : undefined;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 100,
        diagnose: () => [p2, ...group.nodes.map((n) => JSON.stringify(recoveries(n)))],
      },
    );
    // The snapshot taken after the failback's KV write: it holds the new primary in kv_store (one
    // taken by size between the recovery's registration and its KV write does not).
    const kvRow = `"mysql/master/main","127.0.0.1:${p2}"`;
    await waitFor(
      'every node took a snapshot after the failback',
      () =>
        group.nodes.every(
          (n) => newestSnapshotState(n).includes(second?.uid ?? '-') && newestSnapshotState(n).includes(kvRow),
        ),
      { timeoutMs: 30_000, intervalMs: 100, diagnose },
    );

    for (const n of group.nodes) await n.kill('SIGKILL');
    for (const n of group.nodes) n.start();
    const seen = new Set<string>();
    // A command sent after the restart: once every node applied it, every node has replayed all
    // that came before it. Until then, every sample of every store is the failback's primary.
    await waitFor(
      'the group serves again',
      async () => {
        for (const n of group.nodes) {
          const v = kvPrimary(n);
          if (v !== undefined) seen.add(v);
        }
        for (const n of group.nodes)
          if ((await n.get('/api/raft-health').catch(() => ({ status: 0 }))).status !== 200) return false;
        return true;
      },
      { timeoutMs: 90_000, intervalMs: 20, diagnose },
    );
    const leader = await waitFor('a leader', async () => {
      for (const n of group.nodes) if ((await n.get('/api/leader-check')).status === 200) return n;
      return undefined;
    });
    expect((await leader.get('/api/begin-downtime/marker/3306/test/after-restart/1h', { headers: admin })).status).toBe(
      200,
    );
    await waitFor(
      'every node applied the marker',
      () => {
        for (const n of group.nodes) {
          const v = kvPrimary(n);
          if (v !== undefined) seen.add(v);
        }
        return group.nodes.every(
          (n) => read(n, "SELECT 1 FROM database_instance_downtime WHERE hostname = 'marker'").length === 1,
        );
      },
      { timeoutMs: 30_000, intervalMs: 20, diagnose },
    );
    // On failure the diff shows every node's KV writes and snapshot restores.
    const writes = group.nodes.map((n) =>
      n
        .output()
        .split('\n')
        .filter((l) => /kv write applied|snapshot restored|published cluster primary/.test(l)),
    );
    const ok = seen.size === 1 && seen.has(`127.0.0.1:${p2}`);
    expect({ seen: [...seen], writes: ok ? [] : writes }).toEqual({ seen: [`127.0.0.1:${p2}`], writes: [] });
    for (const n of group.nodes) expect(n.output()).toContain('raft snapshot restored');
  }, 240_000);

  it('serves a wiped follower the snapshot and the log; it reports the same downtime and recovery rows', async () => {
    const leader = await waitOneLeader(group.nodes);
    const victim = group.nodes.find((n) => n !== leader) as RaftNode;
    await victim.kill('SIGKILL');
    victim.wipe();
    // Applied while the node has nothing: it must come from the log after the snapshot (or a newer one).
    expect((await leader.get('/api/begin-downtime/while-wiped/3306/test/wiped/1h', { headers: admin })).status).toBe(
      200,
    );
    victim.start();
    await waitAllHealthy(group.nodes);
    const backendOf = (n: RaftNode): string =>
      JSON.stringify({
        downtimes: backendDowntimes(n),
        recoveries: recoveries(n),
        steps: allRecoverySteps(n),
        kv: kvPrimary(n),
      });
    await waitFor(
      `${victim.name} reports the leader's downtime and recovery rows`,
      () => hasBackend(victim) && backendOf(victim) === backendOf(leader),
      { timeoutMs: 60_000, intervalMs: 200, diagnose },
    );
    expect(victim.output()).toContain('raft snapshot restored');
    expect(backendDowntimes(victim).map((d) => d.hostname)).toEqual(
      expect.arrayContaining(['after-rejoin', 'db-follower', 'marker', 'while-wiped']),
    );
    // Both failovers, each with its steps, whatever refused attempts were recorded beside them.
    const successful = recoveries(victim).filter((r) => r.is_successful === 1);
    expect(successful).toHaveLength(2);
    for (const r of successful) expect(steps(victim, r.uid)).toEqual(steps(leader, r.uid));
    for (const r of successful) expect(steps(victim, r.uid).length).toBeGreaterThan(3);
  }, 180_000);
});

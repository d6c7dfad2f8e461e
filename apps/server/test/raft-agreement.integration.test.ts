// Failover on agreement (issue 15, ExpectFailureAnalysisConcensus): the Raft leader alone sees the
// primary dead (it can still reach MySQL, only its own path to the primary is cut) and must not
// fail over, since the two other nodes see the primary alive: its own DeadMaster is one vote of
// the two needed. The topology is a 1+2 of MySQL-protocol fakes that show each daemon (each with
// its own MySQLTopologyUser) its own view (support/split-view-topology.ts). "Nothing happened" is
// waited for positively: the leader's refusal counter passing REFUSALS recovery checks. The control
// run, with the gate off, shows that the same setup makes the leader start a recovery.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RaftNode, RaftNodes } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { waitAllHealthy, waitOneLeader } from './support/raft-checks.js';
import { createRaftNodes } from './support/raft-nodes.js';
import { startSplitViewTopology, type SplitViewTopology } from './support/split-view-topology.js';

// Before calling it "no failover": the leader's gate refused this many recovery checks (the loop
// checks on every failed probe, so they come fast), and each other node probed the primary, and
// found it alive, this many more times: with InstancePollSeconds 1 that spans more than the 10 s
// agreement window and several 3 s report refreshes, in which a wrong vote would have arrived.
const REFUSALS = 15;
const HEALTHY_PROBES = 12;
const KV_KEY = 'mysql/master/main';
// What orc's probe sends a MariaDB 10.11. Anything else comes from a recovery (its first contact
// reads the replicas' state; a promotion then sends STOP SLAVE, CHANGE MASTER, SET GLOBAL
// read_only, ...): while the gate refuses, no server may receive any of it.
const PROBE =
  /^SHOW (GLOBAL VARIABLES|GLOBAL STATUS|MASTER STATUS|SLAVE STATUS|SLAVE HOSTS)\b|information_schema\.processlist/;
const fromRecovery = (fake: SplitViewTopology) => fake.received.filter((r) => !PROBE.test(r.statement));

// The slice of better-sqlite3 the test reads each node's own backend with.
type SqliteDb = { prepare(sql: string): { all(...args: unknown[]): unknown[] }; close(): void };
const Database = createRequire(import.meta.url)('better-sqlite3') as new (
  file: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => SqliteDb;

function read<T>(node: RaftNode, sql: string): T[] {
  const db = new Database(join(node.dir, 'orc-data', 'orc.sqlite3'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const kvPrimary = (n: RaftNode): string | undefined =>
  read<{ store_value: string }>(n, `SELECT store_value FROM kv_store WHERE store_key = '${KV_KEY}'`)[0]?.store_value;
const recoveries = (n: RaftNode): { hostname: string; port: number; analysis: string }[] =>
  read(n, 'SELECT hostname, port, analysis FROM topology_recovery ORDER BY recovery_id');
const instanceCount = (n: RaftNode): number =>
  read<{ n: number }>(n, 'SELECT COUNT(*) AS n FROM database_instance')[0]?.n ?? 0;

/** The analysis codes a node's own analysis gives the server `key`. */
async function analysisOf(n: RaftNode, key: string): Promise<string[]> {
  const res = await n.get('/api/replication-analysis');
  expect(res.status).toBe(200);
  const entries = (res.body as { Details?: unknown }).Details ?? res.body;
  return (entries as { AnalyzedInstanceKey: { Hostname: string; Port: number }; Analysis: string }[])
    .filter((e) => `${e.AnalyzedInstanceKey.Hostname}:${e.AnalyzedInstanceKey.Port}` === key)
    .map((e) => e.Analysis);
}

/** How many recovery checks the node's gate refused for a DeadMaster, from its /metrics. */
async function refusals(n: RaftNode): Promise<number> {
  const m = /^orc_failover_agreement_refused_total\{family="DeadMaster"\} (\d+)$/m.exec((await n.get('/metrics')).text);
  return m === null ? 0 : Number(m[1]);
}

interface Scene {
  readonly fake: SplitViewTopology;
  readonly group: RaftNodes;
}

/** The fakes and three daemons, each logging in as orc<i>, all agreeing on a healthy 1+2. */
async function startScene(extra: Record<string, unknown>): Promise<Scene> {
  const fake = await startSplitViewTopology();
  const group = await createRaftNodes(
    3,
    {
      MySQLTopologyPassword: 'any',
      DiscoverySeeds: [fake.primaryKey],
      RecoverMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': 'main' },
      ...extra,
    },
    { config: (i) => ({ MySQLTopologyUser: `orc${i + 1}` }) },
  );
  for (const n of group.nodes) n.start();
  await waitAllHealthy(group.nodes);
  await waitFor(
    'every node discovered the 1+2 and its own KV store names the primary',
    () => group.nodes.every((n) => instanceCount(n) === 3 && kvPrimary(n) === fake.primaryKey),
    {
      timeoutMs: 90_000,
      intervalMs: 200,
      diagnose: () => group.nodes.map((n) => `${n.name}: ${n.output().slice(-1500)}`),
    },
  );
  return { fake, group };
}

/** Makes the current leader blind (the primary gone from its side only) and returns it. */
async function blindTheLeader(scene: Scene): Promise<{ leader: RaftNode; user: string }> {
  const leader = await waitOneLeader(scene.group.nodes);
  const user = `orc${scene.group.nodes.indexOf(leader) + 1}`;
  scene.fake.blind.add(user);
  return { leader, user };
}

const diagnose = (scene: Scene | undefined) => (): string[] =>
  (scene?.group.nodes ?? []).map(
    (n) =>
      `${n.name}: kv=${kvPrimary(n) ?? '-'} recoveries=${JSON.stringify(recoveries(n))}\n` +
      n
        .output()
        .split('\n')
        .filter((l) => /agree|recovery|"level":(40|50)/.test(l))
        .slice(-8)
        .join('\n'),
  );

describe('raft agreement: a leader that alone sees the primary dead', () => {
  let scene: Scene | undefined;

  beforeAll(async () => {
    // ExpectFailureAnalysisConcensus is left out: on by default in Raft mode.
    scene = await startScene({});
  }, 180_000);

  afterAll(async () => {
    await scene?.group.destroy();
    await scene?.fake.close();
  }, 60_000);

  it('does not fail over: its own DeadMaster is one vote of the two needed', async () => {
    const s = scene as Scene;
    const { leader, user } = await blindTheLeader(s);
    const others = s.group.nodes.filter((n) => n !== leader);

    const own = await waitFor(
      "the leader's own analysis calls the primary DeadMaster",
      async () => {
        const codes = await analysisOf(leader, s.fake.primaryKey);
        return codes.includes('DeadMaster') ? codes : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, diagnose: diagnose(s) },
    );
    expect(own).toEqual(['DeadMaster']);
    // The markers that let "nothing happened" be asserted without a sleep. Only the leader runs
    // recovery checks, so its refusals also say it kept the lead.
    const from = s.fake.received.length;
    const healthyProbes = (u: string): number =>
      s.fake.received
        .slice(from)
        .filter((r) => r.server === 'primary' && r.user === u && r.statement.startsWith('SHOW GLOBAL VARIABLES'))
        .length;
    const otherUsers = others.map((n) => `orc${s.group.nodes.indexOf(n) + 1}`);
    await waitFor(
      'the gate refused many recovery checks while the others kept seeing the primary alive (or a recovery began)',
      async () =>
        // A recovery that begins ends the wait at once: the assertions below then fail on it.
        s.group.nodes.some((n) => recoveries(n).length > 0) ||
        ((await refusals(leader)) >= REFUSALS && otherUsers.every((u) => healthyProbes(u) >= HEALTHY_PROBES)),
      {
        timeoutMs: 120_000,
        intervalMs: 250,
        diagnose: () => [
          `probes of the primary: ${otherUsers.map((u) => `${u}=${healthyProbes(u)}`).join(' ')}`,
          ...diagnose(s)(),
        ],
      },
    );
    const refused = await refusals(leader);
    for (const n of s.group.nodes) {
      expect(recoveries(n)).toEqual([]);
      expect(kvPrimary(n)).toBe(s.fake.primaryKey);
    }

    for (const n of others) {
      expect(await analysisOf(n, s.fake.primaryKey)).toEqual([]);
      expect(await refusals(n)).toBe(0);
    }
    // The gate's one log line of this wait: the leader's vote alone, the two others without a report.
    const wait = leader
      .output()
      .split('\n')
      .find((l) => l.includes('failover waits for agreement') && l.includes(s.fake.primaryKey));
    expect(wait).toBeDefined();
    expect(wait).toContain(`${leader.raftAddress}=DeadMaster`);
    for (const n of others) expect(wait).toContain(`${n.raftAddress}=-`);
    expect(leader.output()).not.toContain('failover agreed');

    expect(fromRecovery(s.fake)).toEqual([]);
    // The view really was split: the blind user's probes of the primary were dropped, while the
    // others kept probing it.
    expect(s.fake.received.some((r) => r.server === 'primary' && r.user === user)).toBe(true);
    // Still refusing, check after check: the DeadMaster stands and the gate holds it back.
    await waitFor('the gate refused more checks since', async () => (await refusals(leader)) > refused, {
      timeoutMs: 30_000,
      intervalMs: 250,
      diagnose: diagnose(s),
    });
    for (const n of s.group.nodes) expect(recoveries(n)).toEqual([]);
    expect(fromRecovery(s.fake)).toEqual([]);
  }, 300_000);
});

describe('raft agreement control: the same blind leader with ExpectFailureAnalysisConcensus false', () => {
  let scene: Scene | undefined;

  beforeAll(async () => {
    scene = await startScene({ ExpectFailureAnalysisConcensus: false });
  }, 180_000);

  afterAll(async () => {
    await scene?.group.destroy();
    await scene?.fake.close();
  }, 60_000);

  it('starts a recovery of the primary on its own analysis', async () => {
    const s = scene as Scene;
    const { leader, user } = await blindTheLeader(s);
    // The recovery's registration goes through the log, so any backend shows it; the leader's is
    // read. It fails on the fakes (they refuse the promotion's statements): only its start counts.
    const rows = await waitFor(
      'the leader registered a recovery of the primary',
      () => {
        const r = recoveries(leader).filter((x) => `${x.hostname}:${x.port}` === s.fake.primaryKey);
        return r.length > 0 ? r : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200, diagnose: diagnose(s) },
    );
    expect(rows[0]?.analysis).toBe('DeadMaster');
    // The recovery contacted the replicas as the blind leader: what the first test finds none of.
    await waitFor(
      'the recovery sent its first statements to the replicas',
      () => fromRecovery(s.fake).some((r) => r.server !== 'primary' && r.user === user),
      { timeoutMs: 30_000, intervalMs: 100, diagnose: diagnose(s) },
    );
    // No gate: nothing was refused.
    expect(await refusals(leader)).toBe(0);
    for (const n of s.group.nodes.filter((x) => x !== leader))
      expect(await analysisOf(n, s.fake.primaryKey)).toEqual([]);
  }, 300_000);
});

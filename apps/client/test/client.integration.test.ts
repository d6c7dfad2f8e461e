// orc-client as a process against the orc daemon (apps/server, SQLite backend) watching a real
// MariaDB 1+2: a table of commands, each output compared with the format orchestrator-client
// prints (one host:port per line, `instance<master`, `key:value`, the indented tree, raw JSON
// for `-c api`), in order, since some rows change what later rows see.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startMariaDbTopology, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import { runClientProcess, startDaemon, type ClientRun, type Daemon } from './support/processes.js';

let topo: MariaDbTopology;
let orc: Daemon;
let P = '';
let R1 = '';
let R2 = '';

const client = (argv: readonly string[], env: Record<string, string> = {}): Promise<ClientRun> =>
  runClientProcess(argv, { ORCHESTRATOR_API: orc.url, ...env });

beforeAll(async () => {
  topo = await startMariaDbTopology({ shape: '1+2' });
  P = `127.0.0.1:${topo.primary.port}`;
  R1 = `127.0.0.1:${topo.instance('r1').port}`;
  R2 = `127.0.0.1:${topo.instance('r2').port}`;
  orc = await startDaemon({
    BackendDB: 'sqlite',
    MySQLTopologyUser: 'orc',
    MySQLTopologyPassword: 'orc',
    InstancePollSeconds: 1,
  });
  const discovered = await client(['-c', 'discover', '-i', P]);
  expect(discovered).toEqual({ code: 0, out: `${P}\n`, err: '' });
  await waitFor(
    'orc knows the three servers with both replicas replicating',
    async () => {
      const r = await client(['-c', 'which-replicas', '-i', P]);
      const replicating = await client(['-c', 'is-replicating', '-i', R2]);
      return r.out.split('\n').filter((l) => l !== '').length === 2 && replicating.out === `${R2}\n`;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}, 180_000);

afterAll(async () => {
  const code = await orc?.stop();
  await topo?.stop();
  expect(code).toBe(0);
}, 60_000);

type Expect = string | RegExp;
interface Row {
  readonly argv: () => readonly string[];
  readonly code: number;
  readonly out: () => Expect;
  readonly err?: () => Expect;
  readonly env?: () => Record<string, string>;
}

const keys = (...list: string[]): string => list.map((k) => `${k}\n`).join('');
const sorted = (...list: string[]): string => keys(...[...list].sort());
const row = (argv: () => readonly string[], out: () => Expect, code = 0, err: () => Expect = () => ''): Row => ({
  argv,
  out,
  code,
  err,
});
const anyStderr = (): Expect => /.*/s;
const ANALYSIS_LINE = /^127\.0\.0\.1:\d+ \(cluster 127\.0\.0\.1:\d+\): \S*$/;

const rows: readonly (readonly [string, Row])[] = [
  [
    'help',
    row(
      () => ['-c', 'help'],
      () => /^Usage: orc-client -c <command> \[flags\.\.\.\]\n/,
    ),
  ],
  [
    'help of one command',
    row(
      () => ['-c', 'relocate', '--help'],
      () => /^orc-client -c relocate: /,
    ),
  ],
  [
    'which-api',
    row(
      () => ['-c', 'which-api'],
      () => `${orc.url}/api\n`,
    ),
  ],
  [
    'api -P leader-check',
    row(
      () => ['-c', 'api', '-P', 'leader-check'],
      () => '"OK"\n',
    ),
  ],
  [
    'api -P clusters',
    row(
      () => ['-c', 'api', '-P', 'clusters'],
      () => `[ "${P}" ]\n`,
    ),
  ],
  [
    'discover',
    row(
      () => ['-c', 'discover', '-i', R1],
      () => keys(R1),
    ),
  ],
  [
    'async-discover',
    row(
      () => ['-c', 'async-discover', '-i', R2],
      () => keys(R2),
    ),
  ],
  [
    'clusters',
    row(
      () => ['-c', 'clusters'],
      () => keys(P),
    ),
  ],
  [
    'clusters-alias',
    row(
      () => ['-c', 'clusters-alias'],
      () => /^127\.0\.0\.1:\d+,.*\n$/,
    ),
  ],
  [
    'all-instances',
    row(
      () => ['-c', 'all-instances'],
      () => sorted(P, R1, R2),
    ),
  ],
  [
    'all-clusters-masters',
    row(
      () => ['-c', 'all-clusters-masters'],
      () => keys(P),
    ),
  ],
  [
    'instance',
    row(
      () => ['-c', 'instance', '-i', R1],
      () => keys(R1),
    ),
  ],
  [
    'which-instance',
    row(
      () => ['-c', 'which-instance', '-i', P],
      () => keys(P),
    ),
  ],
  [
    'which-master',
    row(
      () => ['-c', 'which-master', '-i', R1],
      () => keys(P),
    ),
  ],
  [
    'which-replicas',
    row(
      () => ['-c', 'which-replicas', '-i', P],
      () => sorted(R1, R2),
    ),
  ],
  [
    'which-replicas of a leaf',
    row(
      () => ['-c', 'which-replicas', '-i', R1],
      () => '',
    ),
  ],
  [
    'which-broken-replicas',
    row(
      () => ['-c', 'which-broken-replicas', '-i', P],
      () => '',
    ),
  ],
  [
    'which-cluster by instance',
    row(
      () => ['-c', 'which-cluster', '-i', R2],
      () => keys(P),
    ),
  ],
  [
    'which-cluster by alias',
    row(
      () => ['-c', 'which-cluster', '-alias', P],
      () => keys(P),
    ),
  ],
  [
    'which-cluster-master',
    row(
      () => ['-c', 'which-cluster-master', '-i', R1],
      () => keys(P),
    ),
  ],
  [
    'which-cluster-instances',
    row(
      () => ['-c', 'which-cluster-instances', '-i', R1],
      () => sorted(P, R1, R2),
    ),
  ],
  [
    'which-cluster-instances --alias',
    row(
      () => ['-c', 'which-cluster-instances', '--alias', P],
      () => sorted(P, R1, R2),
    ),
  ],
  [
    'topology',
    row(
      () => ['-c', 'topology', '-i', P],
      () =>
        new RegExp(
          `^${P.replace(/\./g, '\\.')} \\[[^\\]]*rw[^\\]]*\\]\n(\\+ 127\\.0\\.0\\.1:\\d+ \\[[^\\]]*ro[^\\]]*\\]\n){2}$`,
        ),
    ),
  ],
  [
    'topology -alias',
    row(
      () => ['-c', 'topology', '-alias', P],
      () => /^127\.0\.0\.1:\d+ \[.*\n\+ .*\n\+ .*\n$/,
    ),
  ],
  [
    'search',
    row(
      () => ['-c', 'search', '-i', `${topo.instance('r1').port}`],
      () => keys(R1),
    ),
  ],
  [
    'is-replicating',
    row(
      () => ['-c', 'is-replicating', '-i', R1],
      () => keys(R1),
    ),
  ],
  [
    'is-replicating of the primary',
    row(
      () => ['-c', 'is-replicating', '-i', P],
      () => '',
    ),
  ],
  [
    'is-replication-stopped',
    row(
      () => ['-c', 'is-replication-stopped', '-i', R1],
      () => '',
    ),
  ],
  [
    'which-gtid-errant',
    row(
      () => ['-c', 'which-gtid-errant', '-i', R1],
      () => '\n',
    ),
  ],
  [
    'dominant-dc',
    row(
      () => ['-c', 'dominant-dc'],
      () => /^[^\n]*\n$/,
    ),
  ],
  [
    'replication-analysis',
    row(
      () => ['-c', 'replication-analysis'],
      () => new RegExp(`^(${ANALYSIS_LINE.source.slice(1, -1)}\n)*$`),
    ),
  ],
  [
    'begin-downtime',
    row(
      () => ['-c', 'begin-downtime', '-i', R2, '-r', 'kernel upgrade', '-u', '1h'],
      () => keys(R2),
    ),
  ],
  [
    'downtimed',
    row(
      () => ['-c', 'downtimed'],
      () => keys(R2),
    ),
  ],
  [
    'downtimed of a cluster',
    row(
      () => ['-c', 'downtimed', '-i', P],
      () => keys(R2),
    ),
  ],
  [
    'end-downtime',
    row(
      () => ['-c', 'end-downtime', '-i', R2],
      () => keys(R2),
    ),
  ],
  [
    'downtimed, none left',
    row(
      () => ['-c', 'downtimed'],
      () => '',
    ),
  ],
  [
    'begin-maintenance',
    row(
      () => ['-c', 'begin-maintenance', '-i', R2, '-r', 'backup'],
      () => /^\d+\n$/,
    ),
  ],
  [
    'end-maintenance',
    row(
      () => ['-c', 'end-maintenance', '-i', R2],
      () => keys(R2),
    ),
  ],
  [
    'register-candidate',
    row(
      () => ['-c', 'register-candidate', '-i', R1, '-R', 'prefer'],
      () => keys(R1),
    ),
  ],
  [
    'register-candidate refuses must',
    row(
      () => ['-c', 'register-candidate', '-i', R1, '--promotion-rule=must'],
      () => /^\[ \{ "path": "promotionRule", .*\} \]\n$/,
      1,
      () => /^promotionRule: .*\n$/,
    ),
  ],
  [
    'submit-masters-to-kv-stores',
    row(
      () => ['-c', 'submit-masters-to-kv-stores'],
      () => new RegExp(`^(mysql/master/${P}(/[a-z]+)?:[^\n]*\n)+$`.replace(/\./g, '\\.')),
    ),
  ],
  [
    'submit-masters-to-kv-stores -alias',
    row(
      () => ['-c', 'submit-masters-to-kv-stores', '-alias', P],
      () => new RegExp(`^mysql/master/${P.replace(/\./g, '\\.')}:${P.replace(/\./g, '\\.')}\n`),
    ),
  ],
  [
    'disable-global-recoveries',
    row(
      () => ['-c', 'disable-global-recoveries'],
      () => 'disabled\n',
    ),
  ],
  [
    'check-global-recoveries, disabled',
    row(
      () => ['-c', 'check-global-recoveries'],
      () => 'disabled\n',
    ),
  ],
  [
    'enable-global-recoveries',
    row(
      () => ['-c', 'enable-global-recoveries'],
      () => 'enabled\n',
    ),
  ],
  [
    'check-global-recoveries, enabled',
    row(
      () => ['-c', 'check-global-recoveries'],
      () => 'enabled\n',
    ),
  ],
  [
    '--json',
    row(
      () => ['-c', 'clusters', '--json'],
      () => new RegExp(`^\\[\\{"ClusterName":"${P.replace(/\./g, '\\.')}".*\\}\\]\n$`),
    ),
  ],
  [
    "an unknown instance: the daemon's message on stderr, exit 1",
    row(
      () => ['-c', 'which-master', '-i', '127.0.0.1:1'],
      () => /^\[ .* \]\n$/,
      1,
      () => 'instance 127.0.0.1:1 is not known\n',
    ),
  ],
  [
    'an unknown cluster',
    row(
      () => ['-c', 'which-cluster', '-alias', 'no-such'],
      () => /.*/s,
      1,
      () => 'no cluster named, aliased or containing no-such\n',
    ),
  ],
  [
    'a command the daemon does not serve yet',
    row(
      () => ['-c', 'match', '-i', R2, '-d', R1],
      () => /.*/s,
      1,
      () => /^no route GET \/api\/match\/127\.0\.0\.1\/\d+\/127\.0\.0\.1\/\d+\n$/,
    ),
  ],
  [
    'relocate below the current source: instance<master',
    row(
      () => ['-c', 'relocate', '-i', R2, '-d', P],
      () => `${R2}<${P}\n`,
    ),
  ],
  [
    "a refused relocation: the daemon's reason on stderr, exit 1",
    row(
      () => ['-c', 'relocate', '-i', R1, '-d', R1],
      () => /.*/s,
      1,
      () => `relocate refused: ${R1} cannot replicate from itself\n`,
    ),
  ],
  [
    'an unsupported command',
    row(
      () => ['-c', 'which-mastr'],
      () => '',
      1,
      () => /^orc-client\[\d+\]: Unsupported command which-mastr \(did you mean which-master\?\)/,
    ),
  ],
  [
    'no -i',
    row(
      () => ['-c', 'which-replicas'],
      () => '',
      1,
      () => /^orc-client\[\d+\]: instance must be provided\n$/,
    ),
  ],
  [
    'a bad flag',
    row(
      () => ['-c', 'clusters', '--instnace', 'x'],
      () => '',
      2,
      () => /unknown option --instnace \(did you mean --instance\?\)/,
    ),
  ],
  [
    'a flag without its value',
    row(
      () => ['-c', 'which-master', '-i'],
      () => '',
      2,
      () => /option -i needs a value \(host\[:port\]\)\nTry 'orc-client --help'\.\n$/,
    ),
  ],
  [
    '-c api without -P',
    row(
      () => ['-c', 'api'],
      () => '',
      1,
      () => /^orc-client\[\d+\]: path must be provided\n$/,
    ),
  ],
  [
    'forget',
    row(
      () => ['-c', 'forget', '-i', R2],
      () => '',
    ),
  ],
  [
    'rediscover after forget',
    row(
      () => ['-c', 'discover', '-i', R2],
      () => keys(R2),
    ),
  ],
];

describe('orc-client against the orc daemon and MariaDB 1+2', () => {
  it('has a table of at least 40 commands', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it.each(rows)('%s', async (_name, r) => {
    const run = await client(r.argv(), r.env?.() ?? {});
    const expected = { out: r.out(), err: (r.err ?? anyStderr)() };
    const check = (actual: string, want: Expect): void => {
      if (typeof want === 'string') expect(actual).toBe(want);
      else expect(actual).toMatch(want);
    };
    try {
      check(run.out, expected.out);
      check(run.err, expected.err);
      expect(run.code).toBe(r.code);
    } catch (err) {
      // The whole run, so that a failure shows what the client printed.
      throw new Error(`${r.argv().join(' ')}\n${JSON.stringify(run, null, 2)}\n${String(err)}`, { cause: err });
    }
    expect(run.err).not.toMatch(/\n\s+at /);
  });
});

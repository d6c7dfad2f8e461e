// orchestrator-client's commands: for each, the arguments it insists on (in the original's
// order, with its messages), the API path it calls and how it prints the answer.
import { ClientError } from './errors.js';
import type { ClientOptions } from './flags.js';
import {
  analysisLines,
  brokenReplicas,
  dominantDataCenter,
  echoed,
  elements,
  field,
  keyLine,
  keyLines,
  keyOrRaw,
  keyText,
  rawText,
  relocationLine,
  runningReplicas,
  uriEncode,
} from './format.js';

/** An argument a command refuses to run without; the name is the original's message. */
export type Need =
  | 'instance'
  | 'instance|alias'
  | 'destination'
  | 'owner'
  | 'reason'
  | 'duration'
  | 'promotion-rule'
  | 'tag'
  | 'pool'
  | 'hostname'
  | 'path'
  | 'query'
  | 'binlog'
  | 'seconds';

/** What a command runs with. */
export interface CommandContext {
  readonly options: ClientOptions;
  /** `-i` as `host/port`. */
  readonly instancePath: string;
  /** `-d` as `host/port`. */
  readonly destinationPath: string;
  /** `-alias`, else `-i` as given: the original's `${alias:-$instance}`. */
  readonly hint: string;
  readonly leaderApi: string;
  /** GET `<leader>/api/<path>`; resolves with the JSON answer, rejects on an ERROR answer. */
  readonly api: (path: string) => Promise<unknown>;
}

/** Lines for people (the original's output) and the JSON for `--json`. */
export interface CommandResult {
  readonly lines: readonly string[];
  readonly json: unknown;
}

/** One command. */
export interface CommandSpec {
  readonly name: string;
  readonly group: string;
  readonly summary: string;
  readonly needs: readonly Need[];
  /** Where the answer comes from, for --help (`instance/:host/:port`). */
  readonly route: string;
  /** What is printed, for --help. */
  readonly prints: string;
  /** `api -P`: an ERROR answer is printed whole on stdout, as the original's raw mode. */
  readonly rawErrors?: boolean;
  /** Runs without an API (help). */
  readonly local?: boolean;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/**
 * The value of a need in a context, for the "must be provided" check.
 *
 * @example
 * needValue('instance|alias', ctx)
 */
export function needValue(need: Need, ctx: Omit<CommandContext, 'api' | 'leaderApi'>): string {
  const o = ctx.options;
  const values: Record<Need, string> = {
    instance: ctx.instancePath,
    'instance|alias': ctx.hint,
    destination: ctx.destinationPath,
    owner: o.owner,
    reason: o.reason,
    duration: o.duration,
    'promotion-rule': o.promotionRule,
    tag: o.tag,
    pool: o.pool,
    hostname: o.hostname,
    path: o.path,
    query: o.query,
    binlog: o.binlog,
    seconds: o.seconds,
  };
  return values[need];
}

type Render = (body: unknown, ctx: CommandContext) => string[];

const details = (body: unknown): unknown => field(body, 'Details');
const seg = (text: string): string => uriEncode(text).replace(/%3A/g, ':');

const table: CommandSpec[] = [];

function add(
  group: string,
  names: string | readonly string[],
  summary: string,
  needs: readonly Need[],
  route: string,
  prints: string,
  path: (ctx: CommandContext, name: string) => string,
  render: Render,
): void {
  for (const name of typeof names === 'string' ? [names] : names) {
    table.push({
      name,
      group,
      summary,
      needs,
      route: route.replace('$name', name),
      prints,
      run: async (ctx) => {
        const body = await ctx.api(path(ctx, name));
        return { lines: render(body, ctx), json: body };
      },
    });
  }
}

const none: Render = () => [];
const detailsKey: Render = (b) => [keyLine(details(b))];
const detailsKeyOrRaw: Render = (b) => [keyOrRaw(details(b))];
const detailsKeys: Render = (b) => keyLines(details(b));
const detailsRaw: Render = (b) => [rawText(details(b))];
const detailsEchoed: Render = (b) => [echoed(details(b))];
const bodyKeys: Render = (b) => keyLines(b);
const bodyKey: Render = (b) => [keyLine(b)];
const successor: Render = (b) => [keyText(field(details(b), 'SuccessorKey'))];
const relocation: Render = (b) => [relocationLine(details(b))];
const at = (name: string) => (c: CommandContext) => `${name}/${c.instancePath}`;
const atHint = (name: string) => (c: CommandContext) => `${name}/${seg(c.hint)}`;
const I = 'instance/:host/:port';

// Discovery and information.
add(
  'information',
  'async-discover',
  'Discover an instance in the background (for bulk loads)',
  ['instance'],
  'async-discover/:host/:port',
  'host:port',
  at('async-discover'),
  detailsKey,
);
add(
  'information',
  'discover',
  'Discover an instance now and print its key',
  ['instance'],
  'discover/:host/:port',
  'host:port',
  at('discover'),
  detailsKey,
);
add('information', 'forget', 'Forget an instance', ['instance'], 'forget/:host/:port', 'nothing', at('forget'), none);
add(
  'information',
  'forget-cluster',
  'Forget every instance of a cluster',
  ['instance|alias'],
  'forget-cluster/:clusterHint',
  'nothing',
  atHint('forget-cluster'),
  none,
);
for (const [name, summary] of [
  ['topology', 'Print the replication tree of a cluster'],
  ['topology-tabulated', 'Print the replication tree of a cluster, in columns'],
  ['topology-tags', 'Print the replication tree of a cluster with instance tags'],
] as const)
  add(
    'information',
    name,
    summary,
    ['instance|alias'],
    `${name}/:clusterHint`,
    'the indented tree',
    atHint(name),
    detailsRaw,
  );
add(
  'information',
  'snapshot-topologies',
  "Record every instance's primary now",
  [],
  'snapshot-topologies',
  "the answer's Details",
  () => 'snapshot-topologies',
  detailsRaw,
);
add(
  'information',
  'clusters',
  'List cluster names',
  [],
  'clusters-info',
  'one cluster name per line',
  () => 'clusters-info',
  (b) => elements(b).map((c) => rawText(field(c, 'ClusterName'))),
);
add(
  'information',
  'clusters-alias',
  'List clusters as name,alias',
  [],
  'clusters-info',
  'name,alias per line',
  () => 'clusters-info',
  (b) => elements(b).map((c) => `${rawText(field(c, 'ClusterName'))},${rawText(field(c, 'ClusterAlias'))}`),
);
add(
  'information',
  'search',
  'Find instances whose name contains -i',
  ['instance'],
  'search?s=',
  'host:port per line',
  (c) => `search?s=${uriEncode(c.options.instance)}`,
  bodyKeys,
);
add(
  'information',
  ['instance', 'which-instance'],
  'Print the key of a known instance (error if unknown)',
  ['instance'],
  I,
  'host:port',
  at('instance'),
  bodyKey,
);
add(
  'information',
  'which-master',
  'Print the primary of an instance',
  ['instance'],
  I,
  'host:port',
  at('instance'),
  (b) => [keyText(field(b, 'MasterKey'))],
);
add(
  'information',
  'which-replicas',
  'List the replicas of an instance',
  ['instance'],
  'instance-replicas/:host/:port',
  'host:port per line',
  at('instance-replicas'),
  bodyKeys,
);
add(
  'information',
  'which-broken-replicas',
  'List replicas of an instance stopped with an error',
  ['instance'],
  'instance-replicas/:host/:port',
  'host:port per line',
  at('instance-replicas'),
  (b) => keyLines(brokenReplicas(b)),
);
add(
  'information',
  'which-cluster-instances',
  'List the instances of a cluster',
  ['instance|alias'],
  'cluster/:clusterHint',
  'host:port per line',
  atHint('cluster'),
  bodyKeys,
);
add(
  'information',
  'which-cluster',
  'Print the cluster name of an instance or alias',
  ['instance|alias'],
  'cluster-info/:clusterHint',
  'cluster name',
  atHint('cluster-info'),
  (b) => [rawText(field(b, 'ClusterName'))],
);
add(
  'information',
  'which-cluster-alias',
  'Print the alias of a cluster',
  ['instance|alias'],
  'cluster-info/:clusterHint',
  'cluster alias',
  atHint('cluster-info'),
  (b) => [rawText(field(b, 'ClusterAlias'))],
);
add(
  'information',
  'which-cluster-master',
  'Print the primary of a cluster (its ClusterName field, as the original)',
  ['instance|alias'],
  'master/:clusterHint',
  'cluster name of the primary',
  atHint('master'),
  (b) => [rawText(field(b, 'ClusterName'))],
);
add(
  'information',
  'all-clusters-masters',
  'List the writable primary of every cluster',
  [],
  'masters',
  'host:port per line',
  () => 'masters',
  bodyKeys,
);
add(
  'information',
  'all-instances',
  'List every known instance',
  [],
  'all-instances',
  'host:port per line',
  () => 'all-instances',
  bodyKeys,
);
add(
  'information',
  'which-cluster-osc-replicas',
  'List replicas fit to control pt-online-schema-change',
  ['instance|alias'],
  'cluster-osc-replicas/:clusterHint',
  'host:port per line',
  atHint('cluster-osc-replicas'),
  bodyKeys,
);
add(
  'information',
  'which-cluster-osc-running-replicas',
  'As which-cluster-osc-replicas, replicating ones only',
  ['instance|alias'],
  'cluster-osc-replicas/:clusterHint',
  'host:port per line',
  atHint('cluster-osc-replicas'),
  (b) => keyLines(runningReplicas(b)),
);
add(
  'information',
  'downtimed',
  'List downtimed instances (of a cluster with -i or -alias)',
  [],
  'downtimed[/:clusterHint]',
  'host:port per line',
  (c) => (c.hint === '' ? 'downtimed' : `downtimed/${seg(c.hint)}`),
  bodyKeys,
);
add(
  'information',
  'dominant-dc',
  'Print the data center holding most primaries',
  [],
  'masters',
  'data center name',
  () => 'masters',
  (b) => {
    const dc = dominantDataCenter(b);
    return dc === undefined ? [] : [dc];
  },
);

// KV.
add(
  'kv',
  'submit-masters-to-kv-stores',
  "Write every cluster's primary (or -alias's) to the KV stores",
  [],
  'submit-masters-to-kv-stores[/:clusterHint]',
  'key:value per line',
  (c) =>
    c.options.alias === '' ? 'submit-masters-to-kv-stores' : `submit-masters-to-kv-stores/${seg(c.options.alias)}`,
  (b) => elements(details(b)).map((p) => `${rawText(field(p, 'Key'))}:${rawText(field(p, 'Value'))}`),
);

// Refactoring.
const withDestination = (c: CommandContext, name: string): string =>
  c.destinationPath === '' ? `${name}/${c.instancePath}` : `${name}/${c.instancePath}/${c.destinationPath}`;
add(
  'refactoring',
  ['relocate', 'match', 'move-below', 'move-equivalent', 'move-gtid', 'repoint'],
  'Move -i below -d (relocate: any way; match: Pseudo-GTID; move-below: below a sibling; move-equivalent: by recorded coordinates; move-gtid: by GTID; repoint: same coordinates)',
  ['instance', 'destination'],
  '$name/:host/:port/:belowHost/:belowPort',
  'instance<master',
  withDestination,
  relocation,
);
add(
  'refactoring',
  ['relocate-replicas', 'move-replicas-gtid'],
  'Move the replicas of -i below -d',
  ['instance', 'destination'],
  '$name/:host/:port/:belowHost/:belowPort',
  'host:port per moved replica',
  withDestination,
  detailsKeys,
);
add(
  'refactoring',
  ['match-up', 'move-up', 'make-co-master', 'take-master', 'take-siblings'],
  "Change -i's place relative to its primary (move-up: below its grandparent; take-master: swap with its primary; take-siblings: siblings below it; make-co-master: co-primary)",
  ['instance'],
  '$name/:host/:port',
  'instance<master',
  (c, name) => `${name}/${c.instancePath}`,
  relocation,
);
add(
  'refactoring',
  ['match-up-replicas', 'move-up-replicas', 'repoint-replicas'],
  'Move or repoint the replicas of -i',
  ['instance'],
  '$name/:host/:port',
  'host:port per replica',
  withDestination,
  detailsKeys,
);

// Tags and pools.
add(
  'tags',
  'tags',
  'List the tags of an instance',
  ['instance'],
  'tags/:host/:port',
  'one tag per line',
  at('tags'),
  (b) => elements(b).map(rawText),
);
add(
  'tags',
  'tag-value',
  'Print the value of tag -t on an instance',
  ['instance', 'tag'],
  'tag-value/:host/:port?tag=',
  'the value',
  (c) => `tag-value/${c.instancePath}?tag=${uriEncode(c.options.tag)}`,
  (b) => [rawText(b)],
);
add(
  'tags',
  'tag',
  'Tag an instance (-t name or name=value)',
  ['instance', 'tag'],
  'tag/:host/:port?tag=',
  'host:port',
  (c) => `tag/${c.instancePath}?tag=${uriEncode(c.options.tag)}`,
  (b) => [keyText(details(b))],
);
add(
  'tags',
  'untag',
  'Remove tag -t from an instance',
  ['instance', 'tag'],
  'untag/:host/:port?tag=',
  'host:port per line',
  (c) => `untag/${c.instancePath}?tag=${uriEncode(c.options.tag)}`,
  (b) => elements(details(b)).map(keyText),
);
add(
  'tags',
  'untag-all',
  'Remove tag -t from every instance',
  ['tag'],
  'untag-all?tag=',
  'host:port per line',
  (c) => `untag-all?tag=${uriEncode(c.options.tag)}`,
  (b) => elements(details(b)).map(keyText),
);
add(
  'tags',
  'tagged',
  'List instances tagged -t (name, name=value, or a comma list)',
  ['tag'],
  'tagged?tag=',
  'host:port per line',
  (c) => `tagged/${c.instancePath}?tag=${uriEncode(c.options.tag)}`.replace('tagged/?', 'tagged?'),
  (b) => elements(b).map(keyText),
);
add(
  'tags',
  'submit-pool-instances',
  'Set the instances (-i, comma list) of pool -l',
  ['instance', 'pool'],
  'submit-pool-instances/:pool?instances=',
  "the answer's Details",
  (c) => `submit-pool-instances/${seg(c.options.pool)}?instances=${uriEncode(c.options.instance)}`,
  detailsRaw,
);
add(
  'tags',
  'which-heuristic-cluster-pool-instances',
  'List the pool instances (-l optional) of a cluster',
  ['instance|alias'],
  'heuristic-cluster-pool-instances/:clusterHint[/:pool]',
  'host:port per line',
  (c) => `heuristic-cluster-pool-instances/${seg(c.hint)}${c.options.pool === '' ? '' : `/${seg(c.options.pool)}`}`,
  detailsKeys,
);

// Downtime, maintenance, candidates, hostnames.
add(
  'downtime',
  'begin-downtime',
  'Downtime an instance (-o owner, -r reason, -u duration, default 10m)',
  ['instance', 'owner', 'reason', 'duration'],
  'begin-downtime/:host/:port/:owner/:reason/:duration',
  'host:port',
  (c) =>
    `begin-downtime/${c.instancePath}/${uriEncode(c.options.owner)}/${uriEncode(c.options.reason)}/${uriEncode(c.options.duration)}`,
  detailsKeyOrRaw,
);
add(
  'downtime',
  'end-downtime',
  "End an instance's downtime",
  ['instance'],
  'end-downtime/:host/:port',
  'host:port',
  at('end-downtime'),
  detailsKeyOrRaw,
);
add(
  'downtime',
  'begin-maintenance',
  'Take a maintenance lock on an instance (-o, -r)',
  ['instance', 'owner', 'reason'],
  'begin-maintenance/:host/:port/:owner/:reason',
  'host:port (orc: the maintenance id)',
  (c) => `begin-maintenance/${c.instancePath}/${uriEncode(c.options.owner)}/${uriEncode(c.options.reason)}`,
  detailsKeyOrRaw,
);
add(
  'downtime',
  'end-maintenance',
  "Release an instance's maintenance lock",
  ['instance'],
  'end-maintenance/:host/:port',
  'host:port',
  at('end-maintenance'),
  detailsKeyOrRaw,
);
add(
  'downtime',
  'register-candidate',
  "Set an instance's promotion rule (-R prefer|neutral|prefer_not|must_not)",
  ['instance', 'promotion-rule'],
  'register-candidate/:host/:port/:promotionRule',
  'host:port',
  (c) => `register-candidate/${c.instancePath}/${seg(c.options.promotionRule)}`,
  detailsKeyOrRaw,
);
add(
  'downtime',
  'register-hostname-unresolve',
  'Give an instance a virtual name (-H)',
  ['instance', 'hostname'],
  'register-hostname-unresolve/:host/:port/:virtualname',
  'host:port',
  (c) => `register-hostname-unresolve/${c.instancePath}/${seg(c.options.hostname)}`,
  detailsKeyOrRaw,
);
add(
  'downtime',
  'deregister-hostname-unresolve',
  "Remove an instance's virtual name",
  ['instance'],
  'deregister-hostname-unresolve/:host/:port',
  'host:port',
  at('deregister-hostname-unresolve'),
  detailsKeyOrRaw,
);

// Replication.
const instanceCommands: readonly (readonly [string, string])[] = [
  ['stop-replica', 'STOP SLAVE on an instance'],
  ['stop-replica-nice', 'STOP SLAVE once the SQL thread caught up with the IO thread'],
  ['start-replica', 'START SLAVE on an instance'],
  ['restart-replica', 'STOP then START SLAVE on an instance'],
  ['reset-replica', 'RESET SLAVE on an instance (careful)'],
  ['detach-replica', 'Stop replication and make the primary host unusable, reversibly'],
  ['reattach-replica', 'Undo detach-replica'],
  ['detach-replica-master-host', 'Stop replication and make the primary host unusable, reversibly'],
  ['reattach-replica-master-host', 'Undo detach-replica-master-host'],
  ['skip-query', 'Skip one statement on a replica'],
  ['gtid-errant-reset-master', 'Remove errant GTIDs with RESET MASTER'],
  ['gtid-errant-inject-empty', 'Inject errant GTIDs as empty transactions on the primary'],
  ['enable-semi-sync-master', 'Enable semi-sync on the primary side'],
  ['disable-semi-sync-master', 'Disable semi-sync on the primary side'],
  ['enable-semi-sync-replica', 'Enable semi-sync on the replica side'],
  ['disable-semi-sync-replica', 'Disable semi-sync on the replica side'],
  ['set-read-only', 'SET GLOBAL read_only = 1'],
  ['set-writeable', 'SET GLOBAL read_only = 0'],
  ['flush-binary-logs', 'FLUSH BINARY LOGS on an instance'],
];
for (const [name, summary] of instanceCommands)
  add('replication', name, summary, ['instance'], `${name}/:host/:port`, 'host:port', at(name), (b) => [
    keyLine(details(b)),
  ]);
add(
  'replication',
  'which-gtid-errant',
  "Print an instance's errant GTID set (empty when none)",
  ['instance'],
  I,
  'the GTID set',
  at('instance'),
  (b) => [rawText(field(b, 'GtidErrant'))],
);
add(
  'replication',
  'locate-gtid-errant',
  'List binary logs holding errant GTIDs',
  ['instance'],
  'locate-gtid-errant/:host/:port',
  'one binary log per line',
  at('locate-gtid-errant'),
  (b) => elements(details(b)).map(rawText),
);
add(
  'replication',
  'restart-replica-statements',
  'Wrap query -q in the STOP/START SLAVE statements it needs',
  ['instance', 'query'],
  'restart-replica-statements/:host/:port?q=',
  'the statements (JSON)',
  (c) => `restart-replica-statements/${c.instancePath}?q=${uriEncode(c.options.query)}`,
  detailsEchoed,
);
add(
  'replication',
  'delay-replication',
  'CHANGE MASTER TO MASTER_DELAY = -S seconds',
  ['instance', 'seconds'],
  'delay-replication/:host/:port/:seconds',
  "the answer's Details (JSON)",
  (c) => `delay-replication/${c.instancePath}/${seg(c.options.seconds)}`,
  detailsEchoed,
);
for (const name of ['can-replicate-from', 'can-replicate-from-gtid'])
  add(
    'replication',
    name,
    'Print -i when it could replicate from -d',
    ['instance', 'destination'],
    `${name}/:host/:port/:belowHost/:belowPort`,
    'host:port, or nothing',
    withDestination,
    (b) => (String(field(b, 'Message')).includes('true') ? [keyText(details(b))] : []),
  );
add(
  'replication',
  'is-replicating',
  'Print -i when both replication threads run',
  ['instance'],
  I,
  'host:port, or nothing',
  at('instance'),
  (b) =>
    field(b, 'ReplicationSQLThreadState') === 1 && field(b, 'ReplicationIOThreadState') === 1 ? [keyLine(b)] : [],
);
add(
  'replication',
  'is-replication-stopped',
  'Print -i when both replication threads are stopped',
  ['instance'],
  I,
  'host:port, or nothing',
  at('instance'),
  (b) =>
    field(b, 'ReplicationSQLThreadState') === 0 && field(b, 'ReplicationIOThreadState') === 0 ? [keyLine(b)] : [],
);
add(
  'replication',
  'purge-binary-logs',
  'PURGE BINARY LOGS TO -n on an instance',
  ['instance', 'binlog'],
  'purge-binary-logs/:host/:port/:logFile',
  'host:port',
  (c) => `purge-binary-logs/${c.instancePath}/${seg(c.options.binlog)}`,
  (b) => [keyLine(details(b))],
);
add(
  'replication',
  'last-pseudo-gtid',
  'Print the last Pseudo-GTID entry of an instance',
  ['instance'],
  'last-pseudo-gtid/:host/:port',
  'the entry',
  at('last-pseudo-gtid'),
  detailsRaw,
);

// Recovery.
add(
  'recovery',
  'recover',
  'Recover a failed instance now (overrides anti-flapping)',
  ['instance'],
  'recover/:host/:port',
  'host:port of the promoted instance',
  at('recover'),
  detailsKeyOrRaw,
);
for (const name of ['graceful-master-takeover', 'graceful-master-takeover-auto'])
  add(
    'recovery',
    name,
    name.endsWith('auto')
      ? 'Planned primary switch; orc picks the replica (or -d)'
      : 'Planned primary switch to -d (or to the only direct replica)',
    ['instance|alias'],
    `${name}/:clusterHint[/:designatedHost/:designatedPort]`,
    'host:port of the new primary',
    (c) => `${name}/${seg(c.hint)}${c.destinationPath === '' ? '' : `/${c.destinationPath}`}`,
    successor,
  );
add(
  'recovery',
  'force-master-failover',
  'Fail the primary over now, orc picks the replacement',
  ['instance|alias'],
  'force-master-failover/:clusterHint',
  'host:port of the new primary',
  atHint('force-master-failover'),
  successor,
);
add(
  'recovery',
  'force-master-takeover',
  'Fail the primary over now to -d',
  ['instance|alias', 'destination'],
  'force-master-takeover/:clusterHint/:designatedHost/:designatedPort',
  'host:port of the new primary',
  (c) => `force-master-takeover/${seg(c.hint)}/${c.destinationPath}`,
  successor,
);
add(
  'recovery',
  'ack-cluster-recoveries',
  "Acknowledge a cluster's recoveries (-r is the comment)",
  ['instance|alias', 'reason'],
  'ack-recovery/cluster/:clusterHint?comment=',
  "the answer's Details",
  (c) => `ack-recovery/cluster/${seg(c.hint)}?comment=${uriEncode(c.options.reason)}`,
  detailsRaw,
);
add(
  'recovery',
  'ack-all-recoveries',
  'Acknowledge every recovery (-r is the comment)',
  ['reason'],
  'ack-all-recoveries?comment=',
  "the answer's Details",
  (c) => `ack-all-recoveries?comment=${uriEncode(c.options.reason)}`,
  detailsRaw,
);
add(
  'recovery',
  'disable-global-recoveries',
  'Stop all automated recoveries',
  [],
  'disable-global-recoveries',
  'disabled',
  () => 'disable-global-recoveries',
  detailsRaw,
);
add(
  'recovery',
  'enable-global-recoveries',
  'Allow automated recoveries again',
  [],
  'enable-global-recoveries',
  'enabled',
  () => 'enable-global-recoveries',
  detailsRaw,
);
add(
  'recovery',
  'check-global-recoveries',
  'Print whether automated recoveries are enabled',
  [],
  'check-global-recoveries',
  'enabled or disabled',
  () => 'check-global-recoveries',
  detailsRaw,
);
add(
  'recovery',
  'replication-analysis',
  'Print the current failure analysis of every instance',
  [],
  'replication-analysis',
  'host:port (cluster name): analysis, per line',
  () => 'replication-analysis',
  (b) => analysisLines(details(b)),
);

// Meta and raft.
const raftLeaderConfirmed = async (ctx: CommandContext): Promise<void> => {
  // As the original: these commands need the node asked to be the raft leader.
  const state = await ctx.api('raft-state');
  if (!rawText(state).includes('Leader')) throw new ClientError('RAFT_STATE', 'Cannot determine raft state');
};
table.push(
  {
    name: 'help',
    group: 'meta',
    summary: 'Print this help',
    needs: [],
    route: '(none)',
    prints: 'this help',
    local: true,
    run: async () => ({ lines: [], json: null }),
  },
  {
    name: 'which-api',
    group: 'meta',
    summary: 'Print the API URL the client talks to (the leader, from a list)',
    needs: [],
    route: 'leader-check, routed-leader-check',
    prints: 'the URL',
    run: async (ctx) => ({ lines: [ctx.leaderApi], json: { api: ctx.leaderApi } }),
  },
  {
    name: 'api',
    group: 'meta',
    summary: 'GET any API path (-P) and print its JSON',
    needs: ['path'],
    route: ':path',
    prints: 'the JSON answer on one line',
    rawErrors: true,
    run: async (ctx) => {
      const body = await ctx.api(ctx.options.path);
      return { lines: [echoed(body)], json: body };
    },
  },
  {
    name: 'raft-leader',
    group: 'raft',
    summary: "Print the raft leader's address",
    needs: [],
    route: 'raft-state, raft-leader',
    prints: 'ip:port',
    run: async (ctx) => {
      await raftLeaderConfirmed(ctx);
      const body = await ctx.api('raft-leader');
      return { lines: [rawText(body)], json: body };
    },
  },
  {
    name: 'raft-health',
    group: 'raft',
    summary: 'Print whether the node is part of a healthy raft group',
    needs: [],
    route: 'raft-health',
    prints: 'healthy',
    run: async (ctx) => {
      const body = await ctx.api('raft-health');
      return { lines: [rawText(body)], json: body };
    },
  },
  {
    name: 'raft-leader-hostname',
    group: 'raft',
    summary: "Print the raft leader's host name",
    needs: [],
    route: 'raft-state, status',
    prints: 'host name',
    run: async (ctx) => {
      await raftLeaderConfirmed(ctx);
      const body = await ctx.api('status');
      return { lines: [rawText(field(details(body), 'Hostname'))], json: body };
    },
  },
  {
    name: 'raft-elect-leader',
    group: 'raft',
    summary: 'Ask the raft leader to step down in favour of -H',
    needs: ['hostname'],
    route: 'raft-state, raft-yield-hint/:hint',
    prints: "the answer's Details",
    run: async (ctx) => {
      await raftLeaderConfirmed(ctx);
      const body = await ctx.api(`raft-yield-hint/${seg(ctx.options.hostname)}`);
      return { lines: [rawText(details(body))], json: body };
    },
  },
);

/** Every command, by name. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(table.map((c) => [c.name, c]));

// orchestrator-client's commands: discovery and information.
import {
  brokenReplicas,
  dominantDataCenter,
  elements,
  field,
  keyLines,
  keyText,
  rawText,
  runningReplicas,
  uriEncode,
} from '../format.js';
import { seg, at, atHint, bodyKey, bodyKeys, detailsKey, detailsRaw, I, none, type CommandTable } from './spec.js';

/**
 * Adds the discovery and information commands to a table.
 *
 * @example
 * informationCommands(table);
 */
export function informationCommands(t: CommandTable): void {
  // Discovery and information.
  t.add(
    'information',
    'async-discover',
    'Discover an instance in the background (for bulk loads)',
    ['instance'],
    'async-discover/:host/:port',
    'host:port',
    at('async-discover'),
    detailsKey,
  );
  t.add(
    'information',
    'discover',
    'Discover an instance now and print its key',
    ['instance'],
    'discover/:host/:port',
    'host:port',
    at('discover'),
    detailsKey,
  );
  t.add(
    'information',
    'forget',
    'Forget an instance',
    ['instance'],
    'forget/:host/:port',
    'nothing',
    at('forget'),
    none,
  );
  t.add(
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
    t.add(
      'information',
      name,
      summary,
      ['instance|alias'],
      `${name}/:clusterHint`,
      'the indented tree',
      atHint(name),
      detailsRaw,
    );
  t.add(
    'information',
    'snapshot-topologies',
    "Record every instance's primary now",
    [],
    'snapshot-topologies',
    "the answer's Details",
    () => 'snapshot-topologies',
    detailsRaw,
  );
  t.add(
    'information',
    'clusters',
    'List cluster names',
    [],
    'clusters-info',
    'one cluster name per line',
    () => 'clusters-info',
    (b) => elements(b).map((c) => rawText(field(c, 'ClusterName'))),
  );
  t.add(
    'information',
    'clusters-alias',
    'List clusters as name,alias',
    [],
    'clusters-info',
    'name,alias per line',
    () => 'clusters-info',
    (b) => elements(b).map((c) => `${rawText(field(c, 'ClusterName'))},${rawText(field(c, 'ClusterAlias'))}`),
  );
  t.add(
    'information',
    'search',
    'Find instances whose name contains -i',
    ['instance'],
    'search?s=',
    'host:port per line',
    (c) => `search?s=${uriEncode(c.options.instance)}`,
    bodyKeys,
  );
  t.add(
    'information',
    ['instance', 'which-instance'],
    'Print the key of a known instance (error if unknown)',
    ['instance'],
    I,
    'host:port',
    at('instance'),
    bodyKey,
  );
  t.add(
    'information',
    'which-master',
    'Print the primary of an instance',
    ['instance'],
    I,
    'host:port',
    at('instance'),
    (b) => [keyText(field(b, 'MasterKey'))],
  );
  t.add(
    'information',
    'which-replicas',
    'List the replicas of an instance',
    ['instance'],
    'instance-replicas/:host/:port',
    'host:port per line',
    at('instance-replicas'),
    bodyKeys,
  );
  t.add(
    'information',
    'which-broken-replicas',
    'List replicas of an instance stopped with an error',
    ['instance'],
    'instance-replicas/:host/:port',
    'host:port per line',
    at('instance-replicas'),
    (b) => keyLines(brokenReplicas(b)),
  );
  t.add(
    'information',
    'which-cluster-instances',
    'List the instances of a cluster',
    ['instance|alias'],
    'cluster/:clusterHint',
    'host:port per line',
    atHint('cluster'),
    bodyKeys,
  );
  t.add(
    'information',
    'which-cluster',
    'Print the cluster name of an instance or alias',
    ['instance|alias'],
    'cluster-info/:clusterHint',
    'cluster name',
    atHint('cluster-info'),
    (b) => [rawText(field(b, 'ClusterName'))],
  );
  t.add(
    'information',
    'which-cluster-alias',
    'Print the alias of a cluster',
    ['instance|alias'],
    'cluster-info/:clusterHint',
    'cluster alias',
    atHint('cluster-info'),
    (b) => [rawText(field(b, 'ClusterAlias'))],
  );
  t.add(
    'information',
    'which-cluster-master',
    'Print the primary of a cluster (its ClusterName field, as the original)',
    ['instance|alias'],
    'master/:clusterHint',
    'cluster name of the primary',
    atHint('master'),
    (b) => [rawText(field(b, 'ClusterName'))],
  );
  t.add(
    'information',
    'all-clusters-masters',
    'List the writable primary of every cluster',
    [],
    'masters',
    'host:port per line',
    () => 'masters',
    bodyKeys,
  );
  t.add(
    'information',
    'all-instances',
    'List every known instance',
    [],
    'all-instances',
    'host:port per line',
    () => 'all-instances',
    bodyKeys,
  );
  t.add(
    'information',
    'which-cluster-osc-replicas',
    'List replicas fit to control pt-online-schema-change',
    ['instance|alias'],
    'cluster-osc-replicas/:clusterHint',
    'host:port per line',
    atHint('cluster-osc-replicas'),
    bodyKeys,
  );
  t.add(
    'information',
    'which-cluster-osc-running-replicas',
    'As which-cluster-osc-replicas, replicating ones only',
    ['instance|alias'],
    'cluster-osc-replicas/:clusterHint',
    'host:port per line',
    atHint('cluster-osc-replicas'),
    (b) => keyLines(runningReplicas(b)),
  );
  t.add(
    'information',
    'downtimed',
    'List downtimed instances (of a cluster with -i or -alias)',
    [],
    'downtimed[/:clusterHint]',
    'host:port per line',
    (c) => (c.hint === '' ? 'downtimed' : `downtimed/${seg(c.hint)}`),
    bodyKeys,
  );
  t.add(
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
}

// Stand-in rows for the packages whose keys files (keys/topology.ts)
// are written on other branches. orchestrator-keys.ts uses a stand-in row only while no keys file
// of that owner is composed, so landing a package's file retires its stand-ins without an edit
// here; delete this file once it has landed.
import type { TopologyConfigInput } from '@orc/topology';
import { checks, type KeySpec, type KeyValues, type ValueCheck } from './key-spec.js';

type Row = Omit<KeySpec, 'field'> & { field?: string };
const row = (r: Row): KeySpec => ({ ...r, field: r.field ?? r.key });
const nonNegative: ValueCheck = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0
    ? undefined
    : `must be a non-negative number, got ${JSON.stringify(v)}`;

const str = (key: string, doc: string, extra: Partial<KeySpec> = {}): KeySpec =>
  row({ key, owner: 'topology', default: '', check: checks.string, doc, ...extra });
const num = (key: string, def: number, doc: string, check = checks.positiveNumber): KeySpec =>
  row({ key, owner: 'topology', default: def, check, doc });
const list = (key: string, doc: string): KeySpec =>
  row({ key, owner: 'topology', default: [], check: checks.regexArray, doc });

const topology: readonly KeySpec[] = [
  num('InstancePollSeconds', 5, 'Seconds between two probes of one server.', checks.positiveInteger),
  num('DiscoveryMaxConcurrency', 300, 'Probes running at once.', checks.positiveInteger),
  num('DiscoveryQueueCapacity', 100_000, 'Keys waiting to be probed, at most.', checks.positiveInteger),
  row({
    key: 'DiscoverySeeds',
    owner: 'topology',
    default: [],
    check: checks.stringArray,
    doc: '"host:port" servers discovery starts from.',
  }),
  list('DiscoveryIgnoreHostnameFilters', 'Regular expressions: hosts never probed.'),
  list('DiscoveryIgnoreReplicaHostnameFilters', 'Regular expressions: replicas not followed.'),
  list('DiscoveryIgnoreMasterHostnameFilters', 'Regular expressions: primaries not followed.'),
  str('MySQLTopologyUser', 'User orc probes and changes the servers with.'),
  str('MySQLTopologyPassword', 'Its password.', { secret: true }),
  num('MySQLConnectTimeoutSeconds', 2, 'Connect and handshake bound.'),
  num('MySQLDiscoveryReadTimeoutSeconds', 10, 'Bound on each probe query.'),
  num('UnseenInstanceForgetHours', 240, 'A server unseen this long is forgotten.'),
  num('DefaultInstancePort', 3306, 'Port assumed when a key has none.', checks.port),
  row({
    key: 'ClusterNameToAlias',
    owner: 'topology',
    default: {},
    check: checks.stringMap,
    doc: 'Regular expression on the cluster name -> alias.',
  }),
  str('DetectClusterAliasQuery', 'Query answering the cluster alias.'),
  str('DetectClusterDomainQuery', 'Query answering the cluster domain.'),
  str('DetectDataCenterQuery', 'Query answering the data center.'),
  str('DetectRegionQuery', 'Query answering the region.'),
  str('DetectPhysicalEnvironmentQuery', 'Query answering the environment.'),
  str('DetectPromotionRuleQuery', 'Query answering the promotion rule.'),
  str('DetectInstanceAliasQuery', 'Query answering the instance alias.'),
  str('DataCenterPattern', 'Regular expression on the host: its group is the data center.'),
  str('RegionPattern', 'Regular expression on the host: its group is the region.'),
  str('PhysicalEnvironmentPattern', 'Regular expression on the host: its group is the environment.'),
  str('ReplicationLagQuery', 'Query answering the replication lag in seconds.'),
  num('ReasonableInstanceCheckSeconds', 1, 'A probe older than this is stale.'),
  num('ReasonableReplicationLagSeconds', 10, 'Lag above this is a problem.'),
  num(
    'ReasonableLockedSemiSyncMasterSeconds',
    0,
    'Locked semi-sync bound (0: ReasonableReplicationLagSeconds).',
    nonNegative,
  ),
  list('RecoveryIgnoreHostnameFilters', 'Regular expressions: hosts never recovered.'),
  list('RecoverMasterClusterFilters', 'Regular expressions: clusters whose primary is recovered automatically.'),
  list(
    'RecoverIntermediateMasterClusterFilters',
    'Regular expressions: clusters whose intermediate primaries are recovered automatically.',
  ),
  row({
    key: 'RecoverNonWriteableMaster',
    owner: 'topology',
    default: false,
    check: checks.boolean,
    doc: 'Make a read-only primary writable.',
  }),
  row({
    key: 'EnforceExactSemiSyncReplicas',
    owner: 'topology',
    default: false,
    check: checks.boolean,
    doc: 'Keep exactly the semi-sync replica count.',
  }),
  { ...num('EmergentPollMilliseconds', 100, 'Re-probe interval of a suspected primary.'), orcOnly: true },
  {
    ...num('EmergentWindowSeconds', 0, 'How long a suspicion lasts (0: 2 x InstancePollSeconds).', nonNegative),
    orcOnly: true,
  },
  {
    ...num('WriteBatchMilliseconds', 100, 'Instance writes gathered this long into one batch.', nonNegative),
    orcOnly: true,
  },
  { ...num('WriteBatchMaxSize', 1000, 'Instances per write batch, at most.', checks.positiveInteger), orcOnly: true },
];

/** Every stand-in row, by owner. */
export const interimKeys: readonly KeySpec[] = [...topology];

const pick = (v: KeyValues, rows: readonly KeySpec[]): Record<string, unknown> =>
  Object.fromEntries(rows.map((r) => [r.key, v[r.key]]));

/**
 * Stand-in for keys/topology.ts's builder (topology on main still takes orchestrator's keys).
 *
 * @example
 * interimTopologyConfig(values).InstancePollSeconds // 5
 */
export function interimTopologyConfig(v: KeyValues): TopologyConfigInput {
  return pick(v, topology) as TopologyConfigInput;
}

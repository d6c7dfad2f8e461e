// Rows of orchestrator's discovery and analysis keys for the one key table, and the builder of
// @orc/topology's camelCase TopologyConfigInput from the checked values. Names and defaults are
// orchestrator's; orc's own keys are marked orcOnly. RecoverMasterClusterFilters and
// RecoverIntermediateMasterClusterFilters are recovery's rows (keys/recovery.ts); the analysis
// reads them too, so the builder takes their values from there.
import { TopologyError, type TopologyConfigInput } from '@orc/topology';
import { readClientCredentials } from '../client-credentials.js';
import { checks, type ConfigIo, type KeySpec, type KeyValues, type ValueCheck } from '../key-spec.js';

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

const nonNegativeNumber: ValueCheck = (v) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? undefined : `must be a non-negative number, got ${show(v)}`;

/** One regular expression, or '' for none. */
const regex: ValueCheck = (v) => {
  if (typeof v !== 'string') return `must be a regular expression string, got ${show(v)}`;
  try {
    new RegExp(v);
    return undefined;
  } catch (err) {
    return `${show(v)} is not a valid regular expression: ${(err as Error).message}`;
  }
};

/** Regular expression on the cluster name -> alias. */
const aliasMap: ValueCheck = (v) => {
  const shape = checks.stringMap(v);
  if (shape !== undefined) return shape;
  for (const pattern of Object.keys(v as object)) {
    const bad = regex(pattern);
    if (bad !== undefined) return bad;
  }
  return undefined;
};

type TopologyRow = Omit<KeySpec, 'owner'>;
const row = (r: TopologyRow): KeySpec => ({ owner: 'topology', ...r });

/**
 * orchestrator's keys for discovering servers, probing them and analysing failures.
 *
 * @example
 * ```ts
 * topologyKeys.find((k) => k.key === 'InstancePollSeconds')?.default; // 5
 * ```
 */
export const topologyKeys: readonly KeySpec[] = [
  row({
    key: 'InstancePollSeconds',
    field: 'instancePollSeconds',
    default: 5,
    check: checks.positiveInteger,
    doc: 'Seconds between two probes of one server.',
  }),
  row({
    key: 'DiscoveryMaxConcurrency',
    field: 'discoveryMaxConcurrency',
    default: 300,
    check: checks.positiveInteger,
    doc: 'Probes running at once, at most.',
  }),
  row({
    key: 'DiscoveryQueueCapacity',
    field: 'discoveryQueueCapacity',
    default: 100_000,
    check: checks.positiveInteger,
    doc: 'Servers waiting to be probed, at most; a key beyond it waits for its next poll.',
  }),
  row({
    key: 'DiscoverySeeds',
    field: 'discoverySeeds',
    default: [],
    check: checks.stringArray,
    doc: '"host:port" servers discovery starts from (the port defaults to DefaultInstancePort).',
  }),
  row({
    key: 'DiscoveryIgnoreHostnameFilters',
    field: 'discoveryIgnoreHostnameFilters',
    default: [],
    check: checks.regexArray,
    doc: 'Regular expressions on the host: servers never probed.',
  }),
  row({
    key: 'DiscoveryIgnoreReplicaHostnameFilters',
    field: 'discoveryIgnoreReplicaHostnameFilters',
    default: [],
    check: checks.regexArray,
    doc: 'Regular expressions on the host: replicas not followed from their primary.',
  }),
  row({
    key: 'DiscoveryIgnoreMasterHostnameFilters',
    field: 'discoveryIgnoreMasterHostnameFilters',
    default: [],
    check: checks.regexArray,
    doc: 'Regular expressions on the host: primaries not followed from their replicas.',
  }),
  row({
    key: 'MySQLTopologyUser',
    field: 'mysqlTopologyUser',
    default: '',
    check: checks.string,
    doc: 'User orc probes (and, in recovery, changes) the servers as.',
  }),
  row({
    key: 'MySQLTopologyPassword',
    field: 'mysqlTopologyPassword',
    default: '',
    check: checks.string,
    secret: true,
    doc: "That user's password.",
  }),
  row({
    key: 'MySQLTopologyCredentialsConfigFile',
    field: 'mysqlTopologyUser, mysqlTopologyPassword',
    default: '',
    check: checks.string,
    secret: true,
    doc: 'A my.cnf-style file whose [client] section gives user= and password=; they replace the two keys above.',
  }),
  row({
    key: 'MySQLConnectTimeoutSeconds',
    field: 'mysqlConnectTimeoutSeconds',
    default: 2,
    check: checks.positiveInteger,
    doc: 'Bound on TCP connect plus the MySQL handshake of a probe (the backend uses it too).',
  }),
  row({
    key: 'MySQLDiscoveryReadTimeoutSeconds',
    field: 'mysqlDiscoveryReadTimeoutSeconds',
    default: 10,
    check: checks.positiveInteger,
    doc: 'Bound on each probe query.',
  }),
  row({
    key: 'UnseenInstanceForgetHours',
    field: 'unseenInstanceForgetHours',
    default: 240,
    check: checks.positiveInteger,
    doc: 'A server not seen for this long is forgotten.',
  }),
  row({
    key: 'DefaultInstancePort',
    field: 'defaultInstancePort',
    default: 3306,
    check: checks.port,
    doc: 'Port assumed for a server named without one.',
  }),
  row({
    key: 'ClusterNameToAlias',
    field: 'clusterNameToAlias',
    default: {},
    check: aliasMap,
    doc: 'Regular expression on the cluster name -> alias, when DetectClusterAliasQuery gives none.',
  }),
  ...(
    [
      [
        'DetectClusterAliasQuery',
        'detectClusterAliasQuery',
        'Query (one row, one column) run on a primary: its cluster alias.',
      ],
      ['DetectClusterDomainQuery', 'detectClusterDomainQuery', "Query run on a primary: its cluster's domain name."],
      [
        'DetectDataCenterQuery',
        'detectDataCenterQuery',
        "Query: the server's data center (overrides DataCenterPattern).",
      ],
      ['DetectRegionQuery', 'detectRegionQuery', "Query: the server's region (overrides RegionPattern)."],
      ['DetectPhysicalEnvironmentQuery', 'detectPhysicalEnvironmentQuery', "Query: the server's environment."],
      [
        'DetectPromotionRuleQuery',
        'detectPromotionRuleQuery',
        "Query: the server's promotion rule (prefer, neutral, must_not, ...).",
      ],
      ['DetectInstanceAliasQuery', 'detectInstanceAliasQuery', "Query: the server's alias."],
      [
        'ReplicationLagQuery',
        'replicationLagQuery',
        'Query: replication lag in seconds, instead of Seconds_Behind_Master.',
      ],
    ] as const
  ).map(([key, field, doc]) => row({ key, field, default: '', check: checks.string, doc })),
  ...(
    [
      ['DataCenterPattern', 'dataCenterPattern', 'data center'],
      ['RegionPattern', 'regionPattern', 'region'],
      ['PhysicalEnvironmentPattern', 'physicalEnvironmentPattern', 'environment'],
    ] as const
  ).map(([key, field, what]) =>
    row({
      key,
      field,
      default: '',
      check: regex,
      doc: `Regular expression on the host name; its first group is the ${what}.`,
    }),
  ),
  row({
    key: 'ReasonableInstanceCheckSeconds',
    field: 'reasonableInstanceCheckSeconds',
    default: 1,
    check: checks.nonNegativeInteger,
    doc: "A probe pending longer than a poll plus this makes the server's last check invalid.",
  }),
  row({
    key: 'ReasonableReplicationLagSeconds',
    field: 'reasonableReplicationLagSeconds',
    default: 10,
    check: checks.nonNegativeInteger,
    doc: 'Replication lag above this counts as lagging.',
  }),
  row({
    key: 'ReasonableLockedSemiSyncMasterSeconds',
    field: 'reasonableLockedSemiSyncMasterSeconds',
    default: 0,
    check: checks.nonNegativeInteger,
    doc: 'A semi-sync primary blocked this long is locked; 0: ReasonableReplicationLagSeconds.',
  }),
  row({
    key: 'RecoveryIgnoreHostnameFilters',
    field: 'recoveryIgnoreHostnameFilters',
    default: [],
    check: checks.regexArray,
    doc: 'Regular expressions on the host: servers whose analysis entries are dropped (never recovered).',
  }),
  row({
    key: 'RecoverNonWriteableMaster',
    field: 'recoverNonWriteableMaster',
    default: false,
    check: checks.boolean,
    doc: 'A read-only primary is a problem to recover (made writable), not only a warning.',
  }),
  row({
    key: 'EnforceExactSemiSyncReplicas',
    field: 'enforceExactSemiSyncReplicas',
    default: false,
    check: checks.boolean,
    doc: 'More semi-sync replicas than the primary waits for is a problem to recover.',
  }),
  row({
    key: 'EmergentPollMilliseconds',
    field: 'emergentPollMilliseconds',
    default: 100,
    check: checks.positiveInteger,
    orcOnly: true,
    doc: 'While a primary is suspected, it and its replicas are probed this often.',
  }),
  row({
    key: 'EmergentWindowSeconds',
    field: 'emergentWindowSeconds',
    default: 0,
    check: nonNegativeNumber,
    orcOnly: true,
    doc: 'How long a suspicion lasts without new evidence; 0: twice InstancePollSeconds.',
  }),
  row({
    key: 'PrimaryPollMilliseconds',
    field: 'primaryPollMilliseconds',
    default: 1000,
    check: checks.nonNegativeInteger,
    orcOnly: true,
    doc: 'Servers with replicas are probed this often when shorter than InstancePollSeconds; 0: off.',
  }),
  row({
    key: 'WriteBatchMilliseconds',
    field: 'writeBatchMilliseconds',
    default: 100,
    check: checks.nonNegativeInteger,
    orcOnly: true,
    doc: 'Instance writes to the backend are gathered this long into one batch.',
  }),
  row({
    key: 'WriteBatchMaxSize',
    field: 'writeBatchMaxSize',
    default: 1000,
    check: checks.positiveInteger,
    orcOnly: true,
    doc: 'Instances per backend write batch, at most.',
  }),
];

/** Keys of recovery's rows that the analysis reads as well, with the topology field each sets. */
const RECOVERY_KEYS_READ = [
  ['RecoverMasterClusterFilters', 'recoverMasterClusterFilters'],
  ['RecoverIntermediateMasterClusterFilters', 'recoverIntermediateMasterClusterFilters'],
] as const;

/**
 * @orc/topology's config input from the checked values: each row's value under its field (absent
 * values are left to `validateTopologyConfig`'s defaults, which are orchestrator's). A non-empty
 * `MySQLTopologyCredentialsConfigFile` replaces user and password with its `[client]` section's,
 * as orchestrator does.
 *
 * @throws TopologyError `INVALID_CONFIG` when the credentials file cannot be read, does not parse
 *   or names no user; its `details` name `MySQLTopologyCredentialsConfigFile`.
 * @example
 * ```ts
 * const input = buildTopologyConfig(values, { readFile: (p) => readFileSync(p, 'utf8') });
 * const config = validateTopologyConfig(input);
 * ```
 */
export function buildTopologyConfig(values: KeyValues, io: ConfigIo): TopologyConfigInput {
  const input: Record<string, unknown> = {};
  for (const r of topologyKeys) {
    if (r.key === 'MySQLTopologyCredentialsConfigFile') continue;
    const value = values[r.key];
    if (value !== undefined) input[r.field] = value;
  }
  for (const [key, field] of RECOVERY_KEYS_READ) {
    if (values[key] !== undefined) input[field] = values[key];
  }
  const file = values['MySQLTopologyCredentialsConfigFile'];
  if (typeof file === 'string' && file !== '') {
    const credentials = readClientCredentials(file, io);
    if ('problem' in credentials) {
      const path = 'MySQLTopologyCredentialsConfigFile';
      throw new TopologyError('INVALID_CONFIG', `${path}: ${credentials.problem}`, {
        details: [{ path, message: credentials.problem }],
      });
    }
    input['mysqlTopologyUser'] = credentials.user;
    input['mysqlTopologyPassword'] = credentials.password;
  }
  return input as TopologyConfigInput;
}

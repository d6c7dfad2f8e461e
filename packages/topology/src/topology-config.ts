import type { TopologyErrorDetail } from './errors.js';
import { TopologyError } from './errors.js';
import type { InstanceKey } from './instance/instance-key.js';
import { parseInstanceKey } from './instance/instance-key.js';

/**
 * The configuration of @orc/topology: typed camelCase fields (ADR 0002). Each field is the
 * camelCase of an orchestrator key (`InstancePollSeconds` -> `instancePollSeconds`,
 * `MySQLTopologyUser` -> `mysqlTopologyUser`); apps/server maps orchestrator's JSON keys to
 * these in one table (apps/server/src/config/keys/topology.ts). Fields orc adds are marked so.
 */
export interface TopologyConfigInput {
  /** Seconds between two probes of one server. Default 5. */
  readonly instancePollSeconds?: number;
  /** Probes running at once. Default 300. */
  readonly discoveryMaxConcurrency?: number;
  /** Keys waiting to be probed, at most. Default 100000. */
  readonly discoveryQueueCapacity?: number;
  /** `host:port` keys discovery starts from. */
  readonly discoverySeeds?: readonly string[];
  /** Regular expressions: servers whose host matches are never probed. */
  readonly discoveryIgnoreHostnameFilters?: readonly string[];
  /** Regular expressions: replicas whose host matches are not followed. */
  readonly discoveryIgnoreReplicaHostnameFilters?: readonly string[];
  /** Regular expressions: primaries whose host matches are not followed. */
  readonly discoveryIgnoreMasterHostnameFilters?: readonly string[];
  /** The user orc probes servers as. */
  readonly mysqlTopologyUser?: string;
  readonly mysqlTopologyPassword?: string;
  /** TCP connect plus handshake. Default 2. */
  readonly mysqlConnectTimeoutSeconds?: number;
  /** Each probe query. Default 10. */
  readonly mysqlDiscoveryReadTimeoutSeconds?: number;
  /** A server not seen for this long is forgotten. Default 240. */
  readonly unseenInstanceForgetHours?: number;
  /** Port assumed for a key given without one. Default 3306. */
  readonly defaultInstancePort?: number;
  /** Regular expression on the cluster name -> alias. */
  readonly clusterNameToAlias?: Readonly<Record<string, string>>;
  readonly detectClusterAliasQuery?: string;
  readonly detectClusterDomainQuery?: string;
  readonly detectDataCenterQuery?: string;
  readonly detectRegionQuery?: string;
  readonly detectPhysicalEnvironmentQuery?: string;
  readonly detectPromotionRuleQuery?: string;
  readonly detectInstanceAliasQuery?: string;
  /** Regular expression on the hostname; its first group is the data center. */
  readonly dataCenterPattern?: string;
  readonly regionPattern?: string;
  readonly physicalEnvironmentPattern?: string;
  /** `ReplicationLagQuery`: one value, seconds; replaces Seconds_Behind_Master when set. */
  readonly replicationLagQuery?: string;
  /** Default 1. */
  readonly reasonableInstanceCheckSeconds?: number;
  /** Default 10. */
  readonly reasonableReplicationLagSeconds?: number;
  /** Default 0 (= reasonableReplicationLagSeconds). */
  readonly reasonableLockedSemiSyncMasterSeconds?: number;
  readonly recoveryIgnoreHostnameFilters?: readonly string[];
  readonly recoverMasterClusterFilters?: readonly string[];
  readonly recoverIntermediateMasterClusterFilters?: readonly string[];
  readonly recoverNonWriteableMaster?: boolean;
  readonly enforceExactSemiSyncReplicas?: boolean;
  /** orc: while a primary is suspected (its probe failed, or a replica lost it), it and its replicas are re-probed this often. Default 100. */
  readonly emergentPollMilliseconds?: number;
  /** orc: how long a suspicion lasts without new evidence. Default 2 × instancePollSeconds. */
  readonly emergentWindowSeconds?: number;
  /**
   * orc: servers with replicas (primaries and intermediate primaries) are re-probed this often
   * when it is shorter than instancePollSeconds, so a silent host is noticed within it (ADR 0504).
   * 0: every server at instancePollSeconds. Default 1000.
   */
  readonly primaryPollMilliseconds?: number;
  /** orc: instance writes are gathered this long into one batch. Default 100. */
  readonly writeBatchMilliseconds?: number;
  /** orc: at most this many instances per write batch. Default 1000. */
  readonly writeBatchMaxSize?: number;
}

/** A validated, complete, frozen configuration. */
export type TopologyConfig = Readonly<Required<Omit<TopologyConfigInput, 'discoverySeeds'>>> & {
  readonly discoverySeeds: readonly InstanceKey[];
};

type Kind =
  'number' | 'positive' | 'positiveInteger' | 'string' | 'boolean' | 'regex' | 'regexList' | 'filterList' | 'aliasMap';
type Field = Exclude<keyof TopologyConfigInput, 'discoverySeeds'>;

/** Each field's kind and orchestrator's default (orc's own fields: orc's default). */
const FIELDS: { readonly [F in Field]: readonly [Kind, Required<TopologyConfigInput>[F]] } = {
  instancePollSeconds: ['positive', 5],
  discoveryMaxConcurrency: ['positiveInteger', 300],
  discoveryQueueCapacity: ['positiveInteger', 100_000],
  discoveryIgnoreHostnameFilters: ['regexList', []],
  discoveryIgnoreReplicaHostnameFilters: ['regexList', []],
  discoveryIgnoreMasterHostnameFilters: ['regexList', []],
  mysqlTopologyUser: ['string', ''],
  mysqlTopologyPassword: ['string', ''],
  mysqlConnectTimeoutSeconds: ['positive', 2],
  mysqlDiscoveryReadTimeoutSeconds: ['positive', 10],
  unseenInstanceForgetHours: ['positive', 240],
  defaultInstancePort: ['positiveInteger', 3306],
  clusterNameToAlias: ['aliasMap', {}],
  detectClusterAliasQuery: ['string', ''],
  detectClusterDomainQuery: ['string', ''],
  detectDataCenterQuery: ['string', ''],
  detectRegionQuery: ['string', ''],
  detectPhysicalEnvironmentQuery: ['string', ''],
  detectPromotionRuleQuery: ['string', ''],
  detectInstanceAliasQuery: ['string', ''],
  dataCenterPattern: ['regex', ''],
  regionPattern: ['regex', ''],
  physicalEnvironmentPattern: ['regex', ''],
  replicationLagQuery: ['string', ''],
  reasonableInstanceCheckSeconds: ['number', 1],
  reasonableReplicationLagSeconds: ['number', 10],
  reasonableLockedSemiSyncMasterSeconds: ['number', 0],
  recoveryIgnoreHostnameFilters: ['regexList', []],
  recoverMasterClusterFilters: ['filterList', []],
  recoverIntermediateMasterClusterFilters: ['filterList', []],
  recoverNonWriteableMaster: ['boolean', false],
  enforceExactSemiSyncReplicas: ['boolean', false],
  emergentPollMilliseconds: ['positive', 100],
  emergentWindowSeconds: ['number', 0],
  primaryPollMilliseconds: ['number', 1000],
  writeBatchMilliseconds: ['number', 100],
  writeBatchMaxSize: ['positiveInteger', 1000],
};

function badRegex(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Checks one value against its kind; pushes each problem and returns the value to keep. */
function checkValue(path: string, kind: Kind, value: unknown, problems: TopologyErrorDetail[]): unknown {
  const fail = (message: string): undefined => {
    problems.push({ path, message });
    return undefined;
  };
  switch (kind) {
    case 'number':
    case 'positive':
    case 'positiveInteger': {
      const isInt = kind === 'positiveInteger';
      if (typeof value !== 'number' || !Number.isFinite(value) || (isInt && !Number.isInteger(value))) {
        return fail(`must be ${isInt ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`);
      }
      if (value < 0) return fail(`must not be negative, got ${value}`);
      if (value === 0 && (kind === 'positive' || kind === 'positiveInteger')) return fail('must be greater than 0');
      return value;
    }
    case 'string':
    case 'boolean':
      return typeof value === kind ? value : fail(`must be a ${kind}, got ${JSON.stringify(value)}`);
    case 'regex': {
      if (typeof value !== 'string') return fail(`must be a regular expression string, got ${JSON.stringify(value)}`);
      const err = badRegex(value);
      return err === null ? value : fail(`invalid regular expression: ${err}`);
    }
    case 'regexList':
    case 'filterList': {
      if (!Array.isArray(value)) return fail('must be a list of strings');
      value.forEach((v: unknown, i) => {
        if (typeof v !== 'string') {
          problems.push({ path: `${path}.${i}`, message: 'must be a string' });
          return;
        }
        // Cluster filters also take `alias=name`, `alias~=regex` and `*` (orchestrator's forms).
        if (kind === 'filterList' && (v.startsWith('alias=') || v === '*')) return;
        const err = badRegex(kind === 'filterList' && v.startsWith('alias~=') ? v.slice('alias~='.length) : v);
        if (err !== null) problems.push({ path: `${path}.${i}`, message: `invalid regular expression: ${err}` });
      });
      return Object.freeze([...(value as string[])]);
    }
    case 'aliasMap': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return fail('must be an object of pattern -> alias');
      }
      for (const [pattern, alias] of Object.entries(value)) {
        if (typeof alias !== 'string') problems.push({ path: `${path}.${pattern}`, message: 'alias must be a string' });
        const err = badRegex(pattern);
        if (err !== null) problems.push({ path: `${path}.${pattern}`, message: `invalid regular expression: ${err}` });
      }
      return Object.freeze({ ...(value as Record<string, string>) });
    }
  }
}

/**
 * Checks a topology configuration, fills the defaults, and reports every problem at once:
 * throws `INVALID_CONFIG` whose `details` name each offending field by its dotted path
 * (`discoverySeeds.1`, `clusterNameToAlias.[`, ...). An unknown field is a problem too.
 *
 * @example
 * ```ts
 * const config = validateTopologyConfig({ discoverySeeds: ['db1:3306'], mysqlTopologyUser: 'orc', mysqlTopologyPassword: 's3cret' });
 * config.instancePollSeconds; // 5
 * ```
 */
export function validateTopologyConfig(input: unknown): TopologyConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TopologyError('INVALID_CONFIG', 'topology config must be an object', {
      details: [{ path: '', message: 'must be an object' }],
    });
  }
  const problems: TopologyErrorDetail[] = [];
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (!(key in FIELDS) && key !== 'discoverySeeds') problems.push({ path: key, message: 'unknown field' });
  }
  for (const [field, [kind, fallback]] of Object.entries(FIELDS) as [Field, readonly [Kind, unknown]][]) {
    const value = raw[field];
    out[field] = value === undefined ? fallback : checkValue(field, kind, value, problems);
  }
  const seeds: InstanceKey[] = [];
  const rawSeeds = raw['discoverySeeds'];
  if (rawSeeds !== undefined && !Array.isArray(rawSeeds)) {
    problems.push({ path: 'discoverySeeds', message: 'must be a list of host:port strings' });
  } else {
    const port = typeof out['defaultInstancePort'] === 'number' ? out['defaultInstancePort'] : 3306;
    ((rawSeeds as unknown[] | undefined) ?? []).forEach((s, i) => {
      if (typeof s !== 'string') {
        problems.push({ path: `discoverySeeds.${i}`, message: 'must be a host:port string' });
        return;
      }
      try {
        seeds.push(parseInstanceKey(s, port));
      } catch (e) {
        problems.push({ path: `discoverySeeds.${i}`, message: e instanceof Error ? e.message : String(e) });
      }
    });
  }
  out['discoverySeeds'] = Object.freeze(seeds);
  if (out['emergentWindowSeconds'] === 0 && typeof out['instancePollSeconds'] === 'number') {
    out['emergentWindowSeconds'] = 2 * out['instancePollSeconds'];
  }
  if (problems.length > 0) {
    throw new TopologyError(
      'INVALID_CONFIG',
      `invalid topology config: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`,
      { details: problems },
    );
  }
  return Object.freeze(out) as TopologyConfig;
}

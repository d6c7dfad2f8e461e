import type { TopologyErrorDetail } from './errors.js';
import { TopologyError } from './errors.js';
import type { InstanceKey } from './instance/instance-key.js';
import { parseInstanceKey } from './instance/instance-key.js';

/**
 * The configuration of @orc/topology, under orchestrator's key names (apps/server passes the
 * matching keys of an orchestrator JSON config through). Keys orc adds are marked so.
 */
export interface TopologyConfigInput {
  /** Seconds between two probes of one server. Default 5. */
  InstancePollSeconds?: number;
  /** Probes running at once. Default 300. */
  DiscoveryMaxConcurrency?: number;
  /** Keys waiting to be probed, at most. Default 100000. */
  DiscoveryQueueCapacity?: number;
  /** `host:port` keys discovery starts from. */
  DiscoverySeeds?: string[];
  /** Regular expressions: servers whose host matches are never probed. */
  DiscoveryIgnoreHostnameFilters?: string[];
  /** Regular expressions: replicas whose host matches are not followed. */
  DiscoveryIgnoreReplicaHostnameFilters?: string[];
  /** Regular expressions: primaries whose host matches are not followed. */
  DiscoveryIgnoreMasterHostnameFilters?: string[];
  MySQLTopologyUser?: string;
  MySQLTopologyPassword?: string;
  /** TCP connect plus handshake. Default 2. */
  MySQLConnectTimeoutSeconds?: number;
  /** Each probe query. Default 10. */
  MySQLDiscoveryReadTimeoutSeconds?: number;
  /** A server not seen for this long is forgotten. Default 240. */
  UnseenInstanceForgetHours?: number;
  /** Port assumed for a key given without one. Default 3306. */
  DefaultInstancePort?: number;
  /** Regular expression on the cluster name -> alias. */
  ClusterNameToAlias?: Record<string, string>;
  DetectClusterAliasQuery?: string;
  DetectClusterDomainQuery?: string;
  DetectDataCenterQuery?: string;
  DetectRegionQuery?: string;
  DetectPhysicalEnvironmentQuery?: string;
  DetectPromotionRuleQuery?: string;
  DetectInstanceAliasQuery?: string;
  /** Regular expression on the hostname; its first group is the data center. */
  DataCenterPattern?: string;
  RegionPattern?: string;
  PhysicalEnvironmentPattern?: string;
  ReplicationLagQuery?: string;
  /** Default 1. */
  ReasonableInstanceCheckSeconds?: number;
  /** Default 10. */
  ReasonableReplicationLagSeconds?: number;
  /** Default 0 (= ReasonableReplicationLagSeconds). */
  ReasonableLockedSemiSyncMasterSeconds?: number;
  RecoveryIgnoreHostnameFilters?: string[];
  RecoverMasterClusterFilters?: string[];
  RecoverIntermediateMasterClusterFilters?: string[];
  RecoverNonWriteableMaster?: boolean;
  EnforceExactSemiSyncReplicas?: boolean;
  /** orc: while a primary is suspected (its probe failed, or a replica lost it), it and its replicas are re-probed this often. Default 100. */
  EmergentPollMilliseconds?: number;
  /** orc: how long a suspicion lasts without new evidence. Default 2 × InstancePollSeconds. */
  EmergentWindowSeconds?: number;
  /** orc: instance writes are gathered this long into one batch. Default 100. */
  WriteBatchMilliseconds?: number;
  /** orc: at most this many instances per write batch. Default 1000. */
  WriteBatchMaxSize?: number;
}

/** A validated, complete, frozen configuration. */
export type TopologyConfig = Readonly<Required<Omit<TopologyConfigInput, 'DiscoverySeeds'>>> & {
  readonly DiscoverySeeds: readonly InstanceKey[];
};

const DEFAULTS = {
  InstancePollSeconds: 5,
  DiscoveryMaxConcurrency: 300,
  DiscoveryQueueCapacity: 100_000,
  DiscoveryIgnoreHostnameFilters: [],
  DiscoveryIgnoreReplicaHostnameFilters: [],
  DiscoveryIgnoreMasterHostnameFilters: [],
  MySQLTopologyUser: '',
  MySQLTopologyPassword: '',
  MySQLConnectTimeoutSeconds: 2,
  MySQLDiscoveryReadTimeoutSeconds: 10,
  UnseenInstanceForgetHours: 240,
  DefaultInstancePort: 3306,
  ClusterNameToAlias: {},
  DetectClusterAliasQuery: '',
  DetectClusterDomainQuery: '',
  DetectDataCenterQuery: '',
  DetectRegionQuery: '',
  DetectPhysicalEnvironmentQuery: '',
  DetectPromotionRuleQuery: '',
  DetectInstanceAliasQuery: '',
  DataCenterPattern: '',
  RegionPattern: '',
  PhysicalEnvironmentPattern: '',
  ReplicationLagQuery: '',
  ReasonableInstanceCheckSeconds: 1,
  ReasonableReplicationLagSeconds: 10,
  ReasonableLockedSemiSyncMasterSeconds: 0,
  RecoveryIgnoreHostnameFilters: [],
  RecoverMasterClusterFilters: [],
  RecoverIntermediateMasterClusterFilters: [],
  RecoverNonWriteableMaster: false,
  EnforceExactSemiSyncReplicas: false,
  EmergentPollMilliseconds: 100,
  EmergentWindowSeconds: 0,
  WriteBatchMilliseconds: 100,
  WriteBatchMaxSize: 1000,
} satisfies Omit<Required<TopologyConfigInput>, 'DiscoverySeeds'>;

type Kind = 'number' | 'integer' | 'string' | 'boolean' | 'regexList' | 'regex' | 'aliasMap';
const KINDS: Record<keyof typeof DEFAULTS, Kind> = {
  InstancePollSeconds: 'number',
  DiscoveryMaxConcurrency: 'integer',
  DiscoveryQueueCapacity: 'integer',
  DiscoveryIgnoreHostnameFilters: 'regexList',
  DiscoveryIgnoreReplicaHostnameFilters: 'regexList',
  DiscoveryIgnoreMasterHostnameFilters: 'regexList',
  MySQLTopologyUser: 'string',
  MySQLTopologyPassword: 'string',
  MySQLConnectTimeoutSeconds: 'number',
  MySQLDiscoveryReadTimeoutSeconds: 'number',
  UnseenInstanceForgetHours: 'number',
  DefaultInstancePort: 'integer',
  ClusterNameToAlias: 'aliasMap',
  DetectClusterAliasQuery: 'string',
  DetectClusterDomainQuery: 'string',
  DetectDataCenterQuery: 'string',
  DetectRegionQuery: 'string',
  DetectPhysicalEnvironmentQuery: 'string',
  DetectPromotionRuleQuery: 'string',
  DetectInstanceAliasQuery: 'string',
  DataCenterPattern: 'regex',
  RegionPattern: 'regex',
  PhysicalEnvironmentPattern: 'regex',
  ReplicationLagQuery: 'string',
  ReasonableInstanceCheckSeconds: 'number',
  ReasonableReplicationLagSeconds: 'number',
  ReasonableLockedSemiSyncMasterSeconds: 'number',
  RecoveryIgnoreHostnameFilters: 'regexList',
  RecoverMasterClusterFilters: 'regexList',
  RecoverIntermediateMasterClusterFilters: 'regexList',
  RecoverNonWriteableMaster: 'boolean',
  EnforceExactSemiSyncReplicas: 'boolean',
  EmergentPollMilliseconds: 'number',
  EmergentWindowSeconds: 'number',
  WriteBatchMilliseconds: 'number',
  WriteBatchMaxSize: 'integer',
};
/** Keys whose value must be > 0 (the rest may be 0). */
const POSITIVE = new Set<string>([
  'InstancePollSeconds',
  'DiscoveryMaxConcurrency',
  'DiscoveryQueueCapacity',
  'MySQLConnectTimeoutSeconds',
  'MySQLDiscoveryReadTimeoutSeconds',
  'DefaultInstancePort',
  'UnseenInstanceForgetHours',
  'EmergentPollMilliseconds',
  'WriteBatchMaxSize',
]);

function badRegex(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Checks a topology configuration, fills orchestrator's defaults, and reports every problem at
 * once: throws `INVALID_CONFIG` whose `details` name each offending key (`DiscoverySeeds[1]`, ...).
 *
 * @example
 * const config = validateTopologyConfig({ DiscoverySeeds: ['db1:3306'], MySQLTopologyUser: 'orc', MySQLTopologyPassword: 's3cret' });
 * config.InstancePollSeconds; // 5
 */
export function validateTopologyConfig(input: unknown): TopologyConfig {
  const problems: TopologyErrorDetail[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TopologyError('INVALID_CONFIG', 'topology config must be an object', {
      details: [{ path: '', message: 'must be an object' }],
    });
  }
  const raw = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const known = new Set<string>([...Object.keys(DEFAULTS), 'DiscoverySeeds']);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) problems.push({ path: key, message: 'unknown key' });
  }
  for (const [key, kind] of Object.entries(KINDS) as [keyof typeof DEFAULTS, Kind][]) {
    const value = raw[key];
    if (value === undefined) {
      out[key] = DEFAULTS[key];
      continue;
    }
    switch (kind) {
      case 'number':
      case 'integer': {
        const ok =
          typeof value === 'number' && Number.isFinite(value) && (kind === 'number' || Number.isInteger(value));
        if (!ok) problems.push({ path: key, message: `must be ${kind === 'integer' ? 'an integer' : 'a number'}` });
        else if (value < 0 || (POSITIVE.has(key) && value === 0)) {
          problems.push({ path: key, message: POSITIVE.has(key) ? 'must be greater than 0' : 'must not be negative' });
        } else out[key] = value;
        break;
      }
      case 'string':
      case 'boolean':
        if (typeof value !== kind) problems.push({ path: key, message: `must be a ${kind}` });
        else out[key] = value;
        break;
      case 'regex':
        if (typeof value !== 'string') problems.push({ path: key, message: 'must be a string' });
        else {
          const err = badRegex(value);
          if (err !== null) problems.push({ path: key, message: `invalid regular expression: ${err}` });
          else out[key] = value;
        }
        break;
      case 'regexList':
        if (!Array.isArray(value)) problems.push({ path: key, message: 'must be an array of strings' });
        else {
          value.forEach((v, i) => {
            if (typeof v !== 'string') problems.push({ path: `${key}[${i}]`, message: 'must be a string' });
            else if (!(key.startsWith('Recover') && (v.startsWith('alias=') || v === '*'))) {
              const pattern = v.startsWith('alias~=') ? v.slice('alias~='.length) : v;
              const err = badRegex(pattern);
              if (err !== null) problems.push({ path: `${key}[${i}]`, message: `invalid regular expression: ${err}` });
            }
          });
          out[key] = Object.freeze([...(value as string[])]);
        }
        break;
      case 'aliasMap':
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          problems.push({ path: key, message: 'must be an object of pattern -> alias' });
        } else {
          for (const [pattern, alias] of Object.entries(value)) {
            if (typeof alias !== 'string')
              problems.push({ path: `${key}.${pattern}`, message: 'alias must be a string' });
            const err = badRegex(pattern);
            if (err !== null)
              problems.push({ path: `${key}.${pattern}`, message: `invalid regular expression: ${err}` });
          }
          out[key] = Object.freeze({ ...(value as Record<string, string>) });
        }
        break;
    }
  }
  const seeds: InstanceKey[] = [];
  const rawSeeds = raw['DiscoverySeeds'];
  if (rawSeeds !== undefined && !Array.isArray(rawSeeds)) {
    problems.push({ path: 'DiscoverySeeds', message: 'must be an array of host:port strings' });
  } else {
    const port = typeof out['DefaultInstancePort'] === 'number' ? out['DefaultInstancePort'] : 3306;
    ((rawSeeds as unknown[] | undefined) ?? []).forEach((s, i) => {
      if (typeof s !== 'string') problems.push({ path: `DiscoverySeeds[${i}]`, message: 'must be a host:port string' });
      else {
        try {
          seeds.push(parseInstanceKey(s, port));
        } catch (e) {
          problems.push({ path: `DiscoverySeeds[${i}]`, message: e instanceof Error ? e.message : String(e) });
        }
      }
    });
  }
  out['DiscoverySeeds'] = Object.freeze(seeds);
  if (out['EmergentWindowSeconds'] === 0 && typeof out['InstancePollSeconds'] === 'number') {
    out['EmergentWindowSeconds'] = 2 * out['InstancePollSeconds'];
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

import type { TopologyErrorDetail } from '../errors.js';
import { TopologyError } from '../errors.js';

/** The hook lists, under orchestrator's names (camelCase). */
export interface RecoveryHooksConfig {
  readonly onFailureDetectionProcesses: readonly string[];
  readonly preGracefulTakeoverProcesses: readonly string[];
  readonly preFailoverProcesses: readonly string[];
  readonly postMasterFailoverProcesses: readonly string[];
  readonly postIntermediateMasterFailoverProcesses: readonly string[];
  readonly postFailoverProcesses: readonly string[];
  readonly postUnsuccessfulFailoverProcesses: readonly string[];
  readonly postGracefulTakeoverProcesses: readonly string[];
  readonly postTakeMasterProcesses: readonly string[];
}

/** Which hook list a hook belongs to. */
export type HookKind = keyof RecoveryHooksConfig;

/**
 * Everything automated recovery reads. Field names are orchestrator's keys in camelCase
 * (apps/server's config/keys/recovery.ts maps the PascalCase keys); fields marked orc are new.
 */
export interface RecoveryConfig extends RecoveryHooksConfig {
  /** A second recovery of a cluster inside this window is refused until acknowledged. 3600. */
  readonly recoveryPeriodBlockSeconds: number;
  /** One failure detection per instance within this window (the OnFailureDetection hooks run once). 60. */
  readonly failureDetectionPeriodBlockMinutes: number;
  /** Clusters whose dead primary is recovered automatically (name, `alias=`, `alias~=`, `*`, regex). []. */
  readonly recoverMasterClusterFilters: readonly string[];
  /** Same for dead intermediate primaries. []. */
  readonly recoverIntermediateMasterClusterFilters: readonly string[];
  readonly preventCrossDataCenterMasterFailover: boolean;
  readonly preventCrossRegionMasterFailover: boolean;
  /** Wait for the candidate's SQL thread as long as it keeps applying (instead of orc's bound). */
  readonly delayMasterPromotionIfSQLThreadNotUpToDate: boolean;
  /** Fail at once when the candidate has not applied everything it received. */
  readonly failMasterPromotionIfSQLThreadNotUpToDate: boolean;
  /** Refuse a candidate lagging more than this many minutes; 0 = no limit. */
  readonly failMasterPromotionOnLagMinutes: number;
  /** RESET SLAVE ALL and read_only=0 on the new primary. true. */
  readonly applyMySQLPromotionAfterMasterFailover: boolean;
  /** Replicas that cannot be repointed are detached (their source host prefixed with `//`). true. */
  readonly detachLostReplicasAfterMasterFailover: boolean;
  /** Regular expressions: hosts never promoted. */
  readonly promotionIgnoreHostnameFilters: readonly string[];
  /** Downtime given to the failed primary and lost replicas (orchestrator: one year). */
  readonly lostInRecoveryDowntimeSeconds: number;
  /** The shell hooks run in. "bash". */
  readonly processesShellCommand: string;
  /** orc: each hook is killed after this long. 60. */
  readonly hookTimeoutSeconds: number;
  /** orc: bound on waiting for the candidate to apply its relay log. 10. */
  readonly promotionRelayLogWaitSeconds: number;
  /** orc: bound on bringing the candidate up to date from the most advanced replica. 10. */
  readonly candidateCatchUpTimeoutSeconds: number;
  /** orc: bound on seeing each repointed replica replicate from the new primary. 10. */
  readonly replicaRepointVerifySeconds: number;
  /** orc: bound on each statement the recovery sends. 5. */
  readonly recoveryStatementTimeoutSeconds: number;
  /** orc: how long orc keeps trying to set the old primary read_only once it answers again. 3600. */
  readonly oldPrimaryFenceWindowSeconds: number;
  /** orc: delete the cluster's KV entry before promotion, a fencing signal for proxies. false. */
  readonly kvClearBeforePromotion: boolean;
  /**
   * orc: the replication user a demoted primary connects with after a graceful takeover (it never
   * replicated, so it has no credentials of its own; orchestrator reads them with its
   * ReplicationCredentialsQuery). ''. When empty the old primary is left read_only and not replicating.
   */
  readonly replicationUser: string;
  /** orc: that user's password. ''. */
  readonly replicationPassword: string;
}

/** Input of {@link validateRecoveryConfig}: every field optional, orchestrator's defaults fill the rest. */
export type RecoveryConfigInput = { -readonly [K in keyof RecoveryConfig]?: RecoveryConfig[K] };

const HOOK_KEYS: readonly HookKind[] = [
  'onFailureDetectionProcesses',
  'preGracefulTakeoverProcesses',
  'preFailoverProcesses',
  'postMasterFailoverProcesses',
  'postIntermediateMasterFailoverProcesses',
  'postFailoverProcesses',
  'postUnsuccessfulFailoverProcesses',
  'postGracefulTakeoverProcesses',
  'postTakeMasterProcesses',
];

/** orchestrator's defaults (and orc's for its own fields). */
export const DEFAULT_RECOVERY_CONFIG: RecoveryConfig = Object.freeze({
  recoveryPeriodBlockSeconds: 3600,
  failureDetectionPeriodBlockMinutes: 60,
  recoverMasterClusterFilters: [],
  recoverIntermediateMasterClusterFilters: [],
  preventCrossDataCenterMasterFailover: false,
  preventCrossRegionMasterFailover: false,
  delayMasterPromotionIfSQLThreadNotUpToDate: false,
  failMasterPromotionIfSQLThreadNotUpToDate: false,
  failMasterPromotionOnLagMinutes: 0,
  applyMySQLPromotionAfterMasterFailover: true,
  detachLostReplicasAfterMasterFailover: true,
  promotionIgnoreHostnameFilters: [],
  lostInRecoveryDowntimeSeconds: 365 * 24 * 3600,
  processesShellCommand: 'bash',
  replicationUser: '',
  replicationPassword: '',
  hookTimeoutSeconds: 60,
  promotionRelayLogWaitSeconds: 10,
  candidateCatchUpTimeoutSeconds: 10,
  replicaRepointVerifySeconds: 10,
  recoveryStatementTimeoutSeconds: 5,
  oldPrimaryFenceWindowSeconds: 3600,
  kvClearBeforePromotion: false,
  onFailureDetectionProcesses: [],
  preGracefulTakeoverProcesses: [],
  preFailoverProcesses: [],
  postMasterFailoverProcesses: [],
  postIntermediateMasterFailoverProcesses: [],
  postFailoverProcesses: [],
  postUnsuccessfulFailoverProcesses: [],
  postGracefulTakeoverProcesses: [],
  postTakeMasterProcesses: [],
});

type Kind = 'text' | 'boolean' | 'nonNegative' | 'positive' | 'string' | 'strings' | 'regexes' | 'clusterFilters';
const KINDS: Readonly<Record<keyof RecoveryConfig, Kind>> = {
  recoveryPeriodBlockSeconds: 'nonNegative',
  failureDetectionPeriodBlockMinutes: 'nonNegative',
  recoverMasterClusterFilters: 'clusterFilters',
  recoverIntermediateMasterClusterFilters: 'clusterFilters',
  preventCrossDataCenterMasterFailover: 'boolean',
  preventCrossRegionMasterFailover: 'boolean',
  delayMasterPromotionIfSQLThreadNotUpToDate: 'boolean',
  failMasterPromotionIfSQLThreadNotUpToDate: 'boolean',
  failMasterPromotionOnLagMinutes: 'nonNegative',
  applyMySQLPromotionAfterMasterFailover: 'boolean',
  detachLostReplicasAfterMasterFailover: 'boolean',
  promotionIgnoreHostnameFilters: 'regexes',
  lostInRecoveryDowntimeSeconds: 'nonNegative',
  processesShellCommand: 'string',
  replicationUser: 'text',
  replicationPassword: 'text',
  hookTimeoutSeconds: 'positive',
  promotionRelayLogWaitSeconds: 'positive',
  candidateCatchUpTimeoutSeconds: 'positive',
  replicaRepointVerifySeconds: 'positive',
  recoveryStatementTimeoutSeconds: 'positive',
  oldPrimaryFenceWindowSeconds: 'nonNegative',
  kvClearBeforePromotion: 'boolean',
  ...(Object.fromEntries(HOOK_KEYS.map((k) => [k, 'strings'])) as Record<HookKind, Kind>),
};

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (e) {
    return `invalid regular expression: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function check(kind: Kind, path: string, value: unknown, problems: TopologyErrorDetail[]): void {
  const fail = (message: string): void => void problems.push({ path, message });
  switch (kind) {
    case 'text':
      if (typeof value !== 'string') fail('must be a string');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be true or false');
      return;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') fail('must be a non-empty string');
      return;
    case 'nonNegative':
    case 'positive':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail('must be a number');
      else if (value < 0 || (kind === 'positive' && value === 0))
        fail(kind === 'positive' ? 'must be greater than 0' : 'must not be negative');
      return;
    case 'strings':
    case 'regexes':
    case 'clusterFilters':
      if (!Array.isArray(value)) return fail('must be a list of strings');
      value.forEach((item, i) => {
        if (typeof item !== 'string') return void problems.push({ path: `${path}.${i}`, message: 'must be a string' });
        if (kind === 'strings') return;
        if (kind === 'clusterFilters' && (item === '*' || item.startsWith('alias='))) return;
        const problem = regexProblem(item.startsWith('alias~=') ? item.slice('alias~='.length) : item);
        if (problem !== undefined) problems.push({ path: `${path}.${i}`, message: problem });
      });
  }
}

/**
 * Checks a recovery configuration, fills the defaults and reports every problem at once: an
 * `invalid_config` {@link TopologyError} whose `details` name each field (`preFailoverProcesses.1`),
 * including fields that contradict each other.
 *
 * @example
 * const config = validateRecoveryConfig({ recoverMasterClusterFilters: ['*'], recoveryPeriodBlockSeconds: 600 });
 * config.applyMySQLPromotionAfterMasterFailover; // true
 */
export function validateRecoveryConfig(input: unknown = {}): RecoveryConfig {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TopologyError('INVALID_CONFIG', 'recovery config must be an object', {
      details: [{ path: '', message: 'must be an object' }],
    });
  }
  const raw = input as Record<string, unknown>;
  const problems: TopologyErrorDetail[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (!(key in KINDS)) problems.push({ path: key, message: 'unknown field' });
  }
  for (const [key, kind] of Object.entries(KINDS) as [keyof RecoveryConfig, Kind][]) {
    const value = raw[key];
    if (value === undefined) {
      out[key] = DEFAULT_RECOVERY_CONFIG[key];
      continue;
    }
    const before = problems.length;
    check(kind, key, value, problems);
    if (problems.length === before) out[key] = Array.isArray(value) ? Object.freeze([...(value as unknown[])]) : value;
  }
  if (
    out['delayMasterPromotionIfSQLThreadNotUpToDate'] === true &&
    out['failMasterPromotionIfSQLThreadNotUpToDate'] === true
  ) {
    problems.push({
      path: 'failMasterPromotionIfSQLThreadNotUpToDate',
      message: 'cannot be true together with delayMasterPromotionIfSQLThreadNotUpToDate (one waits, the other fails)',
    });
  }
  if (problems.length > 0) {
    throw new TopologyError(
      'INVALID_CONFIG',
      `invalid recovery config: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`,
      { details: problems },
    );
  }
  return Object.freeze(out) as unknown as RecoveryConfig;
}

/** The hook kinds in the order orchestrator documents them. */
export const HOOK_KINDS: readonly HookKind[] = HOOK_KEYS;

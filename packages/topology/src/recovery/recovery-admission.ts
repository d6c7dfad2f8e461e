// The parts every recovery shares: before it touches a server, failure detection,
// OnFailureDetection hooks, guards and anti-flapping registration; after it, the recorded
// resolution and the post hooks; and running a hook list.
import type { Clock } from '../clock.js';
import { matchesClusterFilters } from '../analysis/cluster-filters.js';
import type { InstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import type { FailureRequest } from './dead-master-request.js';
import type { HookKind, RecoveryConfig } from './recovery-config.js';
import type { RecoveryReport, RecoveryStatus } from './recovery-engine.js';
import type { Connected } from './recovery-participants.js';
import { closeAll } from './recovery-participants.js';
import type { HookContext, HookRunner, KvPublishResult, RecoveryStore } from './recovery-ports.js';
import { StepLog } from './step-log.js';

/** What admission and hooks need of the engine. */
export interface AdmissionDeps {
  readonly config: RecoveryConfig;
  readonly store: RecoveryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly hooks: HookRunner;
}

/**
 * Detection, OnFailureDetection hooks, guards and anti-flapping registration, shared by every
 * kind of recovery. `connectEarly` may start read-only connections that overlap the registration.
 */
export async function admitRecovery(
  deps: AdmissionDeps,
  req: FailureRequest,
  r: { uid: string; replicaKeys: readonly InstanceKey[]; ctx: HookContext; started: number },
  filters: readonly string[],
  filterName: string,
  connectEarly: () => Promise<Connected> | undefined,
): Promise<{ report: RecoveryReport } | { log: StepLog; early: Promise<Connected> | undefined }> {
  const { config, store, clock } = deps;
  const stop = (status: RecoveryStatus, reason: string): { report: RecoveryReport } => ({
    report: emptyReport(status, reason),
  });
  const detection = await store.registerDetection(
    {
      key: req.failedKey,
      analysis: req.analysis,
      clusterName: req.clusterName,
      clusterAlias: req.clusterAlias,
      replicaKeys: r.replicaKeys,
      isActionable: true,
    },
    { blockPeriodMinutes: config.failureDetectionPeriodBlockMinutes },
  );
  if (detection.registered && !(await passHooks(deps, 'onFailureDetectionProcesses', r.ctx, null))) {
    return stop('refused', 'an OnFailureDetectionProcesses hook failed');
  }
  if (req.force !== true) {
    const cluster = { ClusterName: req.clusterName, ClusterAlias: req.clusterAlias };
    if (await store.isGlobalRecoveryDisabled()) return stop('skipped', 'recoveries are disabled globally');
    if (await store.isClusterRecoveryDisabled(req.clusterName))
      return stop('skipped', `recoveries of ${req.clusterName} are disabled`);
    if (!matchesClusterFilters(filters, cluster)) {
      return stop('skipped', `cluster ${req.clusterName} (${req.clusterAlias}) does not match ${filterName}`);
    }
    if (req.isDowntimed === true) return stop('skipped', `${req.failedKey} is downtimed`);
  }
  const early = connectEarly();
  const reg = await store.registerRecovery(
    {
      uid: r.uid,
      key: req.failedKey,
      analysis: req.analysis,
      clusterName: req.clusterName,
      clusterAlias: req.clusterAlias,
      replicaKeys: r.replicaKeys,
      detectionId: detection.id,
    },
    { blockPeriodSeconds: config.recoveryPeriodBlockSeconds, ...(req.force === true ? { force: true } : {}) },
  );
  if (!reg.registered) {
    if (early !== undefined) await closeAll(await early);
    return stop(
      'refused',
      `blocked by recovery ${reg.blockedByUid ?? '(unknown)'} of the same cluster or instance, in its RecoveryPeriodBlockSeconds; acknowledge it to allow another`,
    );
  }
  const log = new StepLog(store, r.uid, clock, deps.logger, r.started);
  log.step(
    'registered',
    `${req.analysis} on ${req.failedKey}, cluster ${req.clusterName}, ${r.replicaKeys.length} replica(s), command ${req.command ?? 'automated'}`,
  );
  return { log, early };
}

export async function passHooks(
  deps: Pick<AdmissionDeps, 'config' | 'hooks'>,
  kind: HookKind,
  ctx: HookContext,
  log: StepLog | null,
): Promise<boolean> {
  const commands = deps.config[kind];
  if (commands.length === 0) return true;
  const results = await deps.hooks.run(kind, commands, ctx);
  for (const r of results) {
    log?.step(
      'hook',
      `${kind}: ${r.command} -> ${r.isAsync ? 'async' : r.isTimedOut ? 'timed out' : `exit ${r.exitCode}`} ${r.output.trim()}`,
    );
  }
  return results.every((r) => r.isAsync || r.exitCode === 0);
}

/** A report for a recovery that did not start. */
export function emptyReport(status: RecoveryStatus, reason: string): RecoveryReport {
  return {
    uid: null,
    status,
    reason,
    successor: null,
    choice: null,
    repointed: [],
    lostReplicas: [],
    kv: null,
    steps: [],
    timings: { writableMs: null, repointedMs: null, kvMs: null },
    settled: Promise.resolve(),
    fenced: Promise.resolve(false),
  };
}

/** What a recovery that ran records and reports. */
export interface RecoveryOutcome {
  readonly uid: string;
  readonly status: 'successful' | 'partial' | 'failed';
  readonly reason: string;
  readonly successor: InstanceKey | null;
  readonly successorAlias: string;
  readonly choice: RecoveryReport['choice'];
  readonly repointed: readonly InstanceKey[];
  readonly lostReplicas: readonly InstanceKey[];
  readonly participatingInstances: readonly InstanceKey[];
  readonly errors: readonly string[];
  readonly kv: KvPublishResult | null;
  readonly timings: RecoveryReport['timings'];
  readonly fenced: Promise<boolean>;
}

/**
 * Ends a recovery that ran, the same way for every kind: the `resolved` step and the store's
 * resolution are written before it returns; the `posts` hooks (in order, with the outcome in their
 * context) and the step log's last writes run off the critical path, as the report's `settled`.
 *
 * @example
 * ```ts
 * return concludeRecovery(deps, log, ctx, outcome, ['postMasterFailoverProcesses', 'postFailoverProcesses']);
 * ```
 */
export async function concludeRecovery(
  deps: Pick<AdmissionDeps, 'config' | 'hooks' | 'store'>,
  log: StepLog,
  ctx: HookContext,
  o: RecoveryOutcome,
  posts: readonly HookKind[],
): Promise<RecoveryReport> {
  log.step('resolved', `${o.status}: ${o.reason}`);
  await deps.store.resolve(o.uid, {
    status: o.status,
    successor: o.successor,
    successorAlias: o.successorAlias,
    lostReplicas: o.lostReplicas,
    participatingInstances: o.participatingInstances,
    errors: o.errors,
    kv: o.kv,
  });
  const done: HookContext = {
    ...ctx,
    isSuccessful: o.status !== 'failed',
    lostReplicas: o.lostReplicas,
    successorAlias: o.successorAlias,
  };
  const settled = (async () => {
    for (const kind of posts) await passHooks(deps, kind, done, log);
    await log.flush();
  })();
  return {
    uid: o.uid,
    status: o.status,
    reason: o.reason,
    successor: o.successor,
    choice: o.choice,
    repointed: o.repointed,
    lostReplicas: o.lostReplicas,
    kv: o.kv,
    steps: log.steps,
    timings: o.timings,
    settled,
    fenced: o.fenced,
  };
}

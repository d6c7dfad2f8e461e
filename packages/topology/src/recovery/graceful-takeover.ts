// Planned primary switch (orchestrator's graceful-master-takeover and -auto): the old primary is
// set read_only, the designated replica applies everything the old primary executed, it is
// promoted with the same verified-success rules as a failover, the other replicas and the old
// primary replicate from it. A failure before promotion makes the old primary writable again.
import type { Clock } from '../clock.js';
import { TopologyError } from '../errors.js';
import type { Instance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import type { CandidateChoice } from './candidate-choice.js';
import { chooseCandidate } from './candidate-choice.js';
import type { DeadMasterRequest } from './dead-master-request.js';
import { hookContext } from './hook-context.js';
import type { Participant } from './promotion-steps.js';
import { promote, repoint, StepFailure, verifyFollowing, verifyWritable } from './promotion-steps.js';
import { concludeRecovery, passHooks } from './recovery-admission.js';
import type { RecoveryConfig } from './recovery-config.js';
import type { RecoveryReport } from './recovery-engine.js';
import { candidateOf, closeAll, connectAll, usesGtid } from './recovery-participants.js';
import type {
  HookRunner,
  KvPublishResult,
  RecoveryKvPublisher,
  RecoveryStore,
  ServerConnector,
} from './recovery-ports.js';
import { readServerState } from './server-state.js';
import { StepLog } from './step-log.js';

/** What a graceful takeover starts from: the live primary and its replicas as discovery sees them. */
export interface GracefulTakeoverRequest {
  readonly primaryKey: InstanceKey;
  readonly clusterName: string;
  readonly clusterAlias: string;
  readonly clusterDomain?: string;
  /** The primary and its direct replicas. */
  readonly instances: readonly Instance[];
  /** The replica to promote. Required unless `auto` or the primary has exactly one replica. */
  readonly designated?: InstanceKey;
  /** `graceful-master-takeover-auto`: orc picks the replica by the failover candidate rules. */
  readonly auto?: boolean;
}

/** A graceful takeover's outcome. `demoted`: the old primary replicates from the successor. */
export interface GracefulTakeoverReport extends RecoveryReport {
  readonly isDemoted: boolean;
  /** True when the takeover failed before promotion and the old primary was made writable again. */
  readonly isOldPrimaryRestored: boolean;
}

/** What the takeover acts through (the engine's parts). */
export interface GracefulTakeoverDeps {
  readonly config: RecoveryConfig;
  readonly store: RecoveryStore;
  readonly connector: ServerConnector;
  readonly clock: Clock;
  readonly kv: RecoveryKvPublisher;
  readonly hooks: HookRunner;
  readonly logger: Logger;
  readonly nodeName: string;
  readonly newUid: () => string;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function refuse(path: string, why: string): TopologyError {
  return new TopologyError('INVALID_ARGUMENT', `graceful takeover refused: ${why}`, {
    details: [{ path, message: why }],
  });
}

/**
 * Checks the request before anything is touched; throws a TopologyError (`INVALID_ARGUMENT`)
 * naming the reason for a bad target: not a direct replica of the primary, must_not, or no
 * designated replica where one is required.
 *
 * @example
 * checkTakeoverTarget({ primaryKey: 'db1:3306', clusterName: 'c', clusterAlias: 'c', instances, designated: 'db3:3306' });
 */
export function checkTakeoverTarget(req: GracefulTakeoverRequest): void {
  const primary = req.instances.find((i) => i.key === req.primaryKey);
  if (primary === undefined) throw refuse('primaryKey', `${req.primaryKey} is not known`);
  if (primary.masterKey !== null)
    throw refuse(
      'primaryKey',
      `${req.primaryKey} replicates from ${primary.masterKey}: it is not the cluster's primary`,
    );
  const replicas = req.instances.filter((i) => i.masterKey === req.primaryKey);
  if (replicas.length === 0) throw refuse('primaryKey', `${req.primaryKey} has no replicas: nothing to promote`);
  if (req.designated !== undefined) {
    const d = req.instances.find((i) => i.key === req.designated);
    if (d === undefined || d.masterKey !== req.primaryKey) {
      throw refuse(
        'designated',
        `${req.designated} is not a direct replica of ${req.primaryKey}${d?.clusterName && d.clusterName !== req.clusterName ? ` (it is in cluster ${d.clusterName})` : ''}`,
      );
    }
    if (d.promotionRule === 'must_not') throw refuse('designated', `${req.designated} has promotion rule must_not`);
  } else if (req.auto !== true && replicas.length > 1) {
    throw refuse('designated', `${req.primaryKey} has ${replicas.length} replicas: name the one to promote`);
  }
}

/**
 * Runs a graceful takeover. Refusals of the target throw (see {@link checkTakeoverTarget});
 * everything after registration ends in the report and the audit.
 *
 * @example
 * const report = await gracefulMasterTakeover(deps, { primaryKey, clusterName, clusterAlias, instances, designated });
 * if (report.status !== 'successful') alert(report.reason);
 */
export async function gracefulMasterTakeover(
  deps: GracefulTakeoverDeps,
  req: GracefulTakeoverRequest,
): Promise<GracefulTakeoverReport> {
  checkTakeoverTarget(req);
  const { config, store, clock } = deps;
  const started = clock.now();
  const uid = deps.newUid();
  const replicaKeys = req.instances.filter((i) => i.masterKey === req.primaryKey).map((i) => i.key);
  const analysis = 'GracefulMasterTakeover';
  const command = req.auto === true ? 'graceful-master-takeover-auto' : 'graceful-master-takeover';
  const asFailure = { ...req, analysis, failedKey: req.primaryKey, command };
  let ctx = hookContext(asFailure, { uid, nodeName: deps.nodeName, replicaKeys, config });
  ctx = { ...ctx, failureDescription: 'Graceful master takeover requested', instanceType: 'master' };
  const detection = await store.registerDetection(
    {
      key: req.primaryKey,
      analysis,
      clusterName: req.clusterName,
      clusterAlias: req.clusterAlias,
      replicaKeys,
      isActionable: false,
    },
    { blockPeriodMinutes: 0 },
  );
  // An operator's request: anti-flapping does not apply, but the recovery is registered for the audit.
  await store.registerRecovery(
    {
      uid,
      key: req.primaryKey,
      analysis,
      clusterName: req.clusterName,
      clusterAlias: req.clusterAlias,
      replicaKeys,
      detectionId: detection.id,
    },
    { blockPeriodSeconds: config.recoveryPeriodBlockSeconds, force: true },
  );
  const log = new StepLog(store, uid, clock, deps.logger, started);
  log.step(
    'registered',
    `${command} of ${req.primaryKey}, cluster ${req.clusterName}, ${replicaKeys.length} replica(s)`,
  );

  const errors: string[] = [];
  const repointed: InstanceKey[] = [];
  const lost: InstanceKey[] = [];
  let successor: InstanceKey | null = null;
  let choice: CandidateChoice | null = null;
  let kv: KvPublishResult | null = null;
  let status: 'successful' | 'partial' | 'failed' = 'failed';
  let isDemoted = false;
  let isOldPrimaryRestored = false;
  let primary: Participant | undefined;
  let madeReadOnly = false;
  const timings = {
    writableMs: null as number | null,
    repointedMs: null as number | null,
    kvMs: null as number | null,
  };
  const connected = await connectAll(deps.connector, [req.primaryKey, ...replicaKeys]);
  const parts = new Map(connected.flatMap((c) => (c.participant ? [[c.key, c.participant] as const] : [])));
  try {
    if (!(await passHooks(deps, 'preGracefulTakeoverProcesses', ctx, log)))
      throw new StepFailure('a PreGracefulTakeoverProcesses hook failed: takeover aborted');
    primary = parts.get(req.primaryKey);
    if (primary === undefined) throw new StepFailure(`the primary ${req.primaryKey} does not answer`);
    for (const c of connected) if (!c.participant) log.step('gather', `${c.key} unreachable: ${c.error}`);
    const reachable = replicaKeys.flatMap((k) => (parts.has(k) ? [parts.get(k)!] : []));
    choice = chooseCandidate({
      flavor: primary.dialect.gtidFlavor,
      failedPrimary: { key: req.primaryKey, dataCenter: '', region: '' },
      replicas: req.instances
        .filter((i) => i.masterKey === req.primaryKey)
        .map((r) =>
          candidateOf(r, parts.get(r.key), true, {
            ...asFailure,
            analysis: 'DeadMaster',
          } as DeadMasterRequest),
        ),
      rules: { ...config, preventCrossDataCenterMasterFailover: false, preventCrossRegionMasterFailover: false },
      ...(req.designated === undefined ? {} : { requestedCandidate: req.designated }),
    });
    const pick = req.designated ?? choice.candidate ?? null;
    if (pick === null) throw new StepFailure(`no candidate: ${choice.failure}`);
    const designated = parts.get(pick);
    if (designated === undefined) throw new StepFailure(`the designated replica ${pick} does not answer`);
    if (!usesGtid(designated))
      throw new StepFailure(`${pick} replicates by file:pos; orc takes over only GTID topologies`);
    if (!designated.state.hasLogBin || !designated.state.hasLogReplicaUpdates)
      throw new StepFailure(`${pick} lacks log_bin or log_slave_updates: the other replicas could not follow it`);
    log.step('candidate', `${pick} designated; ${reachable.length}/${replicaKeys.length} replicas answer`);

    for (const sql of primary.dialect.setReadOnly(true)) await primary.session.query(sql);
    madeReadOnly = true;
    primary.state = (await readServerState(primary.session)).state;
    const target = primary.state.binlogPosition;
    log.step('read-only', `${req.primaryKey} set read_only; it has executed ${target}`);
    const seconds = config.candidateCatchUpTimeoutSeconds;
    const [row] = await designated.session
      .query(designated.dialect.waitForPosition(target, seconds), seconds * 1000 + 2000)
      .catch((error: unknown) => {
        throw new StepFailure(`${pick}: waiting for ${target}: ${message(error)}`, { cause: error });
      });
    if (Number(row?.['r']) !== 0) throw new StepFailure(`${pick} did not apply ${target} within ${seconds} s`);
    log.step('caught-up', `${pick} has applied everything ${req.primaryKey} executed (${target})`);

    await promote(designated, config, log);
    successor = pick;
    const { host, port } = splitInstanceKey(pick);
    ctx = {
      ...ctx,
      successorHost: host,
      successorPort: port,
      successorBinlogCoordinates: designated.state.binlogPosition,
    };
    const probe = await verifyWritable(designated, uid, log);
    timings.writableMs = log.elapsed();
    const alias = req.clusterAlias === '' ? req.clusterName : req.clusterAlias;
    const kvDone = deps.kv.publishMaster({ alias, host, port }).then(
      (r) => {
        kv = r;
        timings.kvMs = log.elapsed();
        log.step(
          'kv',
          r.stores.map((s) => `${s.store}=${s.ok ? 'ok' : `failed: ${s.error}`}`).join(' ') || 'no stores',
        );
      },
      (e: unknown) => {
        kv = { ok: false, stores: [{ store: 'all', ok: false, durationMs: 0, error: message(e) }] };
      },
    );
    const followers = [...reachable.filter((p) => p.key !== pick), primary];
    await Promise.all(
      followers.map(async (p) => {
        try {
          if (p === primary) {
            if (config.replicationUser === '')
              throw new StepFailure(`${p.key} left read_only and not replicating: replicationUser is not configured`);
            // The old primary's own transactions are in gtid_binlog_pos, not gtid_slave_pos: start from them.
            if (p.dialect.gtidFlavor === 'mariadb')
              await p.session.query('SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos');
            await p.session.query(p.dialect.sourceCredentials(config.replicationUser, config.replicationPassword));
          }
          await repoint(p, pick);
          await verifyFollowing(p, pick, probe, config, clock);
          if (p === primary) isDemoted = true;
          else repointed.push(p.key);
          log.step('repoint', `${p.key} replicates from ${pick} (both threads running, write probe applied)`);
        } catch (error) {
          lost.push(p.key);
          errors.push(message(error));
          log.step('repoint', `${p.key} LOST: ${message(error)}`);
        }
      }),
    );
    timings.repointedMs = log.elapsed();
    for (const key of replicaKeys) if (!parts.has(key)) lost.push(key);
    await kvDone;
    const kvResult = kv as KvPublishResult | null;
    status = lost.length === 0 && (kvResult?.ok ?? true) ? 'successful' : 'partial';
  } catch (error) {
    errors.push(message(error));
    log.step('failed', message(error));
    if (successor === null && madeReadOnly && primary !== undefined) {
      try {
        for (const sql of primary.dialect.setReadOnly(false)) await primary.session.query(sql);
        isOldPrimaryRestored = true;
        log.step('rollback', `${req.primaryKey} made writable again: the takeover failed before promotion`);
        errors.push(`${req.primaryKey} was made writable again`);
      } catch (e) {
        log.step('rollback', `${req.primaryKey} could NOT be made writable again: ${message(e)}`);
        errors.push(`${req.primaryKey} is still read_only: ${message(e)}`);
      }
    }
  } finally {
    await closeAll(connected);
  }
  const reason =
    status === 'successful' ? `promoted ${successor}; ${req.primaryKey} replicates from it` : errors.join('; ');
  const report = await concludeRecovery(
    deps,
    log,
    ctx,
    {
      uid,
      status,
      reason,
      successor,
      successorAlias: req.clusterAlias,
      choice,
      repointed,
      lostReplicas: lost,
      participatingInstances: [req.primaryKey, ...replicaKeys],
      errors,
      kv,
      timings,
      fenced: Promise.resolve(false),
    },
    status === 'failed' ? [] : ['postGracefulTakeoverProcesses'],
  );
  return { ...report, isDemoted, isOldPrimaryRestored };
}

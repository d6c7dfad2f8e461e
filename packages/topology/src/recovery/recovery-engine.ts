import type { Clock } from '../clock.js';
import { randomUUID } from 'node:crypto';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import type { CandidateChoice } from './candidate-choice.js';
import { chooseCandidate } from './candidate-choice.js';
import type { DeadMasterRequest } from './dead-master-request.js';
import { hookContext } from './hook-context.js';
import { noopKvPublisher } from './kv-publisher-port.js';
import type { Participant } from './promotion-steps.js';
import {
  catchUp,
  detach,
  promote,
  repoint,
  verifyFollowing,
  verifyWritable,
  waitRelayLogApplied,
} from './promotion-steps.js';
import type { HookKind, RecoveryConfig } from './recovery-config.js';
import type {
  HookRunner,
  KvPublishResult,
  RecoveryKvPublisher,
  RecoveryStep,
  RecoveryStore,
  ServerConnector,
} from './recovery-ports.js';
import { noopHookRunner } from './recovery-ports.js';
import {
  candidateOf,
  closeAll,
  connectAll,
  freezeReplicas,
  placement,
  thawReplicas,
  usesGtid,
} from './recovery-participants.js';
import { admitRecovery, concludeRecovery, passHooks } from './recovery-admission.js';
import type { StepLog } from './step-log.js';
import type { DeadIntermediateMasterRequest } from './intermediate-recovery.js';
import { relocateUnder } from './intermediate-recovery.js';
import { fenceOldPrimary } from './fence.js';
import type { GracefulTakeoverReport, GracefulTakeoverRequest } from './graceful-takeover.js';
import { gracefulMasterTakeover } from './graceful-takeover.js';

/** Everything a {@link RecoveryEngine} acts through. */
export interface RecoveryEngineParts {
  readonly config: RecoveryConfig;
  readonly store: RecoveryStore;
  readonly connector: ServerConnector;
  readonly clock: Clock;
  readonly kv?: RecoveryKvPublisher;
  readonly hooks?: HookRunner;
  readonly logger?: Logger;
  /** orchestrator's `{orchestratorHost}`. */
  readonly nodeName?: string;
  readonly newUid?: () => string;
}

/** How a recovery ended. `refused`: anti-flapping or a guard said no; `skipped`: not orc's to act on. */
export type RecoveryStatus = 'successful' | 'partial' | 'failed' | 'refused' | 'skipped';

/** What a recovery did, for the caller (the daemon, the API, the bench). */
export interface RecoveryReport {
  readonly uid: string | null;
  readonly status: RecoveryStatus;
  readonly reason: string;
  readonly successor: InstanceKey | null;
  readonly choice: CandidateChoice | null;
  readonly repointed: readonly InstanceKey[];
  readonly lostReplicas: readonly InstanceKey[];
  readonly kv: KvPublishResult | null;
  readonly steps: readonly RecoveryStep[];
  /** Ms from the recovery's start: the new primary proved writable, every replica following, KV written. */
  readonly timings: {
    readonly writableMs: number | null;
    readonly repointedMs: number | null;
    readonly kvMs: number | null;
  };
  /** Post hooks and the audit's last writes, off the critical path. */
  readonly settled: Promise<void>;
  /** True once the old primary answered and was set read_only; false when the fence window passed. */
  readonly fenced: Promise<boolean>;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Automated and manual recovery of a dead primary on GTID topologies (MariaDB `slave_pos`,
 * MySQL auto-position): guards and anti-flapping, hooks, candidate choice, catch-up from the most
 * advanced replica, promotion, verified writability, repointing with verification, KV publication
 * and fencing of the old primary. Every decision and step is written through the store port.
 *
 * @example
 * const engine = new RecoveryEngine({ config: validateRecoveryConfig({ recoverMasterClusterFilters: ['*'] }), store, connector, clock: systemClock });
 * const report = await engine.recoverDeadMaster(deadMasterRequest(entry, snapshot)!);
 * if (report.status !== 'successful') alert(report.reason);
 */
export class RecoveryEngine {
  readonly #p: Required<Omit<RecoveryEngineParts, 'kv' | 'hooks' | 'logger' | 'nodeName' | 'newUid'>> & {
    kv: RecoveryKvPublisher;
    hooks: HookRunner;
    logger: Logger;
    nodeName: string;
    newUid: () => string;
  };
  readonly #fences = new Set<{ cancelled: boolean }>();

  constructor(parts: RecoveryEngineParts) {
    this.#p = {
      ...parts,
      kv: parts.kv ?? noopKvPublisher,
      hooks: parts.hooks ?? noopHookRunner,
      logger: parts.logger ?? noopLogger,
      nodeName: parts.nodeName ?? 'orc',
      newUid: parts.newUid ?? randomUUID,
    };
  }

  /** Stops the background fences (a daemon shutting down). */
  stop(): void {
    for (const f of this.#fences) f.cancelled = true;
  }

  async recoverDeadMaster(req: DeadMasterRequest): Promise<RecoveryReport> {
    const { config, store, clock } = this.#p;
    const started = clock.now();
    const uid = this.#p.newUid();
    const replicas = req.instances.filter((i) => i.masterKey === req.failedKey);
    const replicaKeys = replicas.map((r) => r.key);
    let ctx = hookContext(req, { uid, nodeName: this.#p.nodeName, replicaKeys, config });
    const admission = await admitRecovery(
      this.#p,
      req,
      { uid, replicaKeys, ctx, started },
      config.recoverMasterClusterFilters,
      'RecoverMasterClusterFilters',
      () =>
        // Connecting and reading (nothing is changed yet) overlaps the registration's write. With
        // Pre* hooks configured no server is contacted before they pass.
        replicas.length > 0 && config.preFailoverProcesses.length === 0
          ? connectAll(this.#p.connector, replicaKeys)
          : undefined,
    );
    if ('report' in admission) return admission.report;
    const { log, early } = admission;

    const participants = new Map<InstanceKey, Participant>();
    let successor: InstanceKey | null = null;
    let choice: CandidateChoice | null = null;
    const repointed: InstanceKey[] = [];
    const lost: InstanceKey[] = [];
    const errors: string[] = [];
    let kv: KvPublishResult | null = null;
    const timings = {
      writableMs: null as number | null,
      repointedMs: null as number | null,
      kvMs: null as number | null,
    };
    let status: 'successful' | 'partial' | 'failed' = 'failed';
    let fenced: Promise<boolean> = Promise.resolve(false);

    try {
      if (replicas.length === 0) throw new Error('no replicas: nothing to promote');
      if (!(await passHooks(this.#p, 'preFailoverProcesses', ctx, log)))
        throw new Error('a PreFailoverProcesses hook failed: failover aborted');
      await freezeReplicas(await (early ?? connectAll(this.#p.connector, replicaKeys)), participants, log);
      const reachable = [...participants.values()];
      if (reachable.length === 0) throw new Error('no replica answers');
      const fileBased = reachable.filter((p) => !usesGtid(p));
      if (fileBased.length > 0) {
        throw new Error(
          `replicas ${fileBased.map((p) => p.key).join(', ')} replicate by file:pos; orc promotes only GTID topologies (MariaDB MASTER_USE_GTID, MySQL auto-position)`,
        );
      }
      const applied = new Map<InstanceKey, boolean>();
      await Promise.all(reachable.map(async (p) => applied.set(p.key, await waitRelayLogApplied(p, config, clock))));
      log.step(
        'relay-logs',
        reachable
          .map((p) => `${p.key}=${applied.get(p.key) ? 'applied' : 'NOT applied'} ${p.state.position}`)
          .join(' '),
      );

      choice = chooseCandidate({
        flavor: reachable[0]!.dialect.gtidFlavor,
        failedPrimary: placement(req),
        replicas: replicas.map((r) => candidateOf(r, participants.get(r.key), applied.get(r.key) ?? false, req)),
        rules: config,
        ...(req.requestedCandidate === undefined ? {} : { requestedCandidate: req.requestedCandidate }),
      });
      log.step(
        'candidate',
        choice.verdicts
          .map(
            (v) =>
              `${v.key}: ${v.isEligible ? 'eligible' : 'rejected'}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}`,
          )
          .join(' | '),
      );
      if (choice.candidate === null) throw new Error(`no candidate: ${choice.failure}`);
      const candidate = participants.get(choice.candidate)!;
      if (!applied.get(candidate.key)) {
        throw new Error(
          `candidate ${candidate.key} has not applied its relay log within the bound: promoting it would lose transactions`,
        );
      }
      if (config.kvClearBeforePromotion && req.clusterAlias !== '') {
        const cleared = await this.#p.kv.clearMaster(req.clusterAlias);
        log.step('kv-clear', cleared.stores.map((s) => `${s.store}=${s.ok ? 'ok' : s.error}`).join(' '));
      }
      if (choice.needsCatchUp && choice.mostAdvanced !== null)
        await catchUp(candidate, participants.get(choice.mostAdvanced)!, config, log);
      await promote(candidate, config, log);
      successor = candidate.key;
      ctx = {
        ...ctx,
        successorHost: splitInstanceKey(candidate.key).host,
        successorPort: splitInstanceKey(candidate.key).port,
        successorBinlogCoordinates: candidate.state.binlogPosition,
      };
      const probePosition = await verifyWritable(candidate, uid, log);
      timings.writableMs = log.elapsed();

      const others = reachable.filter((p) => p.key !== candidate.key);
      const kvDone = this.#publish(req, candidate.key, log).then((r) => {
        kv = r;
        timings.kvMs = log.elapsed();
      });
      await Promise.all(
        others.map(async (p) => {
          try {
            await repoint(p, candidate.key);
            await verifyFollowing(p, candidate.key, probePosition, config, clock);
            repointed.push(p.key);
            log.step(
              'repoint',
              `${p.key} replicates from ${candidate.key} (both threads running, write probe applied)`,
            );
          } catch (error) {
            lost.push(p.key);
            errors.push(message(error));
            log.step('repoint', `${p.key} LOST: ${message(error)}`);
            if (config.detachLostReplicasAfterMasterFailover) {
              await detach(p, candidate.key).then(
                () => log.step('detach', `${p.key} detached`),
                (e: unknown) => log.step('detach', `${p.key} could not be detached: ${message(e)}`),
              );
            }
          }
        }),
      );
      timings.repointedMs = log.elapsed();
      for (const key of replicaKeys) if (!participants.has(key)) lost.push(key);
      await kvDone;
      const kvResult = kv as KvPublishResult | null;
      status = lost.length === 0 && (kvResult?.ok ?? true) ? 'successful' : 'partial';
      if (kvResult !== null && !kvResult.ok)
        errors.push('some KV stores missed the new primary (the reconciler repairs them)');
      fenced = this.#fence(req.failedKey, log, req.analysis.startsWith('DeadCoMaster'));
      // As orchestrator: the failed primary and every lost replica are downtimed, so that their
      // failures are not acted on again while an operator looks at them.
      for (const key of [req.failedKey, ...lost]) {
        await store.beginDowntime(key, config.lostInRecoveryDowntimeSeconds, 'lost-in-recovery').then(
          () =>
            log.step('downtime', `${key} downtimed for ${config.lostInRecoveryDowntimeSeconds} s (lost-in-recovery)`),
          (e: unknown) => log.step('downtime', `${key} could not be downtimed: ${message(e)}`),
        );
      }
    } catch (error) {
      errors.push(message(error));
      log.step('failed', message(error));
      this.#p.logger.error('recovery failed', { uid, failedKey: req.failedKey, error: message(error) });
      if (successor === null) await thawReplicas(participants, log);
    } finally {
      await Promise.all([...participants.values()].map((p) => p.session.close()));
    }

    const reason = status === 'successful' ? `promoted ${successor}` : errors.join('; ');
    const posts: HookKind[] =
      status === 'failed'
        ? ['postUnsuccessfulFailoverProcesses']
        : ['postMasterFailoverProcesses', 'postFailoverProcesses'];
    return concludeRecovery(
      this.#p,
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
        participatingInstances: [req.failedKey, ...replicaKeys],
        errors,
        kv,
        timings,
        fenced,
      },
      posts,
    );
  }

  /**
   * Recovers a dead co-primary (DeadCoMaster, DeadCoMasterAndSomeReplicas) by promoting the other
   * co-primary, as {@link recoverDeadMaster} does with a required candidate; refused (failed, with
   * the reason) when that co-primary cannot be promoted. Build the request with `deadCoMasterRequest`.
   *
   * @example
   * const report = await engine.recoverDeadCoMaster(deadCoMasterRequest(entry, snapshot)!);
   */
  recoverDeadCoMaster(req: DeadMasterRequest): Promise<RecoveryReport> {
    const failed = req.instances.find((i) => i.key === req.failedKey);
    return this.recoverDeadMaster({
      ...req,
      requestedCandidate: req.requestedCandidate ?? failed?.masterKey ?? undefined,
    });
  }

  /**
   * Recovers a dead intermediate primary (DeadIntermediateMaster and its variants): its replicas
   * are relocated under its own source by GTID, each verified. Guards use
   * `RecoverIntermediateMasterClusterFilters`; hooks PreFailover, PostIntermediateMasterFailover
   * and PostFailover (or PostUnsuccessfulFailover).
   *
   * @example
   * const report = await engine.recoverDeadIntermediateMaster(deadIntermediateMasterRequest(entry, snapshot)!);
   */
  async recoverDeadIntermediateMaster(req: DeadIntermediateMasterRequest): Promise<RecoveryReport> {
    const { config, clock } = this.#p;
    const started = clock.now();
    const uid = this.#p.newUid();
    const replicaKeys = req.instances.filter((i) => i.masterKey === req.failedKey).map((i) => i.key);
    const target = req.instances.find((i) => i.key === req.failedKey)?.masterKey ?? null;
    const ctx = hookContext(req, { uid, nodeName: this.#p.nodeName, replicaKeys, config });
    const admission = await admitRecovery(
      this.#p,
      req,
      { uid, replicaKeys, ctx, started },
      config.recoverIntermediateMasterClusterFilters,
      'RecoverIntermediateMasterClusterFilters',
      () => undefined,
    );
    if ('report' in admission) return admission.report;
    const { log } = admission;
    let relocated: InstanceKey[] = [];
    let lost: InstanceKey[] = [];
    const errors: string[] = [];
    let repointedMs: number | null = null;
    try {
      if (target === null)
        throw new Error(`the source of ${req.failedKey} is unknown: nowhere to relocate its replicas`);
      if (replicaKeys.length === 0) throw new Error('no replicas: nothing to relocate');
      if (!(await passHooks(this.#p, 'preFailoverProcesses', ctx, log)))
        throw new Error('a PreFailoverProcesses hook failed: recovery aborted');
      const connected = await connectAll(this.#p.connector, replicaKeys);
      try {
        const r = await relocateUnder(target, connected, { connector: this.#p.connector, config, clock, log });
        relocated = r.relocated;
        lost = r.lost;
        errors.push(...r.errors);
        repointedMs = log.elapsed();
      } finally {
        await closeAll(connected);
      }
    } catch (error) {
      errors.push(message(error));
      log.step('failed', message(error));
    }
    const status: 'successful' | 'partial' | 'failed' =
      relocated.length === 0 ? 'failed' : lost.length === 0 ? 'successful' : 'partial';
    const reason = status === 'successful' ? `relocated ${relocated.join(', ')} under ${target}` : errors.join('; ');
    const posts: HookKind[] =
      status === 'failed'
        ? ['postUnsuccessfulFailoverProcesses']
        : ['postIntermediateMasterFailoverProcesses', 'postFailoverProcesses'];
    return concludeRecovery(
      this.#p,
      log,
      ctx,
      {
        uid,
        status,
        reason,
        successor: null,
        successorAlias: '',
        choice: null,
        repointed: relocated,
        lostReplicas: lost,
        participatingInstances: [req.failedKey, ...replicaKeys],
        errors,
        kv: null,
        timings: { writableMs: null, repointedMs, kvMs: null },
        fenced: Promise.resolve(false),
      },
      posts,
    );
  }

  /**
   * A planned primary switch (`graceful-master-takeover`, or `-auto` with `auto: true`): see
   * {@link gracefulMasterTakeover}. Throws a TopologyError (`INVALID_ARGUMENT`) for a bad target.
   *
   * @example
   * const report = await engine.gracefulMasterTakeover({ primaryKey, clusterName, clusterAlias, instances, designated: 'db2:3306' });
   */
  gracefulMasterTakeover(req: GracefulTakeoverRequest): Promise<GracefulTakeoverReport> {
    return gracefulMasterTakeover(this.#p, req);
  }

  async #publish(req: DeadMasterRequest, primary: InstanceKey, log: StepLog): Promise<KvPublishResult | null> {
    const alias = req.clusterAlias === '' ? req.clusterName : req.clusterAlias;
    const { host, port } = splitInstanceKey(primary);
    try {
      const result = await this.#p.kv.publishMaster({ alias, host, port });
      log.step(
        'kv',
        result.stores
          .map((s) => `${s.store}=${s.ok ? 'ok' : `failed: ${s.error}`} ${Math.round(s.durationMs)}ms`)
          .join(' ') || 'no stores',
      );
      return result;
    } catch (error) {
      log.step('kv', `publishing failed: ${message(error)}`);
      return { ok: false, stores: [{ store: 'all', ok: false, durationMs: 0, error: message(error) }] };
    }
  }

  #fence(key: InstanceKey, log: StepLog, detachReplication = false): Promise<boolean> {
    const handle = { cancelled: false };
    this.#fences.add(handle);
    return fenceOldPrimary(key, {
      connector: this.#p.connector,
      clock: this.#p.clock,
      config: this.#p.config,
      log,
      handle,
      detachReplication,
    }).finally(() => this.#fences.delete(handle));
  }
}

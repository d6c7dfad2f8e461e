import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  blockedRecoveryCodec,
  endExpiredPeriods,
  findBlocker,
  recoveryCodec,
  recoveryStepCodec,
  type AcknowledgeTarget,
  type BlockedRecoveryRecord,
  type RecoveryInput,
  type RecoveryRecord,
  type RecoveryRegistration,
  type RecoveryResolution,
  type RecoveryStepRecord,
} from './recovery-records.js';
import { BackendError } from '../errors.js';
import {
  affected,
  checkKey,
  checkNonNegative,
  checkString,
  inTransaction,
  run,
  type RepositoryContext,
} from './repository-context.js';

/**
 * `topology_recovery`, its steps, blocked recoveries and the global switch. Anti-flapping as in
 * orchestrator's `AttemptRecoveryRegistration`: no new recovery of an instance, of its cluster, or
 * of an instance an active recovery promoted, while that recovery is in its active period
 * (`RecoveryPeriodBlockSeconds`) and not acknowledged. Unique keys on (instance, active) and
 * (cluster, active) make the rule hold for concurrent registrations too.
 *
 * @example
 * ```ts
 * const r = await backend.recoveries.register(input, { blockPeriodSeconds: 3600 });
 * if (!r.registered) log('blocked by', r.blockedBy?.uid);
 * ```
 */
export class RecoveryRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /**
   * Registers a recovery unless anti-flapping refuses it. `force` (a manual recovery) skips the
   * check and ends the active periods in the way, acknowledging them.
   */
  async register(
    input: RecoveryInput,
    options: { blockPeriodSeconds: number; force?: boolean },
  ): Promise<RecoveryRegistration> {
    checkKey(input.key, 'input.key');
    checkString(input.analysis, 'input.analysis', 128, false);
    checkString(input.clusterName, 'input.clusterName', 300, false);
    checkNonNegative(options.blockPeriodSeconds, 'options.blockPeriodSeconds');
    const uid = input.uid ?? randomUUID();
    checkString(uid, 'input.uid', 128, false);
    const now = this.#ctx.clock.wallNow();
    const row = recoveryCodec.encode(
      {
        uid,
        hostname: input.key.hostname,
        port: input.key.port,
        inActivePeriod: true,
        startActivePeriod: now,
        endActivePeriodUnixtime: 0,
        endRecovery: null,
        processingNodeHostname: input.processingNodeHostname,
        processingNodeToken: input.processingNodeToken,
        successorHostname: null,
        successorPort: null,
        successorAlias: null,
        analysis: input.analysis,
        clusterName: input.clusterName,
        clusterAlias: input.clusterAlias,
        countAffectedSlaves: input.countAffectedReplicas,
        slaveHosts: input.replicaHosts,
        participatingInstances: '',
        lostSlaves: '',
        allErrors: '',
        isSuccessful: false,
        acknowledged: false,
        acknowledgedAt: null,
        acknowledgedBy: '',
        acknowledgeComment: '',
        lastDetectionId: input.lastDetectionId,
        activeLock: 1,
      },
      'input',
    );
    const outcome = await inTransaction(
      this.#ctx,
      'register recovery',
      async (trx, dialect) => {
        await endExpiredPeriods(trx, now, options.blockPeriodSeconds);
        if (options.force === true) {
          await trx
            .updateTable('topology_recovery')
            .set({
              in_active_period: 0,
              active_lock: null,
              end_active_period_unixtime: now,
              acknowledged: 1,
              acknowledged_at: now,
              acknowledged_by: input.processingNodeHostname,
              acknowledge_comment: `superseded by forced recovery ${uid}`,
            })
            .where('in_active_period', '=', 1)
            .where((eb) =>
              eb.or([
                eb.and([eb('hostname', '=', input.key.hostname), eb('port', '=', input.key.port)]),
                eb('cluster_name', '=', input.clusterName),
              ]),
            )
            .execute();
        } else {
          const blocker = await findBlocker(trx, input);
          if (blocker !== undefined) return { inserted: false, blocker };
        }
        return { inserted: await dialect.insertIgnore(trx, 'topology_recovery', row), blocker: undefined };
      },
      { serializeAs: 'register-recovery' },
    );
    if (outcome.inserted) {
      const recovery = await this.readByUid(uid);
      if (recovery === undefined)
        throw new BackendError('QUERY_FAILED', `register recovery: recovery ${uid} vanished after insert`);
      return { registered: true, recovery };
    }
    // Refused: by the check, or by a unique key when a concurrent registration won the race.
    const blockedBy =
      outcome.blocker ?? (await run(this.#ctx, 'find blocking recovery', (db) => findBlocker(db, input)));
    await run(this.#ctx, 'record blocked recovery', (db, dialect) =>
      dialect.upsert(
        db,
        'blocked_topology_recovery',
        [
          {
            hostname: input.key.hostname,
            port: input.key.port,
            cluster_name: input.clusterName,
            analysis: input.analysis,
            last_blocked_timestamp: now,
            blocking_recovery_id: blockedBy?.recoveryId ?? null,
          },
        ],
        ['hostname', 'port'],
        ['cluster_name', 'analysis', 'last_blocked_timestamp', 'blocking_recovery_id'],
      ),
    );
    return { registered: false, blockedBy };
  }

  /** Records how a recovery ended (`resolve-recovery`). Returns whether the recovery exists. */
  async resolve(uid: string, resolution: RecoveryResolution): Promise<boolean> {
    checkString(uid, 'uid', 128, false);
    if (resolution.successor !== undefined) checkKey(resolution.successor.key, 'resolution.successor.key');
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'resolve recovery', async (db) => {
      const res = await db
        .updateTable('topology_recovery')
        .set({
          end_recovery: now,
          is_successful: resolution.isSuccessful ? 1 : 0,
          successor_hostname: resolution.successor?.key.hostname ?? null,
          successor_port: resolution.successor?.key.port ?? null,
          successor_alias: resolution.successor?.alias ?? null,
          lost_slaves: resolution.lostReplicas,
          participating_instances: resolution.participatingInstances,
          all_errors: resolution.allErrors,
        })
        .where('uid', '=', uid)
        .executeTakeFirst();
      return affected(res) > 0;
    });
  }

  /** Appends a step message to a recovery's log. */
  async appendStep(uid: string, message: string): Promise<void> {
    checkString(uid, 'uid', 128, false);
    checkString(message, 'message', 65535);
    const now = this.#ctx.clock.wallNow();
    await run(this.#ctx, 'append recovery step', (db) =>
      db.insertInto('topology_recovery_steps').values({ recovery_uid: uid, audit_at: now, message }).execute(),
    );
  }

  /** A recovery's steps, in order. */
  async readSteps(uid: string): Promise<RecoveryStepRecord[]> {
    checkString(uid, 'uid', 128, false);
    return run(this.#ctx, 'read recovery steps', async (db) => {
      const rows = await db
        .selectFrom('topology_recovery_steps')
        .selectAll()
        .where('recovery_uid', '=', uid)
        .orderBy('recovery_step_id')
        .execute();
      return rows.map((r) => recoveryStepCodec.decode(r));
    });
  }

  /** One recovery by uid. */
  async readByUid(uid: string): Promise<RecoveryRecord | undefined> {
    checkString(uid, 'uid', 128, false);
    return run(this.#ctx, 'read recovery', async (db) => {
      const row = await db.selectFrom('topology_recovery').selectAll().where('uid', '=', uid).executeTakeFirst();
      return row === undefined ? undefined : recoveryCodec.decode(row);
    });
  }

  /** Recent recoveries, newest first, optionally of one cluster or only those in their active period. */
  async readRecent(options: { limit: number; clusterName?: string; activeOnly?: boolean }): Promise<RecoveryRecord[]> {
    checkNonNegative(options.limit, 'options.limit');
    return run(this.#ctx, 'read recoveries', async (db) => {
      let q = db.selectFrom('topology_recovery').selectAll();
      if (options.clusterName !== undefined) q = q.where('cluster_name', '=', options.clusterName);
      if (options.activeOnly === true) q = q.where('in_active_period', '=', 1);
      const rows = await q.orderBy('recovery_id', 'desc').limit(Math.floor(options.limit)).execute();
      return rows.map((r) => recoveryCodec.decode(r));
    });
  }

  /**
   * Acknowledges recoveries (`ack-cluster-recoveries`, `ack-instance-recoveries`, ...): ends their
   * active period and records who and why. Instance, cluster and all acknowledgements also end
   * the matching failure detections' active periods. Returns how many recoveries were acknowledged.
   */
  async acknowledge(target: AcknowledgeTarget, by: { owner: string; comment: string }): Promise<number> {
    checkString(by.owner, 'by.owner', 255, false);
    checkString(by.comment, 'by.comment', 65535, false);
    if ('key' in target) checkKey(target.key, 'target.key');
    const now = this.#ctx.clock.wallNow();
    return inTransaction(this.#ctx, 'acknowledge recoveries', async (trx) => {
      let q = trx
        .updateTable('topology_recovery')
        .set(acknowledgement(now, by.owner, by.comment))
        .where('acknowledged', '=', 0);
      let detections = trx
        .updateTable('topology_failure_detection')
        .set({ in_active_period: 0, active_lock: null, end_active_period_unixtime: now })
        .where('in_active_period', '=', 1);
      let clearDetections = true;
      if ('uid' in target) {
        q = q.where('uid', '=', target.uid);
        clearDetections = false;
      } else if ('key' in target) {
        q = q.where('hostname', '=', target.key.hostname).where('port', '=', target.key.port);
        detections = detections.where('hostname', '=', target.key.hostname).where('port', '=', target.key.port);
      } else if ('clusterName' in target) {
        q = q.where('cluster_name', '=', target.clusterName);
        detections = detections.where('cluster_name', '=', target.clusterName);
      }
      const n = affected(await q.executeTakeFirst());
      if (clearDetections) await detections.execute();
      return n;
    });
  }

  /**
   * Acknowledges unfinished recoveries whose processing node has not reported to `node_health`
   * within `healthySeconds` (orchestrator's `AcknowledgeCrashedRecoveries`). Returns how many.
   */
  async acknowledgeCrashed(healthySeconds: number): Promise<number> {
    checkNonNegative(healthySeconds, 'healthySeconds');
    const now = this.#ctx.clock.wallNow();
    const since = now - healthySeconds * 1000;
    return run(this.#ctx, 'acknowledge crashed recoveries', async (db) => {
      const res = await db
        .updateTable('topology_recovery')
        .set(acknowledgement(now, 'orc', 'processing node is gone'))
        .where('acknowledged', '=', 0)
        .where('end_recovery', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('node_health')
                .select('node_health.hostname')
                .whereRef('node_health.hostname', '=', 'topology_recovery.processing_node_hostname')
                .whereRef('node_health.token', '=', 'topology_recovery.processing_node_token')
                .where('node_health.last_seen_active', '>=', since),
            ),
          ),
        )
        .executeTakeFirst();
      return affected(res);
    });
  }

  /** Ends active periods older than `blockPeriodSeconds`. Returns how many. */
  async expire(blockPeriodSeconds: number): Promise<number> {
    checkNonNegative(blockPeriodSeconds, 'blockPeriodSeconds');
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'expire recoveries', (db) => endExpiredPeriods(db, now, blockPeriodSeconds));
  }

  /** Recoveries refused by anti-flapping, most recent first. */
  async readBlocked(): Promise<BlockedRecoveryRecord[]> {
    return run(this.#ctx, 'read blocked recoveries', async (db) => {
      const rows = await db
        .selectFrom('blocked_topology_recovery')
        .selectAll()
        .orderBy('last_blocked_timestamp', 'desc')
        .orderBy('hostname')
        .orderBy('port')
        .execute();
      return rows.map((r) => blockedRecoveryCodec.decode(r));
    });
  }

  /** Turns automated recovery off (true) or on (false) everywhere (`disable-global-recoveries`). */
  async setGlobalRecoveryDisabled(disabled: boolean): Promise<void> {
    if (typeof disabled !== 'boolean') throw new BackendError('INVALID_ARGUMENT', 'disabled: expected a boolean');
    await run(this.#ctx, 'set global recovery switch', async (db, dialect) => {
      if (disabled)
        await dialect.upsert(db, 'global_recovery_disable', [{ disable_recovery: 1 }], ['disable_recovery'], []);
      else await db.deleteFrom('global_recovery_disable').execute();
    });
  }

  /** Whether automated recovery is disabled everywhere. */
  async isGlobalRecoveryDisabled(): Promise<boolean> {
    return run(
      this.#ctx,
      'read global recovery switch',
      async (db) =>
        (await db.selectFrom('global_recovery_disable').select('disable_recovery').executeTakeFirst()) !== undefined,
    );
  }

  /**
   * Turns automated recovery of one cluster off (true, stamped with now and `by`) or on
   * (`disable-cluster-recoveries`). Disabling an already disabled cluster keeps its first stamp.
   */
  async setClusterRecoveryDisabled(clusterName: string, disabled: boolean, by = ''): Promise<void> {
    checkString(clusterName, 'clusterName', 300, false);
    checkString(by, 'by', 255);
    if (typeof disabled !== 'boolean') throw new BackendError('INVALID_ARGUMENT', 'disabled: expected a boolean');
    await run(this.#ctx, 'set cluster recovery switch', async (db, dialect) => {
      if (disabled) {
        const row = { cluster_name: clusterName, disabled_at: this.#ctx.clock.wallNow(), disabled_by: by };
        await dialect.insertIgnore(db, 'cluster_recovery_disable', row);
      } else await db.deleteFrom('cluster_recovery_disable').where('cluster_name', '=', clusterName).execute();
    });
  }

  /** Whether automated recovery of `clusterName` is disabled by its own switch (not the global one). */
  async isClusterRecoveryDisabled(clusterName: string): Promise<boolean> {
    checkString(clusterName, 'clusterName', 300);
    return run(
      this.#ctx,
      'read cluster recovery switch',
      async (db) =>
        (await db
          .selectFrom('cluster_recovery_disable')
          .select('cluster_name')
          .where('cluster_name', '=', clusterName)
          .executeTakeFirst()) !== undefined,
    );
  }

  /** Every cluster whose automated recovery is disabled, by name. */
  async readDisabledClusters(): Promise<ClusterRecoveryDisableRecord[]> {
    return run(this.#ctx, 'read cluster recovery switches', async (db) => {
      const rows = await db.selectFrom('cluster_recovery_disable').selectAll().orderBy('cluster_name').execute();
      return rows.map((r) => ({ clusterName: r.cluster_name, disabledAt: r.disabled_at, disabledBy: r.disabled_by }));
    });
  }
}

/** One cluster's recovery switch: disabled since `disabledAt` (epoch milliseconds) by `disabledBy`. */
export interface ClusterRecoveryDisableRecord {
  readonly clusterName: string;
  readonly disabledAt: number;
  readonly disabledBy: string;
}

/** The columns that acknowledge a recovery at `now` and end its active period if it is in one. */
function acknowledgement(now: number, owner: string, comment: string) {
  return {
    // Before in_active_period in the list: MySQL assigns left to right and would see the new value.
    end_active_period_unixtime: sql<number>`case when in_active_period = 1 then ${now} else end_active_period_unixtime end`,
    in_active_period: 0,
    active_lock: null,
    acknowledged: 1,
    acknowledged_at: now,
    acknowledged_by: owner,
    acknowledge_comment: comment,
  } as const;
}

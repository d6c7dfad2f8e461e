import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { topologyFailureDetection } from '../schema/tables.js';
import {
  affected,
  checkKey,
  checkNonNegative,
  checkString,
  inTransaction,
  run,
  type InstanceKey,
  type RepositoryContext,
} from './repository-context.js';

/** A `topology_failure_detection` row. */
export type FailureDetectionRecord = RecordOf<typeof topologyFailureDetection>;

/** @internal */
export const failureDetectionCodec = new RowCodec(topologyFailureDetection);

/** What a failure detection and the recovery that follows it both record about the failure. */
export interface FailureFacts {
  readonly key: InstanceKey;
  /** orchestrator's analysis code, e.g. `DeadMaster`. */
  readonly analysis: string;
  readonly clusterName: string;
  readonly clusterAlias: string;
  readonly countAffectedReplicas: number;
  /** The affected replicas, as orchestrator writes them (comma-separated `host:port`). */
  readonly replicaHosts: string;
  readonly processingNodeHostname: string;
  readonly processingNodeToken: string;
}

/** What a failure detection records. */
export interface FailureDetectionInput extends FailureFacts {
  readonly isActionable: boolean;
}

/** The outcome of {@link FailureDetectionRepository.register}. */
export type FailureDetectionRegistration =
  | { readonly registered: true; readonly detection: FailureDetectionRecord }
  /** An active detection of this instance (same actionability) exists within the block period. */
  | { readonly registered: false };

/**
 * `topology_failure_detection`: one active detection per instance (and actionability) within
 * `FailureDetectionPeriodBlockMinutes`, decided by a unique key so that concurrent registrations
 * cannot both win.
 *
 * @example
 * ```ts
 * const r = await backend.failureDetections.register(input, { blockPeriodMinutes: 60 });
 * if (r.registered) runOnFailureDetectionHooks();
 * ```
 */
export class FailureDetectionRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Registers a detection unless one of this instance is active (`AttemptFailureDetectionRegistration`). */
  async register(
    input: FailureDetectionInput,
    options: { blockPeriodMinutes: number },
  ): Promise<FailureDetectionRegistration> {
    checkKey(input.key, 'input.key');
    checkString(input.analysis, 'input.analysis', 128, false);
    checkNonNegative(options.blockPeriodMinutes, 'options.blockPeriodMinutes');
    const now = this.#ctx.clock.wallNow();
    const row = failureDetectionCodec.encode(
      {
        hostname: input.key.hostname,
        port: input.key.port,
        inActivePeriod: true,
        startActivePeriod: now,
        endActivePeriodUnixtime: 0,
        processingNodeHostname: input.processingNodeHostname,
        processingNodeToken: input.processingNodeToken,
        analysis: input.analysis,
        clusterName: input.clusterName,
        clusterAlias: input.clusterAlias,
        countAffectedSlaves: input.countAffectedReplicas,
        slaveHosts: input.replicaHosts,
        isActionable: input.isActionable,
        activeLock: 1,
      },
      'input',
    );
    return inTransaction(
      this.#ctx,
      'register failure detection',
      async (trx, dialect) => {
        await trx
          .updateTable('topology_failure_detection')
          .set({ in_active_period: 0, active_lock: null, end_active_period_unixtime: now })
          .where('in_active_period', '=', 1)
          .where('hostname', '=', input.key.hostname)
          .where('port', '=', input.key.port)
          .where('start_active_period', '<', now - options.blockPeriodMinutes * 60_000)
          .execute();
        if (!(await dialect.insertIgnore(trx, 'topology_failure_detection', row)))
          return { registered: false } as const;
        const got = await trx
          .selectFrom('topology_failure_detection')
          .selectAll()
          .where('hostname', '=', input.key.hostname)
          .where('port', '=', input.key.port)
          .where('in_active_period', '=', 1)
          .where('is_actionable', '=', input.isActionable ? 1 : 0)
          .executeTakeFirstOrThrow();
        return { registered: true, detection: failureDetectionCodec.decode(got) } as const;
      },
      { serializeAs: 'register-failure-detection' },
    );
  }

  /** Ends active periods older than `blockPeriodMinutes`. Returns how many. */
  async expire(blockPeriodMinutes: number): Promise<number> {
    checkNonNegative(blockPeriodMinutes, 'blockPeriodMinutes');
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'expire failure detections', async (db) =>
      affected(
        await db
          .updateTable('topology_failure_detection')
          .set({ in_active_period: 0, active_lock: null, end_active_period_unixtime: now })
          .where('in_active_period', '=', 1)
          .where('start_active_period', '<', now - blockPeriodMinutes * 60_000)
          .executeTakeFirst(),
      ),
    );
  }

  /** Ends the active detections of an instance, a cluster, or all (what an acknowledgement does). */
  async clear(target: { key: InstanceKey } | { clusterName: string } | { all: true }): Promise<number> {
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'clear failure detections', async (db) => {
      let q = db
        .updateTable('topology_failure_detection')
        .set({ in_active_period: 0, active_lock: null, end_active_period_unixtime: now })
        .where('in_active_period', '=', 1);
      if ('key' in target) {
        checkKey(target.key, 'target.key');
        q = q.where('hostname', '=', target.key.hostname).where('port', '=', target.key.port);
      } else if ('clusterName' in target) q = q.where('cluster_name', '=', target.clusterName);
      return affected(await q.executeTakeFirst());
    });
  }

  /** Recent detections, newest first. */
  async readRecent(options: { limit: number; clusterName?: string }): Promise<FailureDetectionRecord[]> {
    checkNonNegative(options.limit, 'options.limit');
    return run(this.#ctx, 'read failure detections', async (db) => {
      let q = db.selectFrom('topology_failure_detection').selectAll();
      if (options.clusterName !== undefined) q = q.where('cluster_name', '=', options.clusterName);
      const rows = await q.orderBy('detection_id', 'desc').limit(Math.floor(options.limit)).execute();
      return rows.map((r) => failureDetectionCodec.decode(r));
    });
  }
}

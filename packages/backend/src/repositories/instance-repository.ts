import { sql } from 'kysely';
import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { databaseInstance } from '../schema/tables.js';
import { BackendError } from '../errors.js';
import type { CandidateRecord } from './candidate-repository.js';
import { candidateCodec } from './candidate-repository.js';
import type { DowntimeRecord, MaintenanceRecord } from './downtime-repository.js';
import { downtimeCodec, maintenanceCodec } from './downtime-repository.js';
import {
  affected,
  checkKey,
  checkNonNegative,
  deleteInstanceRow,
  checkString,
  inTransaction,
  run,
  type InstanceKey,
  type RepositoryContext,
} from './repository-context.js';

/** Everything discovery knows about one server: a `database_instance` row in camelCase. */
export type InstanceRecord = RecordOf<typeof databaseInstance>;

/** The input of failure analysis: all instances, with the downtime, maintenance and candidate rows in force. */
export interface AnalysisInput {
  /** Every instance, ordered by hostname then port. */
  readonly instances: readonly InstanceRecord[];
  /** Downtimes that have not ended at `readAt`. */
  readonly downtimes: readonly DowntimeRecord[];
  /** Active maintenance. */
  readonly maintenances: readonly MaintenanceRecord[];
  /** Registered promotion rules. */
  readonly candidates: readonly CandidateRecord[];
  /** The wall-clock time of the read (epoch ms). */
  readonly readAt: number;
}

/** @internal */
export const instanceCodec = new RowCodec(databaseInstance);
const INSERT_COLUMNS = instanceCodec.insertColumns;
const NON_KEY_COLUMNS = INSERT_COLUMNS.filter((c) => c !== 'hostname' && c !== 'port');

/**
 * `database_instance`: what discovery writes and analysis reads.
 *
 * @example
 * ```ts
 * await backend.instances.upsert([record]);
 * const due = await backend.instances.readDueKeys({ pollSeconds: 5 });
 * ```
 */
export class InstanceRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Writes instances (insert or replace every field), in batches, in one transaction. */
  async upsert(instances: readonly InstanceRecord[]): Promise<void> {
    if (!Array.isArray(instances)) throw new BackendError('INVALID_ARGUMENT', 'instances: expected an array');
    if (instances.length === 0) return;
    instances.forEach((r, i) => checkKey(r, `instances[${i}]`));
    await inTransaction(this.#ctx, 'upsert instances', async (trx, dialect) => {
      const perChunk = Math.max(1, Math.floor(dialect.maxParameters / INSERT_COLUMNS.length));
      for (let start = 0; start < instances.length; start += perChunk) {
        const count = Math.min(perChunk, instances.length - start);
        const values: unknown[] = new Array(count * INSERT_COLUMNS.length);
        let at = 0;
        for (let i = start; i < start + count; i++) {
          at = instanceCodec.encodeInto(
            instances[i] as unknown as Record<string, unknown>,
            `instances[${i}]`,
            values,
            at,
          );
        }
        await dialect.upsertValues(
          trx,
          'database_instance',
          INSERT_COLUMNS,
          values,
          count,
          ['hostname', 'port'],
          NON_KEY_COLUMNS,
        );
      }
    });
  }

  /**
   * Keys due for a probe: `last_checked` older than `pollSeconds`, or older than twice that while a
   * newer attempt is pending (orchestrator's `ReadOutdatedInstanceKeys`). Oldest first.
   */
  async readDueKeys(options: { pollSeconds: number; limit?: number }): Promise<InstanceKey[]> {
    checkNonNegative(options.pollSeconds, 'options.pollSeconds');
    const limit = options.limit ?? 1_000_000;
    checkNonNegative(limit, 'options.limit');
    const now = this.#ctx.clock.wallNow();
    const due = now - options.pollSeconds * 1000;
    const dueWhilePending = now - options.pollSeconds * 2000;
    return run(this.#ctx, 'read due instance keys', async (db) => {
      const rows = await db
        .selectFrom('database_instance')
        .select(['hostname', 'port'])
        .where((eb) =>
          eb.or([
            eb.and([eb('last_attempted_check', '<=', eb.ref('last_checked')), eb('last_checked', '<', due)]),
            eb.and([eb('last_attempted_check', '>', eb.ref('last_checked')), eb('last_checked', '<', dueWhilePending)]),
          ]),
        )
        .orderBy('last_checked')
        .orderBy('hostname')
        .orderBy('port')
        .limit(Math.floor(limit))
        .execute();
      return rows.map((r) => ({ hostname: r.hostname, port: Number(r.port) }));
    });
  }

  /** Records that a probe of these instances started now (`last_attempted_check`). */
  async markAttempted(keys: readonly InstanceKey[]): Promise<void> {
    keys.forEach((k, i) => checkKey(k, `keys[${i}]`));
    if (keys.length === 0) return;
    const now = this.#ctx.clock.wallNow();
    await inTransaction(this.#ctx, 'mark instances attempted', async (trx) => {
      for (const k of keys) {
        await trx
          .updateTable('database_instance')
          .set({ last_attempted_check: now })
          .where('hostname', '=', k.hostname)
          .where('port', '=', k.port)
          .execute();
      }
    });
  }

  /**
   * Records a failed probe: only `last_checked` (and partial success) move, so `last_checked > last_seen`
   * marks the instance's last check invalid. Returns whether the instance was known.
   */
  async markCheckFailed(key: InstanceKey, options: { partialSuccess: boolean }): Promise<boolean> {
    checkKey(key, 'key');
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'mark instance check failed', async (db) => {
      const res = await db
        .updateTable('database_instance')
        .set({ last_checked: now, last_check_partial_success: options.partialSuccess ? 1 : 0 })
        .where('hostname', '=', key.hostname)
        .where('port', '=', key.port)
        .executeTakeFirst();
      return affected(res) > 0;
    });
  }

  /** One instance, or undefined. */
  async read(key: InstanceKey): Promise<InstanceRecord | undefined> {
    checkKey(key, 'key');
    return run(this.#ctx, 'read instance', async (db) => {
      const row = await db
        .selectFrom('database_instance')
        .selectAll()
        .where('hostname', '=', key.hostname)
        .where('port', '=', key.port)
        .executeTakeFirst();
      return row === undefined ? undefined : instanceCodec.decode(row);
    });
  }

  /** Every instance of a cluster, ordered by hostname then port. */
  async readCluster(clusterName: string): Promise<InstanceRecord[]> {
    if (typeof clusterName !== 'string') throw new BackendError('INVALID_ARGUMENT', 'clusterName: expected a string');
    return run(this.#ctx, 'read cluster', async (db) => {
      const rows = await db
        .selectFrom('database_instance')
        .selectAll()
        .where('cluster_name', '=', clusterName)
        .orderBy('hostname')
        .orderBy('port')
        .execute();
      return rows.map((r) => instanceCodec.decode(r));
    });
  }

  /**
   * The primary of a cluster: the instance with no primary of its own (`master_host` empty or `_`,
   * port 0, or detached `//`), else a co-primary; undefined when the cluster is unknown.
   */
  async readClusterPrimary(clusterName: string): Promise<InstanceRecord | undefined> {
    const members = await this.readCluster(clusterName);
    return members.find(isTopPrimary) ?? members.find((m) => m.isCoMaster);
  }

  /** Every instance, ordered by hostname then port. */
  async readAll(): Promise<InstanceRecord[]> {
    return run(this.#ctx, 'read instances', async (db) => {
      const rows = await db.selectFrom('database_instance').selectAll().orderBy('hostname').orderBy('port').execute();
      return rows.map((r) => instanceCodec.decode(r));
    });
  }

  /** All instances with the downtime, maintenance and candidate rows in force, read in one transaction. */
  async readAnalysisInput(): Promise<AnalysisInput> {
    const readAt = this.#ctx.clock.wallNow();
    return inTransaction(this.#ctx, 'read analysis input', async (trx) => {
      const instances = (
        await trx.selectFrom('database_instance').selectAll().orderBy('hostname').orderBy('port').execute()
      ).map((r) => instanceCodec.decode(r));
      const downtimes = (
        await trx
          .selectFrom('database_instance_downtime')
          .selectAll()
          .where('end_timestamp', '>', readAt)
          .orderBy('hostname')
          .orderBy('port')
          .execute()
      ).map((r) => downtimeCodec.decode(r));
      const maintenances = (
        await trx
          .selectFrom('database_instance_maintenance')
          .selectAll()
          .where('maintenance_active', '=', 1)
          .orderBy('hostname')
          .orderBy('port')
          .execute()
      ).map((r) => maintenanceCodec.decode(r));
      const candidates = (
        await trx.selectFrom('candidate_database_instance').selectAll().orderBy('hostname').orderBy('port').execute()
      ).map((r) => candidateCodec.decode(r));
      return { instances, downtimes, maintenances, candidates, readAt };
    });
  }

  /** Deletes an instance (`forget`). Returns whether it existed. */
  async forget(key: InstanceKey): Promise<boolean> {
    return deleteInstanceRow(this.#ctx, 'forget instance', 'database_instance', key);
  }

  /** Deletes every instance of a cluster (`forget-cluster`). Returns how many. */
  async forgetCluster(clusterName: string): Promise<number> {
    checkString(clusterName, 'clusterName', 300, false);
    return run(this.#ctx, 'forget cluster', async (db) =>
      affected(await db.deleteFrom('database_instance').where('cluster_name', '=', clusterName).executeTakeFirst()),
    );
  }

  /** Deletes instances not seen for `hours` (`UnseenInstanceForgetHours`). Returns how many. */
  async forgetUnseen(hours: number): Promise<number> {
    checkNonNegative(hours, 'hours');
    const before = this.#ctx.clock.wallNow() - hours * 3_600_000;
    return run(this.#ctx, 'forget unseen instances', async (db) =>
      affected(await db.deleteFrom('database_instance').where('last_seen', '<', before).executeTakeFirst()),
    );
  }

  /** The distinct cluster names with how many instances each, ordered by name. */
  async readClusterNames(): Promise<{ clusterName: string; count: number }[]> {
    return run(this.#ctx, 'read cluster names', async (db) => {
      const rows = await db
        .selectFrom('database_instance')
        .select(['cluster_name', sql<number>`count(*)`.as('n')])
        .where('cluster_name', '<>', '')
        .groupBy('cluster_name')
        .orderBy('cluster_name')
        .execute();
      return rows.map((r) => ({ clusterName: r.cluster_name, count: Number(r.n) }));
    });
  }
}

/** Whether an instance has no primary of its own (orchestrator's `is_master` test, without group replication). */
export function isTopPrimary(i: Pick<InstanceRecord, 'masterHost' | 'masterPort'>): boolean {
  return i.masterHost === '' || i.masterHost === '_' || i.masterPort === 0 || i.masterHost.startsWith('//');
}

import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { databaseInstanceDowntime, databaseInstanceMaintenance } from '../schema/tables.js';
import { BackendError } from '../errors.js';
import {
  affected,
  checkKey,
  checkNonNegative,
  deleteInstanceRow,
  checkString,
  run,
  type InstanceKey,
  type RepositoryContext,
} from './repository-context.js';

/** A `database_instance_downtime` row. */
export type DowntimeRecord = RecordOf<typeof databaseInstanceDowntime>;
/** A `database_instance_maintenance` row. */
export type MaintenanceRecord = RecordOf<typeof databaseInstanceMaintenance>;

/** @internal */
export const downtimeCodec = new RowCodec(databaseInstanceDowntime);
/** @internal */
export const maintenanceCodec = new RowCodec(databaseInstanceMaintenance);

/** What {@link DowntimeRepository.begin} records. */
export interface BeginDowntime {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  /** How long, from now. */
  readonly durationSeconds: number;
}

/**
 * `database_instance_downtime` (failures of a downtimed instance are not acted on) and
 * `database_instance_maintenance` (an instance under maintenance is left out of analysis).
 *
 * @example
 * ```ts
 * await backend.downtime.begin({ key, owner: 'ops', reason: 'upgrade', durationSeconds: 3600 });
 * ```
 */
export class DowntimeRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Begins (or replaces) an instance's downtime. */
  async begin(input: BeginDowntime): Promise<DowntimeRecord> {
    checkKey(input.key, 'input.key');
    checkString(input.owner, 'input.owner', 255, false);
    checkString(input.reason, 'input.reason', 65535);
    checkNonNegative(input.durationSeconds, 'input.durationSeconds');
    const now = this.#ctx.clock.wallNow();
    const record: DowntimeRecord = {
      hostname: input.key.hostname,
      port: input.key.port,
      downtimeActive: true,
      beginTimestamp: now,
      endTimestamp: now + Math.round(input.durationSeconds * 1000),
      owner: input.owner,
      reason: input.reason,
    };
    const row = downtimeCodec.encode(record as unknown as Record<string, unknown>, 'input');
    await run(this.#ctx, 'begin downtime', (db, dialect) =>
      dialect.upsert(
        db,
        'database_instance_downtime',
        [row],
        ['hostname', 'port'],
        ['downtime_active', 'begin_timestamp', 'end_timestamp', 'owner', 'reason'],
      ),
    );
    return record;
  }

  /** Ends an instance's downtime. Returns whether there was one. */
  async end(key: InstanceKey): Promise<boolean> {
    return deleteInstanceRow(this.#ctx, 'end downtime', 'database_instance_downtime', key);
  }

  /** Deletes downtimes whose end has passed. Returns how many. */
  async expire(): Promise<number> {
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'expire downtime', async (db) =>
      affected(await db.deleteFrom('database_instance_downtime').where('end_timestamp', '<=', now).executeTakeFirst()),
    );
  }

  /** Downtimes in force now, ordered by instance. */
  async readActive(): Promise<DowntimeRecord[]> {
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'read downtime', async (db) => {
      const rows = await db
        .selectFrom('database_instance_downtime')
        .selectAll()
        .where('end_timestamp', '>', now)
        .orderBy('hostname')
        .orderBy('port')
        .execute();
      return rows.map((r) => downtimeCodec.decode(r));
    });
  }

  /**
   * Begins maintenance on an instance. Refused with `CONFLICT` while another maintenance of that
   * instance is active (a unique key decides, so two concurrent callers cannot both win).
   */
  async beginMaintenance(
    input: BeginDowntime & { readonly processingNodeHostname: string; readonly processingNodeToken: string },
  ): Promise<MaintenanceRecord> {
    checkKey(input.key, 'input.key');
    checkString(input.owner, 'input.owner', 255, false);
    checkNonNegative(input.durationSeconds, 'input.durationSeconds');
    const now = this.#ctx.clock.wallNow();
    const record = {
      databaseInstanceMaintenanceId: 0,
      hostname: input.key.hostname,
      port: input.key.port,
      maintenanceActive: true,
      beginTimestamp: now,
      endTimestamp: now + Math.round(input.durationSeconds * 1000),
      owner: input.owner,
      reason: input.reason,
      processingNodeHostname: input.processingNodeHostname,
      processingNodeToken: input.processingNodeToken,
      explicitlyBounded: true,
    };
    const row = maintenanceCodec.encode(record, 'input');
    const id = await run(this.#ctx, 'begin maintenance', async (db, dialect) => {
      const inserted = await dialect.insertIgnore(db, 'database_instance_maintenance', row);
      if (!inserted)
        throw new BackendError(
          'CONFLICT',
          `instance ${input.key.hostname}:${input.key.port} is already under maintenance`,
        );
      const got = await db
        .selectFrom('database_instance_maintenance')
        .select('database_instance_maintenance_id')
        .where('hostname', '=', input.key.hostname)
        .where('port', '=', input.key.port)
        .where('maintenance_active', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(got.database_instance_maintenance_id);
    });
    return { ...record, databaseInstanceMaintenanceId: id };
  }

  /** Ends an instance's active maintenance. Returns whether there was one. */
  async endMaintenance(key: InstanceKey): Promise<boolean> {
    checkKey(key, 'key');
    const now = this.#ctx.clock.wallNow();
    return run(
      this.#ctx,
      'end maintenance',
      async (db) =>
        affected(
          await db
            .updateTable('database_instance_maintenance')
            .set({ maintenance_active: null, end_timestamp: now })
            .where('hostname', '=', key.hostname)
            .where('port', '=', key.port)
            .where('maintenance_active', '=', 1)
            .executeTakeFirst(),
        ) > 0,
    );
  }

  /** Ends maintenance whose end has passed. Returns how many. */
  async expireMaintenance(): Promise<number> {
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'expire maintenance', async (db) =>
      affected(
        await db
          .updateTable('database_instance_maintenance')
          .set({ maintenance_active: null })
          .where('maintenance_active', '=', 1)
          .where('end_timestamp', '<=', now)
          .executeTakeFirst(),
      ),
    );
  }

  /** Active maintenance, ordered by instance. */
  async readActiveMaintenance(): Promise<MaintenanceRecord[]> {
    return run(this.#ctx, 'read maintenance', async (db) => {
      const rows = await db
        .selectFrom('database_instance_maintenance')
        .selectAll()
        .where('maintenance_active', '=', 1)
        .orderBy('hostname')
        .orderBy('port')
        .execute();
      return rows.map((r) => maintenanceCodec.decode(r));
    });
  }
}

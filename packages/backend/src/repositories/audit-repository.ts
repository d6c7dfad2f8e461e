import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { audit } from '../schema/tables.js';
import { BackendError } from '../errors.js';
import {
  affected,
  checkKey,
  checkNonNegative,
  checkString,
  run,
  type InstanceKey,
  type RepositoryContext,
} from './repository-context.js';

/** An `audit` row. */
export type AuditRecord = RecordOf<typeof audit>;

/** @internal */
export const auditCodec = new RowCodec(audit);

/** What {@link AuditRepository.append} records. */
export interface AuditEntry {
  readonly auditType: string;
  readonly key?: InstanceKey;
  readonly clusterName?: string;
  readonly message: string;
}

/** One page of audit entries, newest first, and the cursor of the next (older) page. */
export interface AuditPage {
  readonly entries: readonly AuditRecord[];
  /** Pass as `before` to read the next page; undefined on the last page. */
  readonly nextBefore: number | undefined;
}

/**
 * `audit`: what orc did, newest first, paged by id.
 *
 * @example
 * ```ts
 * await backend.audit.append({ auditType: 'begin-downtime', key, message: 'owner: ops' });
 * const { entries, nextBefore } = await backend.audit.page({ limit: 50 });
 * ```
 */
export class AuditRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Appends an entry; returns its id. */
  async append(entry: AuditEntry): Promise<number> {
    checkString(entry.auditType, 'entry.auditType', 128, false);
    if (entry.key !== undefined) checkKey(entry.key, 'entry.key');
    checkString(entry.clusterName ?? '', 'entry.clusterName', 300);
    checkString(entry.message, 'entry.message', 65535);
    const now = this.#ctx.clock.wallNow();
    return run(this.#ctx, 'append audit', async (db) => {
      const res = await db
        .insertInto('audit')
        .values({
          audit_timestamp: now,
          audit_type: entry.auditType,
          hostname: entry.key?.hostname ?? '',
          port: entry.key?.port ?? 0,
          cluster_name: entry.clusterName ?? '',
          message: entry.message,
        })
        .executeTakeFirst();
      return Number(res.insertId ?? 0n);
    });
  }

  /**
   * A page of entries, newest first, optionally for one instance: older than `before` (an id, for
   * cursor paging), or skipping `offset` entries (orchestrator's `/api/audit/:page` pages).
   */
  async page(options: { limit: number; before?: number; offset?: number; key?: InstanceKey }): Promise<AuditPage> {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > 10_000) {
      throw new BackendError(
        'INVALID_ARGUMENT',
        `options.limit: expected an integer 1..10000, got ${String(options.limit)}`,
      );
    }
    if (options.before !== undefined) checkNonNegative(options.before, 'options.before');
    if (options.offset !== undefined && (!Number.isInteger(options.offset) || options.offset < 0)) {
      throw new BackendError(
        'INVALID_ARGUMENT',
        `options.offset: expected a non-negative integer, got ${String(options.offset)}`,
      );
    }
    if (options.key !== undefined) checkKey(options.key, 'options.key');
    return run(this.#ctx, 'page audit', async (db) => {
      let q = db.selectFrom('audit').selectAll();
      if (options.before !== undefined) q = q.where('audit_id', '<', options.before);
      if (options.key !== undefined)
        q = q.where('hostname', '=', options.key.hostname).where('port', '=', options.key.port);
      const rows = await q
        .orderBy('audit_id', 'desc')
        .limit(options.limit + 1)
        .offset(options.offset ?? 0)
        .execute();
      const entries = rows.slice(0, options.limit).map((r) => auditCodec.decode(r));
      const last = entries[entries.length - 1];
      return { entries, nextBefore: rows.length > options.limit && last !== undefined ? last.auditId : undefined };
    });
  }

  /** Deletes entries older than `days` (`AuditPurgeDays`). Returns how many. */
  async purge(days: number): Promise<number> {
    checkNonNegative(days, 'days');
    const before = this.#ctx.clock.wallNow() - days * 86_400_000;
    return run(this.#ctx, 'purge audit', async (db) =>
      affected(await db.deleteFrom('audit').where('audit_timestamp', '<', before).executeTakeFirst()),
    );
  }
}

import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { candidateDatabaseInstance } from '../schema/tables.js';
import { BackendError } from '../errors.js';
import {
  affected,
  checkKey,
  checkNonNegative,
  deleteInstanceRow,
  run,
  type InstanceKey,
  type RepositoryContext,
} from './repository-context.js';

/** A `candidate_database_instance` row. */
export type CandidateRecord = RecordOf<typeof candidateDatabaseInstance>;

/** orchestrator's promotion rules, best first. */
export const PROMOTION_RULES = ['must', 'prefer', 'neutral', 'prefer_not', 'must_not'] as const;
/** A promotion rule. */
export type PromotionRule = (typeof PROMOTION_RULES)[number];

/** @internal */
export const candidateCodec = new RowCodec(candidateDatabaseInstance);

/**
 * `candidate_database_instance`: promotion rules registered for instances, expiring
 * (`CandidateInstanceExpireMinutes`) unless registered again.
 *
 * @example
 * ```ts
 * await backend.candidates.register({ hostname: 'db2', port: 3306 }, 'prefer');
 * ```
 */
export class CandidateRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Registers (or refreshes) an instance's promotion rule. */
  async register(key: InstanceKey, rule: PromotionRule, priority = 1): Promise<CandidateRecord> {
    checkKey(key, 'key');
    if (!PROMOTION_RULES.includes(rule))
      throw new BackendError(
        'INVALID_ARGUMENT',
        `rule: expected one of ${PROMOTION_RULES.join(', ')}, got ${String(rule)}`,
      );
    if (!Number.isInteger(priority))
      throw new BackendError('INVALID_ARGUMENT', `priority: expected an integer, got ${String(priority)}`);
    const record: CandidateRecord = {
      hostname: key.hostname,
      port: key.port,
      lastSuggested: this.#ctx.clock.wallNow(),
      priority,
      promotionRule: rule,
    };
    const row = candidateCodec.encode(record as unknown as Record<string, unknown>, 'candidate');
    await run(this.#ctx, 'register candidate', (db, dialect) =>
      dialect.upsert(
        db,
        'candidate_database_instance',
        [row],
        ['hostname', 'port'],
        ['last_suggested', 'priority', 'promotion_rule'],
      ),
    );
    return record;
  }

  /** Removes an instance's rule. Returns whether there was one. */
  async unregister(key: InstanceKey): Promise<boolean> {
    return deleteInstanceRow(this.#ctx, 'unregister candidate', 'candidate_database_instance', key);
  }

  /** Deletes rules not registered again within `minutes`. Returns how many. */
  async expire(minutes: number): Promise<number> {
    checkNonNegative(minutes, 'minutes');
    const before = this.#ctx.clock.wallNow() - minutes * 60_000;
    return run(this.#ctx, 'expire candidates', async (db) =>
      affected(
        await db.deleteFrom('candidate_database_instance').where('last_suggested', '<', before).executeTakeFirst(),
      ),
    );
  }

  /** Every registered rule, ordered by instance. */
  async readAll(): Promise<CandidateRecord[]> {
    return run(this.#ctx, 'read candidates', async (db) => {
      const rows = await db
        .selectFrom('candidate_database_instance')
        .selectAll()
        .orderBy('hostname')
        .orderBy('port')
        .execute();
      return rows.map((r) => candidateCodec.decode(r));
    });
  }
}

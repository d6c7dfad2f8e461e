import type { RecordOf } from '../schema/column.js';
import { RowCodec } from '../schema/row-codec.js';
import { nodeHealth } from '../schema/tables.js';
import { affected, checkNonNegative, checkString, run, type RepositoryContext } from './repository-context.js';

/** A `node_health` row. */
export type NodeHealthRecord = RecordOf<typeof nodeHealth>;

/** @internal */
export const nodeHealthCodec = new RowCodec(nodeHealth);

/** What a node reports about itself on every health tick. */
export interface NodeHealthReport {
  readonly hostname: string;
  /** Unique per process run. */
  readonly token: string;
  readonly appVersion: string;
  readonly command?: string;
  readonly extraInfo?: string;
  readonly dbBackend?: string;
}

/**
 * `node_health`: each orc node's keep-alive; nodes seen recently are healthy. Also how crashed
 * recoveries are recognised (their processing node is gone from here).
 *
 * @example
 * ```ts
 * await backend.nodeHealth.upsert({ hostname: 'orc1', token, appVersion: '1.0.0' });
 * const nodes = await backend.nodeHealth.readHealthy(5);
 * ```
 */
export class NodeHealthRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Records that the node is alive now; `first_seen_active` is kept from the first report. */
  async upsert(report: NodeHealthReport): Promise<void> {
    checkString(report.hostname, 'report.hostname', 255, false);
    checkString(report.token, 'report.token', 128, false);
    checkString(report.appVersion, 'report.appVersion', 64);
    const now = this.#ctx.clock.wallNow();
    const row = nodeHealthCodec.encode(
      {
        hostname: report.hostname,
        token: report.token,
        lastSeenActive: now,
        firstSeenActive: now,
        extraInfo: report.extraInfo ?? '',
        command: report.command ?? '',
        appVersion: report.appVersion,
        dbBackend: report.dbBackend ?? '',
        incrementingIndicator: now,
      },
      'report',
    );
    await run(this.#ctx, 'upsert node health', (db, dialect) =>
      dialect.upsert(
        db,
        'node_health',
        [row],
        ['hostname', 'token'],
        ['last_seen_active', 'extra_info', 'command', 'app_version', 'db_backend', 'incrementing_indicator'],
      ),
    );
  }

  /** Nodes seen within the last `withinSeconds`, ordered by hostname then token. */
  async readHealthy(withinSeconds: number): Promise<NodeHealthRecord[]> {
    checkNonNegative(withinSeconds, 'withinSeconds');
    const since = this.#ctx.clock.wallNow() - withinSeconds * 1000;
    return run(this.#ctx, 'read healthy nodes', async (db) => {
      const rows = await db
        .selectFrom('node_health')
        .selectAll()
        .where('last_seen_active', '>=', since)
        .orderBy('hostname')
        .orderBy('token')
        .execute();
      return rows.map((r) => nodeHealthCodec.decode(r));
    });
  }

  /** Deletes nodes not seen for `seconds`. Returns how many. */
  async expire(seconds: number): Promise<number> {
    checkNonNegative(seconds, 'seconds');
    const before = this.#ctx.clock.wallNow() - seconds * 1000;
    return run(this.#ctx, 'expire node health', async (db) =>
      affected(await db.deleteFrom('node_health').where('last_seen_active', '<', before).executeTakeFirst()),
    );
  }
}

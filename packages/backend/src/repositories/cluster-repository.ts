import { chunkRows } from '../dialect/sql-dialect.js';
import { checkString, inTransaction, run, type RepositoryContext } from './repository-context.js';

/** A cluster's alias and where it came from. */
export interface ClusterAliasRecord {
  readonly clusterName: string;
  readonly alias: string;
  /** `override` when an operator set it (`cluster_alias_override`), else `suggested`. */
  readonly source: 'override' | 'suggested';
}

/**
 * `cluster_alias` (aliases discovery suggests) and `cluster_alias_override` (aliases operators set,
 * which win).
 *
 * @example
 * ```ts
 * await backend.clusters.setAliasOverride('db1:3306', 'orders');
 * await backend.clusters.resolveAlias('orders'); // 'db1:3306'
 * ```
 */
export class ClusterRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /**
   * Copies every instance's `suggested_cluster_alias` into `cluster_alias` (orchestrator's
   * `UpdateClusterAliases`). Returns how many clusters have a suggested alias.
   */
  async refreshSuggestedAliases(): Promise<number> {
    const now = this.#ctx.clock.wallNow();
    return inTransaction(this.#ctx, 'refresh cluster aliases', async (trx, dialect) => {
      const rows = await trx
        .selectFrom('database_instance')
        .select(['cluster_name', 'suggested_cluster_alias'])
        .where('suggested_cluster_alias', '<>', '')
        .where('cluster_name', '<>', '')
        .orderBy('cluster_name')
        .orderBy('hostname')
        .orderBy('port')
        .execute();
      const byCluster = new Map<string, string>();
      for (const r of rows)
        if (!byCluster.has(r.cluster_name)) byCluster.set(r.cluster_name, r.suggested_cluster_alias);
      const values = [...byCluster].map(([cluster_name, alias]) => ({ cluster_name, alias, last_registered: now }));
      for (const chunk of chunkRows(values, 3, dialect.maxParameters))
        await dialect.upsert(trx, 'cluster_alias', chunk, ['cluster_name'], ['alias', 'last_registered']);
      return values.length;
    });
  }

  /** Records a suggested alias for a cluster. */
  async setSuggestedAlias(clusterName: string, alias: string): Promise<void> {
    checkString(clusterName, 'clusterName', 300, false);
    checkString(alias, 'alias', 255, false);
    const now = this.#ctx.clock.wallNow();
    await run(this.#ctx, 'set cluster alias', (db, dialect) =>
      dialect.upsert(
        db,
        'cluster_alias',
        [{ cluster_name: clusterName, alias, last_registered: now }],
        ['cluster_name'],
        ['alias', 'last_registered'],
      ),
    );
  }

  /** Sets an operator's alias for a cluster (`set-cluster-alias`); an empty alias removes it. */
  async setAliasOverride(clusterName: string, alias: string): Promise<void> {
    checkString(clusterName, 'clusterName', 300, false);
    checkString(alias, 'alias', 255);
    await run(this.#ctx, 'set cluster alias override', async (db, dialect) => {
      if (alias === '') await db.deleteFrom('cluster_alias_override').where('cluster_name', '=', clusterName).execute();
      else
        await dialect.upsert(
          db,
          'cluster_alias_override',
          [{ cluster_name: clusterName, alias }],
          ['cluster_name'],
          ['alias'],
        );
    });
  }

  /** Every cluster's alias, the override winning, ordered by cluster name. */
  async readAliases(): Promise<ClusterAliasRecord[]> {
    return run(this.#ctx, 'read cluster aliases', async (db) => {
      const suggested = await db.selectFrom('cluster_alias').select(['cluster_name', 'alias']).execute();
      const overrides = await db.selectFrom('cluster_alias_override').select(['cluster_name', 'alias']).execute();
      const out = new Map<string, ClusterAliasRecord>();
      for (const r of suggested)
        out.set(r.cluster_name, { clusterName: r.cluster_name, alias: r.alias, source: 'suggested' });
      for (const r of overrides)
        out.set(r.cluster_name, { clusterName: r.cluster_name, alias: r.alias, source: 'override' });
      return [...out.values()].sort((a, b) => compareCodePoints(a.clusterName, b.clusterName));
    });
  }

  /** A cluster's alias (override first), or undefined. */
  async readAlias(clusterName: string): Promise<string | undefined> {
    checkString(clusterName, 'clusterName', 300);
    return run(this.#ctx, 'read cluster alias', async (db) => {
      const o = await db
        .selectFrom('cluster_alias_override')
        .select('alias')
        .where('cluster_name', '=', clusterName)
        .executeTakeFirst();
      if (o !== undefined) return o.alias;
      const s = await db
        .selectFrom('cluster_alias')
        .select('alias')
        .where('cluster_name', '=', clusterName)
        .executeTakeFirst();
      return s?.alias;
    });
  }

  /** The cluster an alias names (override first), or undefined. */
  async resolveAlias(alias: string): Promise<string | undefined> {
    checkString(alias, 'alias', 255);
    return run(this.#ctx, 'resolve cluster alias', async (db) => {
      const o = await db
        .selectFrom('cluster_alias_override')
        .select('cluster_name')
        .where('alias', '=', alias)
        .orderBy('cluster_name')
        .executeTakeFirst();
      if (o !== undefined) return o.cluster_name;
      const s = await db
        .selectFrom('cluster_alias')
        .select('cluster_name')
        .where('alias', '=', alias)
        .orderBy('cluster_name')
        .executeTakeFirst();
      return s?.cluster_name;
    });
  }
}

/** Orders strings by code point, as both dialects' binary collations do. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

import {
  checkKey,
  checkString,
  affected,
  run,
  type InstanceKey,
  type RepositoryContext,
} from './repository-context.js';

/** One tag of an instance: `name=value` (the value may be empty). */
export interface InstanceTag {
  readonly name: string;
  readonly value: string;
}

/** An instance holding a tag, with that tag's value. */
export interface TaggedInstance extends InstanceKey {
  readonly value: string;
}

/**
 * `database_instance_tags`: operator tags on instances, as orchestrator's `tag`/`untag`/`tagged`.
 * An instance holds at most one value per tag name; putting a name again replaces its value.
 *
 * @example
 * ```ts
 * await backend.tags.put({ hostname: 'db2', port: 3306 }, 'role', 'reporting');
 * const hosts = await backend.tags.tagged('role', 'reporting');
 * ```
 */
export class TagRepository {
  readonly #ctx: RepositoryContext;

  /** @internal */
  constructor(ctx: RepositoryContext) {
    this.#ctx = ctx;
  }

  /** Sets `name=value` on an instance, replacing a value it had under that name. */
  async put(key: InstanceKey, name: string, value = ''): Promise<void> {
    checkKey(key, 'key');
    checkString(name, 'name', 128, false);
    checkString(value, 'value', 128);
    const row = {
      hostname: key.hostname,
      port: key.port,
      tag_name: name,
      tag_value: value,
      last_updated: this.#ctx.clock.wallNow(),
    };
    await run(this.#ctx, 'put instance tag', (db, dialect) =>
      dialect.upsert(
        db,
        'database_instance_tags',
        [row],
        ['hostname', 'port', 'tag_name'],
        ['tag_value', 'last_updated'],
      ),
    );
  }

  /** Removes tag `name` from an instance (only if its value is `value`, when given). Returns whether it had it. */
  async delete(key: InstanceKey, name: string, value?: string): Promise<boolean> {
    checkKey(key, 'key');
    checkString(name, 'name', 128, false);
    return run(this.#ctx, 'delete instance tag', async (db) => {
      let q = db
        .deleteFrom('database_instance_tags')
        .where('hostname', '=', key.hostname)
        .where('port', '=', key.port)
        .where('tag_name', '=', name);
      if (value !== undefined) q = q.where('tag_value', '=', value);
      return affected(await q.executeTakeFirst()) > 0;
    });
  }

  /** Removes tag `name` (only where its value is `value`, when given) from every instance. Returns those instances. */
  async deleteEverywhere(name: string, value?: string): Promise<InstanceKey[]> {
    const holders = await this.tagged(name, value);
    await run(this.#ctx, 'delete tag everywhere', async (db) => {
      let q = db.deleteFrom('database_instance_tags').where('tag_name', '=', name);
      if (value !== undefined) q = q.where('tag_value', '=', value);
      await q.execute();
    });
    return holders.map((h) => ({ hostname: h.hostname, port: h.port }));
  }

  /** The tags of an instance, by name. */
  async read(key: InstanceKey): Promise<InstanceTag[]> {
    checkKey(key, 'key');
    return run(this.#ctx, 'read instance tags', async (db) => {
      const rows = await db
        .selectFrom('database_instance_tags')
        .select(['tag_name', 'tag_value'])
        .where('hostname', '=', key.hostname)
        .where('port', '=', key.port)
        .orderBy('tag_name')
        .execute();
      return rows.map((r) => ({ name: r.tag_name, value: r.tag_value }));
    });
  }

  /** The instances holding tag `name` (with value `value`, when given), by hostname and port. */
  async tagged(name: string, value?: string): Promise<TaggedInstance[]> {
    checkString(name, 'name', 128, false);
    if (value !== undefined) checkString(value, 'value', 128);
    return run(this.#ctx, 'read tagged instances', async (db) => {
      let q = db
        .selectFrom('database_instance_tags')
        .select(['hostname', 'port', 'tag_value'])
        .where('tag_name', '=', name);
      if (value !== undefined) q = q.where('tag_value', '=', value);
      const rows = await q.orderBy('hostname').orderBy('port').execute();
      return rows.map((r) => ({ hostname: r.hostname, port: r.port, value: r.tag_value }));
    });
  }
}

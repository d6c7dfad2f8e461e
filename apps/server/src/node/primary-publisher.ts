// Publishes each cluster's primary to the KV stores when it is first seen and whenever it
// changes, instead of orchestrator's once-a-minute caretaking tick (or a manual submit). It goes
// through the command bus like any other state change, so a Raft mode replicates it.
import type { CommandBus } from '@orc/api';
import type { OrcTopology } from '@orc/topology';
import type { Logger } from '../logging.js';

/**
 * Remembers what was published per alias; `tick()` publishes the clusters whose primary differs.
 *
 * @example
 * const publisher = new PrimaryPublisher(topology, bus, logger);
 * await publisher.tick(); // on the active node, every second
 */
export class PrimaryPublisher {
  readonly #topology: OrcTopology;
  readonly #commands: CommandBus;
  readonly #logger: Logger;
  readonly #published = new Map<string, string>();

  readonly #since: number;

  /**
   * `since` (epoch ms): only a primary that a probe of this process saw after it is published.
   * Rows loaded from the backend at a restart can call a long-dead primary alive until its first
   * probe; publishing it would bring an old primary back to the stores.
   */
  constructor(topology: OrcTopology, commands: CommandBus, logger: Logger, since = 0) {
    this.#topology = topology;
    this.#commands = commands;
    this.#logger = logger;
    this.#since = since;
  }

  /** Forgets what was published (a node that becomes active again republishes everything). */
  reset(): void {
    this.#published.clear();
  }

  async tick(): Promise<void> {
    for (const c of await this.#topology.clusters()) {
      if (c.clusterAlias === '' || this.#published.get(c.clusterAlias) === c.masterKey) continue;
      const primary = this.#topology.instance(c.masterKey);
      // Only a primary seen by its last probe: a dead one keeps its cluster until recovery moves it.
      if (
        primary === undefined ||
        primary.lastSeenAt === null ||
        primary.lastSeenAt < this.#since ||
        (primary.lastCheckedAt ?? 0) > primary.lastSeenAt
      )
        continue;
      const previous = this.#published.get(c.clusterAlias) ?? null;
      const { stores } = await this.#commands.submit({ kind: 'submit-masters-to-kv-stores', cluster: c.clusterName });
      const failed = stores.filter((s) => !s.ok);
      if (failed.length === 0) this.#published.set(c.clusterAlias, c.masterKey);
      this.#logger.info('published cluster primary', {
        alias: c.clusterAlias,
        primary: c.masterKey,
        previous,
        failedStores: failed.map((s) => s.store),
      });
    }
  }
}

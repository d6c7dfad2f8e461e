// Closing a co-primary ring on real MariaDB: testenv starts a tree (b replicates from a), and the
// ring tests make a replicate from b too. One statement for every ring test.
import type { MariaDbTopology } from '@orc/testenv';

/**
 * Makes `replica` replicate from `source` (GTID current_pos, connect retry 1 s) and starts it:
 * with `source` already replicating from `replica`, the two form a co-primary ring.
 *
 * @example
 * ```ts
 * const topo = await startMariaDbTopology({ shape: [{ name: 'a' }, { name: 'b', source: 'a' }] });
 * await replicateFrom(topo, 'a', 'b'); // a <-> b
 * ```
 */
export async function replicateFrom(topo: MariaDbTopology, replica: string, source: string): Promise<void> {
  const from = topo.instance(source);
  const { user, password } = topo.replUser;
  await topo
    .instance(replica)
    .query(
      `CHANGE MASTER TO MASTER_HOST='${from.host}', MASTER_PORT=${from.port}, MASTER_USER='${user}', ` +
        `MASTER_PASSWORD='${password}', MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=current_pos`,
    );
  await topo.instance(replica).query('START SLAVE');
}

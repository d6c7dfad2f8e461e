// The checks every refactoring operation makes on what discovery knows, before any server is
// touched: both servers known, not the same one, in the same cluster, the target not below the
// instance being moved, and the shape each operation needs (a grandparent for move-up and
// take-master). Pure: a refusal here has changed nothing.
import { TopologyError } from '../errors.js';
import type { Instance } from '../instance/instance.js';
import type { InstanceKey } from '../instance/instance-key.js';

/**
 * The manual operations of this module, by orchestrator's command names.
 *
 * @example
 * const op: RefactorOperation = 'relocate';
 */
export type RefactorOperation =
  | 'relocate'
  | 'move-up'
  | 'take-master'
  | 'repoint'
  | 'set-read-only'
  | 'set-writeable'
  | 'start-replica'
  | 'stop-replica'
  | 'detach-replica'
  | 'reattach-replica';

/**
 * What the operations read of discovery: the servers orc knows, as last probed. The live state
 * of each server touched is read again before acting; this view decides cluster membership and
 * ancestry, which one server alone cannot tell.
 *
 * @example
 * const view: RefactorTopology = { instances: () => topology.instances() };
 */
export interface RefactorTopology {
  instances(): readonly Instance[];
}

/**
 * A refusal naming the argument (`key`, `below`) and the reason; nothing was changed.
 *
 * @example
 * throw refusal('relocate', 'below', 'db3:3306 replicates from db2:3306: it is below db2:3306');
 */
export function refusal(op: RefactorOperation, path: string, why: string, cause?: unknown): TopologyError {
  return new TopologyError('OPERATION_REFUSED', `${op} refused: ${why}`, {
    details: [{ path, message: why }],
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The servers discovery knows, by key.
 *
 * @example
 * const snapshot = new TopologySnapshot(topology.instances());
 * snapshot.isBelow('db3:3306', 'db1:3306'); // true when db3 < db2 < db1
 */
export class TopologySnapshot {
  readonly #byKey: ReadonlyMap<InstanceKey, Instance>;

  constructor(instances: readonly Instance[]) {
    this.#byKey = new Map(instances.map((i) => [i.key, i]));
  }

  /** The instance, or an `UNKNOWN_INSTANCE` error naming the argument. */
  known(op: RefactorOperation, key: InstanceKey, path: string): Instance {
    const found = this.#byKey.get(key);
    if (found === undefined)
      throw new TopologyError('UNKNOWN_INSTANCE', `${op} refused: ${key} is not a known instance`, {
        details: [{ path, message: `${key} is not known: discover it first` }],
      });
    return found;
  }

  /** Whether `key` replicates, directly or through others, from `ancestor` (a co-primary ring ends the walk). */
  isBelow(key: InstanceKey, ancestor: InstanceKey): boolean {
    const seen = new Set<InstanceKey>([key]);
    let at = this.#byKey.get(key)?.masterKey ?? null;
    while (at !== null && !seen.has(at)) {
      if (at === ancestor) return true;
      seen.add(at);
      at = this.#byKey.get(at)?.masterKey ?? null;
    }
    return false;
  }
}

/**
 * The common checks of an operation that moves `key` below `below`: both known, not the same
 * server, one cluster, and `below` not replicating (at any depth) from `key`.
 *
 * @example
 * const { instance, target } = checkMoveBelow('relocate', snapshot, replicaKey, siblingKey);
 */
export function checkMoveBelow(
  op: RefactorOperation,
  snapshot: TopologySnapshot,
  key: InstanceKey,
  below: InstanceKey,
): { instance: Instance; target: Instance } {
  if (key === below) throw refusal(op, 'below', `${key} cannot replicate from itself`);
  const instance = snapshot.known(op, key, 'key');
  const target = snapshot.known(op, below, 'below');
  if (instance.clusterName !== target.clusterName)
    throw refusal(
      op,
      'below',
      `${below} is in cluster ${target.clusterName || '(none)'}, ${key} in cluster ${instance.clusterName || '(none)'}`,
    );
  if (snapshot.isBelow(below, key))
    throw refusal(op, 'below', `${below} replicates from ${key}: it is below the instance being moved`);
  return { instance, target };
}

/**
 * move-up: the instance's source must itself be a replica; the instance goes below that
 * source's source. Returns the new source.
 *
 * @example
 * planMoveUp(snapshot, 'db3:3306'); // 'db1:3306' when db3 < db2 < db1
 */
export function planMoveUp(snapshot: TopologySnapshot, key: InstanceKey): InstanceKey {
  const instance = snapshot.known('move-up', key, 'key');
  if (instance.masterKey === null) throw refusal('move-up', 'key', `${key} is not a replica`);
  const master = snapshot.known('move-up', instance.masterKey, 'key');
  if (master.masterKey === null)
    throw refusal('move-up', 'key', `${key} replicates from the primary ${master.key}: there is no level above it`);
  if (master.masterKey === key)
    throw refusal('move-up', 'key', `${key} and ${master.key} are co-primaries: there is no level above them`);
  checkMoveBelow('move-up', snapshot, key, master.masterKey);
  return master.masterKey;
}

/**
 * take-master: the instance swaps places with its source, which must itself be a replica (taking
 * over the primary is graceful-master-takeover's job, with its write fence), not a co-primary;
 * the instance must not be `must_not`, since it becomes its source's source.
 *
 * @example
 * const { master, grand } = planTakeMaster(snapshot, 'db3:3306');
 */
export function planTakeMaster(snapshot: TopologySnapshot, key: InstanceKey): { master: Instance; grand: InstanceKey } {
  const op = 'take-master';
  const instance = snapshot.known(op, key, 'key');
  if (instance.masterKey === null) throw refusal(op, 'key', `${key} is not a replica`);
  const master = snapshot.known(op, instance.masterKey, 'key');
  if (master.masterKey === null)
    throw refusal(
      op,
      'key',
      `${master.key} is the cluster's primary: use graceful-master-takeover, which fences writes first`,
    );
  if (master.isCoMaster || master.masterKey === key)
    throw refusal(op, 'key', `${master.key} is a co-primary: it cannot be taken`);
  if (instance.promotionRule === 'must_not')
    throw refusal(op, 'key', `${key} has promotion rule must_not: it may not become a source`);
  return { master, grand: master.masterKey };
}

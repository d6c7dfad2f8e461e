// What each command does to this node's backend, topology and KV stores. This is the one place
// that changes state on behalf of a user; a Raft mode will call the same function on every node
// when the command is committed.
import type { Backend } from '@orc/backend';
import type { CommandOutcomes, KvWriteOutcome, OrcCommand, OutcomeOf } from '@orc/api';
import { clusterMasterPairs, type KvPublisher } from '@orc/kv';
import { splitInstanceKey, TopologyError, type InstanceKey, type OrcTopology } from '@orc/topology';
import type { Logger } from '../logging.js';

/** What applying a command touches. */
export interface CommandTargets {
  readonly backend: Backend;
  readonly topology: OrcTopology;
  readonly kv: KvPublisher;
  /** Normalized `KVClusterMasterPrefix`. */
  readonly kvPrefix: string;
  readonly node: { readonly hostname: string; readonly token: string };
  readonly logger: Logger;
}

/** The repositories a command writes: the backend's own, or ones stamped with the proposer's time. */
type CommandRows = Pick<Backend, 'downtime' | 'audit' | 'recoveries' | 'tags' | 'clusters' | 'candidates'>;

/** The targets as the appliers see them. */
type Applying = Omit<CommandTargets, 'backend'> & { readonly backend: CommandRows };

type Appliers = {
  [K in OrcCommand['kind']]: (t: Applying, c: Extract<OrcCommand, { kind: K }>) => Promise<CommandOutcomes[K]>;
};

const backendKey = (key: InstanceKey): { hostname: string; port: number } => {
  const { host, port } = splitInstanceKey(key);
  return { hostname: host, port };
};

const audit = async (t: Applying, auditType: string, key: InstanceKey | undefined, message: string): Promise<void> => {
  await t.backend.audit.append({ auditType, ...(key === undefined ? {} : { key: backendKey(key) }), message });
};

/** Publishes every (or one) cluster's primary; the outcome of each store. */
async function submitMasters(
  t: Applying,
  cluster: string | undefined,
): Promise<CommandOutcomes['submit-masters-to-kv-stores']> {
  const pairs: { Key: string; Value: string }[] = [];
  const stores = new Map<string, KvWriteOutcome>();
  for (const c of await t.topology.clusters()) {
    if (cluster !== undefined && c.clusterName !== cluster) continue;
    const primary = t.topology.instance(c.masterKey);
    if (primary === undefined || primary.lastSeenAt === null || c.clusterAlias === '') continue;
    const { host, port } = splitInstanceKey(c.masterKey);
    const master = { alias: c.clusterAlias, host, port };
    const result = await t.kv.publishMaster(master);
    pairs.push(...clusterMasterPairs(master, t.kvPrefix).map((p) => ({ Key: p.key, Value: p.value })));
    for (const o of result.outcomes) {
      const previous = stores.get(o.store);
      if (previous !== undefined && !previous.ok) continue;
      stores.set(o.store, o.ok ? { store: o.store, ok: true } : { store: o.store, ok: false, error: o.error.message });
    }
  }
  return { pairs, stores: [...stores.values()] };
}

const APPLIERS: Appliers = {
  discover: async (t, c) => {
    const instance = await t.topology.discover(c.key);
    const failed = instance.lastProbeError;
    if (failed !== null && (instance.lastSeenAt ?? 0) < (instance.lastCheckedAt ?? 0))
      throw new TopologyError(failed.code, `cannot discover ${c.key}: ${failed.message}`);
    await audit(t, 'discover', c.key, 'discovered by request');
    return { instanceKey: c.key };
  },
  forget: async (t, c) => {
    const known = t.topology.instance(c.key) !== undefined;
    await t.topology.forget(c.key);
    await audit(t, 'forget', c.key, '');
    return { forgotten: known };
  },
  'forget-cluster': async (t, c) => ({ forgotten: await t.topology.forgetCluster(c.cluster) }),
  'begin-downtime': async (t, c) => {
    await t.backend.downtime.begin({
      key: backendKey(c.key),
      owner: c.owner,
      reason: c.reason,
      durationSeconds: c.durationSeconds,
    });
    await audit(t, 'begin-downtime', c.key, `owner: ${c.owner}, reason: ${c.reason}, seconds: ${c.durationSeconds}`);
    return {};
  },
  'end-downtime': async (t, c) => {
    const ended = await t.backend.downtime.end(backendKey(c.key));
    await audit(t, 'end-downtime', c.key, '');
    return { ended };
  },
  'begin-maintenance': async (t, c) => {
    const record = await t.backend.downtime.beginMaintenance({
      key: backendKey(c.key),
      owner: c.owner,
      reason: c.reason,
      durationSeconds: 10 * 60,
      processingNodeHostname: t.node.hostname,
      processingNodeToken: t.node.token,
    });
    await audit(t, 'begin-maintenance', c.key, `owner: ${c.owner}, reason: ${c.reason}`);
    return { maintenanceKey: record.databaseInstanceMaintenanceId };
  },
  'end-maintenance': async (t, c) => {
    const ended = await t.backend.downtime.endMaintenance(backendKey(c.key));
    await audit(t, 'end-maintenance', c.key, '');
    return { ended };
  },
  'register-candidate': async (t, c) => {
    await t.backend.candidates.register(backendKey(c.key), c.promotionRule);
    await audit(t, 'register-candidate', c.key, c.promotionRule);
    return {};
  },
  'set-cluster-alias': async (t, c) => {
    await t.backend.clusters.setAliasOverride(c.cluster, c.alias);
    await audit(t, 'set-cluster-alias', undefined, `${c.cluster}: ${c.alias}`);
    return {};
  },
  'submit-masters-to-kv-stores': async (t, c) => submitMasters(t, c.cluster),
  'disable-global-recoveries': async (t) => {
    await t.backend.recoveries.setGlobalRecoveryDisabled(true);
    await audit(t, 'disable-global-recoveries', undefined, '');
    return {};
  },
  'enable-global-recoveries': async (t) => {
    await t.backend.recoveries.setGlobalRecoveryDisabled(false);
    await audit(t, 'enable-global-recoveries', undefined, '');
    return {};
  },
  'disable-cluster-recoveries': async (t, c) => {
    await t.backend.recoveries.setClusterRecoveryDisabled(c.cluster, true, t.node.hostname);
    await audit(t, 'disable-cluster-recoveries', undefined, c.cluster);
    return {};
  },
  'enable-cluster-recoveries': async (t, c) => {
    await t.backend.recoveries.setClusterRecoveryDisabled(c.cluster, false);
    await audit(t, 'enable-cluster-recoveries', undefined, c.cluster);
    return {};
  },
  'put-instance-tag': async (t, c) => {
    await t.backend.tags.put(backendKey(c.key), c.name, c.value);
    await audit(t, 'put-instance-tag', c.key, `${c.name}=${c.value}`);
    return {};
  },
  'delete-instance-tag': async (t, c) => {
    const removed =
      c.key === undefined
        ? await t.backend.tags.deleteEverywhere(c.name, c.value)
        : (await t.backend.tags.delete(backendKey(c.key), c.name, c.value))
          ? [backendKey(c.key)]
          : [];
    const keys = removed.map((k) => `${k.hostname}:${k.port}` as InstanceKey);
    await audit(t, 'delete-instance-tag', c.key, `${c.name}${c.value === undefined ? '' : `=${c.value}`}`);
    return { keys };
  },
  'ack-recoveries': async (t, c) => {
    const target = 'key' in c.target ? { key: backendKey(c.target.key) } : c.target;
    const count = await t.backend.recoveries.acknowledge(target, { owner: t.node.hostname, comment: c.comment });
    await audit(t, 'ack-recoveries', undefined, `${JSON.stringify(c.target)}: ${count} acknowledged; ${c.comment}`);
    return { count };
  },
};

/**
 * Applies one command to this node's state and returns its outcome. `at` (epoch ms) is the time
 * the rows are stamped with instead of this node's clock: in Raft mode the proposing leader's, so
 * every node writes the same downtime ends, candidate expiries and audit times, also a node that
 * replays the log hours later.
 *
 * @example
 * await applyCommand(targets, { kind: 'end-downtime', key });
 */
export async function applyCommand<C extends OrcCommand>(
  t: CommandTargets,
  command: C,
  at?: number,
): Promise<OutcomeOf<C>> {
  // TypeScript cannot correlate the indexed applier with C; the Appliers type keeps each pair right.
  const apply = APPLIERS[command.kind] as unknown as (t: Applying, c: C) => Promise<OutcomeOf<C>>;
  return apply(at === undefined ? t : { ...t, backend: t.backend.stampedAt(at) }, command);
}

// The recovery engine's writes as replicated ops, with orchestrator's op names: each node applies
// them to its own backend (the recovery rows are the same on every node) and `put-key-value` /
// `delete-key-value` to its own KV stores. The processing node travels in the op, so every backend
// records the leader that ran the recovery, not itself.
import type { CommandOutcomes, KvWriteOutcome } from '@orc/api';
import { clusterMasterPairs } from '@orc/kv';
import {
  BackendRecoveryStore,
  kvPublisherPort,
  splitInstanceKey,
  type KvPublishResult,
  type OrcTopology,
  type RecoveryStore,
} from '@orc/topology';
import type { CommandTargets } from '../commands/apply-command.js';

type StoreArgs<K extends keyof RecoveryStore> = Parameters<RecoveryStore[K]>;
type ProcessingNode = { readonly hostname: string; readonly token: string };

/**
 * The recovery ops, each with what its apply returns. `at` is the proposing leader's wall time
 * (epoch ms): every node stamps the rows with it rather than with its own clock, so the backends
 * hold the same rows and a node replaying the log later takes the same anti-flapping decisions.
 * Entries written before orc stamped ops have none; those are stamped at apply time.
 */
export type RecoveryOp = (
  | {
      readonly op: 'register-failure-detection';
      readonly value: { readonly node: ProcessingNode; readonly args: StoreArgs<'registerDetection'> };
    }
  | {
      readonly op: 'write-recovery';
      readonly value: { readonly node: ProcessingNode; readonly args: StoreArgs<'registerRecovery'> };
    }
  | { readonly op: 'write-recovery-step'; readonly value: { readonly args: StoreArgs<'appendStep'> } }
  | { readonly op: 'resolve-recovery'; readonly value: { readonly args: StoreArgs<'resolve'> } }
  | {
      readonly op: 'ack-recovery';
      readonly value: { readonly node: ProcessingNode; readonly args: StoreArgs<'acknowledge'> };
    }
  | {
      readonly op: 'begin-downtime';
      readonly value: { readonly node: ProcessingNode; readonly args: StoreArgs<'beginDowntime'> };
    }
  | KvOp
) & { readonly at?: number };

/** A KV write every node applies to its own stores; `id` matches the followers' outcomes to it. */
export type KvOp =
  | {
      readonly op: 'put-key-value';
      readonly value: { readonly id: string; readonly master: { alias: string; host: string; port: number } };
    }
  | { readonly op: 'delete-key-value'; readonly value: { readonly id: string; readonly alias: string } }
  | {
      // submit-masters-to-kv-stores in Raft mode: the primaries as the leader sees them, so a
      // follower whose own discovery lags never writes an older primary.
      readonly op: 'put-cluster-masters';
      readonly value: { readonly id: string; readonly masters: readonly KvMasterValue[] };
    };

/** One cluster's primary as a KV op carries it. */
export interface KvMasterValue {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
}

/** The op names of {@link RecoveryOp}. */
export const RECOVERY_OP_NAMES: ReadonlySet<string> = new Set([
  'register-failure-detection',
  'write-recovery',
  'write-recovery-step',
  'resolve-recovery',
  'ack-recovery',
  'begin-downtime',
  'put-key-value',
  'delete-key-value',
  'put-cluster-masters',
]);

/**
 * Applies one recovery op to this node's backend or KV stores and returns what the engine's store
 * port returns for it.
 *
 * @example
 * await applyRecoveryOp(targets, { op: 'write-recovery-step', value: { args: [uid, step] }, at: Date.now() });
 */
export async function applyRecoveryOp(t: CommandTargets, op: RecoveryOp): Promise<unknown> {
  const rows = op.at === undefined ? t.backend : t.backend.stampedAt(op.at);
  const store = (node: ProcessingNode): BackendRecoveryStore => new BackendRecoveryStore(rows, node);
  // The step and resolution writes do not record a node.
  const anyNode = t.node;
  switch (op.op) {
    case 'register-failure-detection':
      return store(op.value.node).registerDetection(...op.value.args);
    case 'write-recovery':
      return store(op.value.node).registerRecovery(...op.value.args);
    case 'write-recovery-step':
      return store(anyNode).appendStep(...op.value.args);
    case 'resolve-recovery':
      return store(anyNode).resolve(...op.value.args);
    case 'ack-recovery':
      return store(op.value.node).acknowledge(...op.value.args);
    case 'begin-downtime':
      return store(op.value.node).beginDowntime(...op.value.args);
    case 'put-key-value':
      return kvPort(t).publishMaster(op.value.master);
    case 'delete-key-value':
      return kvPort(t).clearMaster(op.value.alias);
    case 'put-cluster-masters':
      return putClusterMasters(t, op.value.masters);
  }
}

/** Writes each primary to this node's stores; the pairs and each store's outcome (its first failure). */
async function putClusterMasters(
  t: CommandTargets,
  masters: readonly KvMasterValue[],
): Promise<CommandOutcomes['submit-masters-to-kv-stores']> {
  const pairs: { Key: string; Value: string }[] = [];
  const stores = new Map<string, KvWriteOutcome>();
  for (const master of masters) {
    const result = await t.kv.publishMaster(master);
    pairs.push(...clusterMasterPairs(master, t.kvPrefix).map((p) => ({ Key: p.key, Value: p.value })));
    for (const o of result.outcomes) {
      if (stores.get(o.store)?.ok === false) continue;
      stores.set(o.store, o.ok ? { store: o.store, ok: true } : { store: o.store, ok: false, error: o.error.message });
    }
  }
  return { pairs, stores: [...stores.values()] };
}

/**
 * The primaries `submit-masters-to-kv-stores` publishes, as this node (the leader) sees them: every
 * cluster's (or one cluster's) primary that has an alias and was seen.
 *
 * @example
 * const masters = await leaderMasters(topology, undefined);
 */
export async function leaderMasters(topology: OrcTopology, cluster: string | undefined): Promise<KvMasterValue[]> {
  const masters: KvMasterValue[] = [];
  for (const c of await topology.clusters()) {
    if (cluster !== undefined && c.clusterName !== cluster) continue;
    const primary = topology.instance(c.masterKey);
    if (primary === undefined || primary.lastSeenAt === null || c.clusterAlias === '') continue;
    const { host, port } = splitInstanceKey(c.masterKey);
    masters.push({ alias: c.clusterAlias, host, port });
  }
  return masters;
}

const kvPort = (t: CommandTargets): ReturnType<typeof kvPublisherPort> =>
  kvPublisherPort(t.kv, { masterPrefix: t.kvPrefix });

/** The KV outcome a follower sends the leader for one KV op. */
export interface FollowerKvOutcome {
  readonly id: string;
  readonly stores: KvPublishResult['stores'];
}

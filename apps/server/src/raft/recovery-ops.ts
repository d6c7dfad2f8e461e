// The recovery engine's writes as replicated ops, with orchestrator's op names: each node applies
// them to its own backend (the recovery rows are the same on every node) and `put-key-value` /
// `delete-key-value` to its own KV stores. The processing node travels in the op, so every backend
// records the leader that ran the recovery, not itself.
import { BackendRecoveryStore, kvPublisherPort, type KvPublishResult, type RecoveryStore } from '@orc/topology';
import type { CommandTargets } from '../commands/apply-command.js';

type StoreArgs<K extends keyof RecoveryStore> = Parameters<RecoveryStore[K]>;
type ProcessingNode = { readonly hostname: string; readonly token: string };

/** The recovery ops, each with what its apply returns. */
export type RecoveryOp =
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
  | KvOp;

/** A KV write every node applies to its own stores; `id` matches the followers' outcomes to it. */
export type KvOp =
  | {
      readonly op: 'put-key-value';
      readonly value: { readonly id: string; readonly master: { alias: string; host: string; port: number } };
    }
  | { readonly op: 'delete-key-value'; readonly value: { readonly id: string; readonly alias: string } };

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
]);

/**
 * Applies one recovery op to this node's backend or KV stores and returns what the engine's store
 * port returns for it.
 *
 * @example
 * await applyRecoveryOp(targets, { op: 'write-recovery-step', value: { args: [uid, step] } });
 */
export async function applyRecoveryOp(t: CommandTargets, op: RecoveryOp): Promise<unknown> {
  const store = (node: ProcessingNode): BackendRecoveryStore => new BackendRecoveryStore(t.backend, node);
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
  }
}

const kvPort = (t: CommandTargets): ReturnType<typeof kvPublisherPort> =>
  kvPublisherPort(t.kv, { masterPrefix: t.kvPrefix });

/** The KV outcome a follower sends the leader for one KV op. */
export interface FollowerKvOutcome {
  readonly id: string;
  readonly stores: KvPublishResult['stores'];
}

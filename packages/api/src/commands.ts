// Every state change the API accepts is one of these values, handed to a CommandBus. How a
// command is committed is the daemon's business: applied at once on a single node or on a shared
// backend, proposed to the Raft log in Raft mode. The API only awaits the outcome.
import type { InstanceKey, PromotionRule } from '@orc/topology';

/** A state change, as a value. */
export type OrcCommand =
  | { readonly kind: 'discover'; readonly key: InstanceKey }
  | { readonly kind: 'forget'; readonly key: InstanceKey }
  | { readonly kind: 'forget-cluster'; readonly cluster: string }
  | {
      readonly kind: 'begin-downtime';
      readonly key: InstanceKey;
      readonly owner: string;
      readonly reason: string;
      readonly durationSeconds: number;
    }
  | { readonly kind: 'end-downtime'; readonly key: InstanceKey }
  | { readonly kind: 'begin-maintenance'; readonly key: InstanceKey; readonly owner: string; readonly reason: string }
  | { readonly kind: 'end-maintenance'; readonly key: InstanceKey }
  | { readonly kind: 'register-candidate'; readonly key: InstanceKey; readonly promotionRule: PromotionRule }
  | { readonly kind: 'set-cluster-alias'; readonly cluster: string; readonly alias: string }
  | { readonly kind: 'submit-masters-to-kv-stores'; readonly cluster: string | undefined }
  | { readonly kind: 'disable-global-recoveries' }
  | { readonly kind: 'enable-global-recoveries' }
  /** orc's own: the per-cluster switch, by cluster name (orchestrator has only the global one). */
  | { readonly kind: 'disable-cluster-recoveries'; readonly cluster: string }
  | { readonly kind: 'enable-cluster-recoveries'; readonly cluster: string }
  /** orchestrator's `tag` / `untag` / `untag-all` (an absent key: every instance holding the tag). */
  | { readonly kind: 'put-instance-tag'; readonly key: InstanceKey; readonly name: string; readonly value: string }
  | {
      readonly kind: 'delete-instance-tag';
      readonly key: InstanceKey | undefined;
      readonly name: string;
      readonly value: string | undefined;
    }
  | {
      readonly kind: 'ack-recoveries';
      readonly target:
        | { readonly uid: string }
        | { readonly key: InstanceKey }
        | { readonly clusterName: string }
        | { readonly all: true };
      readonly comment: string;
    };

/** What each store said about a KV write. */
export interface KvWriteOutcome {
  readonly store: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** The outcome of each command kind. */
export interface CommandOutcomes {
  discover: { readonly instanceKey: InstanceKey };
  forget: { readonly forgotten: boolean };
  'forget-cluster': { readonly forgotten: readonly InstanceKey[] };
  'begin-downtime': Record<string, never>;
  'end-downtime': { readonly ended: boolean };
  'begin-maintenance': { readonly maintenanceKey: number };
  'end-maintenance': { readonly ended: boolean };
  'register-candidate': Record<string, never>;
  'set-cluster-alias': Record<string, never>;
  'submit-masters-to-kv-stores': {
    readonly pairs: readonly { readonly Key: string; readonly Value: string }[];
    readonly stores: readonly KvWriteOutcome[];
  };
  'disable-global-recoveries': Record<string, never>;
  'enable-global-recoveries': Record<string, never>;
  'disable-cluster-recoveries': Record<string, never>;
  'enable-cluster-recoveries': Record<string, never>;
  'put-instance-tag': Record<string, never>;
  /** The instances the tag was removed from. */
  'delete-instance-tag': { readonly keys: readonly InstanceKey[] };
  /** How many recoveries were acknowledged. */
  'ack-recoveries': { readonly count: number };
}

/** The outcome type of one command value. */
export type OutcomeOf<C extends OrcCommand> = CommandOutcomes[C['kind']];

/**
 * The one path by which state changes. `submit` resolves once the command is applied (and, in a
 * replicated mode, committed); it rejects with the library's error when applying fails.
 *
 * @example
 * const { forgotten } = await bus.submit({ kind: 'forget', key: instanceKey('db1', 3306) });
 */
export interface CommandBus {
  submit<C extends OrcCommand>(command: C): Promise<OutcomeOf<C>>;
}

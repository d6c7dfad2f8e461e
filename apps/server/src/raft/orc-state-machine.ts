// The replicated state machine: every node applies each committed op to its own backend,
// topology and KV stores (so put-key-value reaches every node's own stores), in log order. A
// snapshot is the backend's replicated tables; restoring one keeps the instances this node knows
// but the snapshot lacks (discovered after it was taken) by probing them again, and probes the
// ones the snapshot names that this node has not seen, so discovery fills their rows.
import type { OrcCommand, OutcomeOf } from '@orc/api';
import type { AppliedEntry, SnapshotSource, StateMachine, StateMachineSnapshot } from '@orc/raft';
import type { Backend } from '@orc/backend';
import type { OrcTopology } from '@orc/topology';
import { applyCommand, type CommandTargets } from '../commands/apply-command.js';
import type { Logger } from '../logging.js';
import { applyRecoveryOp } from './recovery-ops.js';
import { decodeOp, type GroupOp } from './replicated-op.js';

/** One store's part in a KV write, as a follower reports it. */
export interface KvStoreOutcome {
  readonly store: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** What the group's housekeeping ops do on this node, and where KV outcomes go. */
export interface GroupHooks {
  onGroupOp(op: GroupOp, index: number): void;
  /** A KV write with an id was applied here: a follower sends its outcome to the leader. */
  onKvOutcome?(id: string, stores: readonly KvStoreOutcome[]): void;
}

/** The parts the state machine applies to. */
export interface OrcStateMachineParts {
  readonly targets: CommandTargets & { readonly backend: Backend; readonly topology: OrcTopology };
  readonly hooks: GroupHooks;
  readonly logger: Logger;
}

/**
 * orc's state machine for @orc/raft.
 *
 * @example
 * const sm = new OrcStateMachine({ targets, hooks, logger });
 * await Raft.create({ stateMachine: sm, ... });
 */
export class OrcStateMachine implements StateMachine<unknown> {
  readonly #parts: OrcStateMachineParts;
  #applied = 0;

  constructor(parts: OrcStateMachineParts) {
    this.#parts = parts;
  }

  /** Index of the last entry applied here. */
  get appliedIndex(): number {
    return this.#applied;
  }

  async apply(entry: AppliedEntry): Promise<unknown> {
    this.#applied = Number(entry.index);
    const op = decodeOp(entry.data);
    if (op === undefined) {
      this.#parts.logger.warn('raft entry ignored: not an op this version knows', { index: this.#applied });
      return undefined;
    }
    if (op.op === 'leader-uri' || op.op === 'yield' || op.op === 'yield-hint' || op.op === 'async-snapshot') {
      this.#parts.hooks.onGroupOp(op, this.#applied);
      return undefined;
    }
    const kvId =
      op.op === 'put-key-value' || op.op === 'delete-key-value' || op.op === 'put-cluster-masters'
        ? op.value.id
        : op.op === 'command'
          ? op.id
          : undefined;
    try {
      const outcome =
        op.op === 'command'
          ? ((await applyCommand(this.#parts.targets, op.value as OrcCommand, op.at)) as OutcomeOf<OrcCommand>)
          : await applyRecoveryOp(this.#parts.targets, op);
      if (kvId !== undefined && kvId !== '') this.#parts.hooks.onKvOutcome?.(kvId, storesOf(outcome));
      // KV writes are rare and change what clients follow: each node says what it wrote, and when.
      if (
        op.op === 'put-key-value' ||
        op.op === 'put-cluster-masters' ||
        (op.op === 'command' && op.value.kind === 'submit-masters-to-kv-stores')
      )
        this.#parts.logger.info('kv write applied', {
          index: this.#applied,
          op: op.op === 'command' ? op.value.kind : op.op,
          pairs:
            op.op === 'put-key-value'
              ? `${op.value.master.alias}=${op.value.master.host}:${op.value.master.port}`
              : ((outcome as { pairs?: { Key: string; Value: string }[] }).pairs ?? [])
                  // The `host:port` pair of each cluster; not its hostname/port/... sub-keys.
                  .filter((p) => p.Value.includes(':'))
                  .map((p) => `${p.Key}=${p.Value}`)
                  .join(' '),
        });
      return outcome;
    } catch (err) {
      if (kvId !== undefined && kvId !== '')
        this.#parts.hooks.onKvOutcome?.(kvId, [{ store: 'all', ok: false, error: errorText(err) }]);
      // Only the proposer's caller sees the rejection; every other node says why here.
      this.#parts.logger.warn('replicated command failed on this node', {
        command: op.op === 'command' ? op.value.kind : op.op,
        index: this.#applied,
        error: errorText(err),
      });
      throw err;
    }
  }

  async snapshot(): Promise<StateMachineSnapshot> {
    const bytes = await this.#parts.targets.backend.exportSnapshot();
    return { persist: (sink) => sink.write(bytes) };
  }

  async restore(source: SnapshotSource): Promise<void> {
    const bytes = await source.read(0, source.size);
    const { backend, topology } = this.#parts.targets;
    const knownBefore = new Set<string>(topology.instances().map((i) => i.key));
    await backend.importSnapshot(bytes);
    const inSnapshot = snapshotInstanceKeys(bytes);
    const probe = [...knownBefore].filter((k) => !inSnapshot.has(k));
    probe.push(...[...inSnapshot].filter((k) => !knownBefore.has(k)));
    this.#parts.logger.info('raft snapshot restored', { rediscover: probe.length });
    for (const key of probe)
      void topology
        .discover(key)
        .catch((err: unknown) =>
          this.#parts.logger.warn('rediscovery after snapshot failed', { key, error: String(err) }),
        );
  }
}

/** `host:port` of each instance row a backend snapshot carries. */
export function snapshotInstanceKeys(bytes: Uint8Array): Set<string> {
  const doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as { instances?: { rows?: unknown[][] } };
  return new Set((doc.instances?.rows ?? []).map((r) => `${String(r[0])}:${String(r[1])}`));
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The per-store part of a KV write's outcome (a command's or a put-key-value's). */
function storesOf(outcome: unknown): KvStoreOutcome[] {
  const stores = (outcome as { stores?: unknown } | undefined)?.stores;
  if (!Array.isArray(stores)) return [];
  return (stores as { store: string; ok: boolean; error?: string }[]).map((s) =>
    s.ok ? { store: s.store, ok: true } : { store: s.store, ok: false, error: s.error ?? 'failed' },
  );
}

// The recovery engine's store and KV ports in Raft mode: every write goes through the log, so each
// node's backend holds the same detections, recoveries and steps, and each node writes the new
// primary to its own KV stores. Reads (the global and per-cluster switches) stay local: every node
// applied the same switches. A KV write answers with the leader's stores and, within a bound, each
// follower's; shortly after it the group snapshots, so a restart never replays it.
import type { Backend } from '@orc/backend';
import {
  BackendRecoveryStore,
  type KvPublishResult,
  type KvStoreResult,
  type RecoveryKvPublisher,
  type RecoveryStore,
} from '@orc/topology';
import type { Logger } from '../logging.js';
import { describeDecision, type AgreementDecision } from './failover-agreement.js';
import type { FollowerKv, FollowerOutcomes } from './follower-outcomes.js';
import type { KvOp, RecoveryOp } from './recovery-ops.js';

/** What the Raft recovery ports are built from. */
export interface RaftRecoveryParts {
  /** Proposes an op and resolves with this node's apply result. */
  readonly propose: (op: RecoveryOp) => Promise<unknown>;
  readonly backend: Backend;
  /** The processing node recorded on detections and recoveries. */
  readonly node: { readonly hostname: string; readonly token: string };
  /** The failover gate's decisions, written as a recovery's first step. */
  readonly decisions?: { decisionFor(key: string): AgreementDecision | undefined };
  /** The other voters, whose KV outcomes the leader waits for. */
  readonly followers: () => readonly string[];
  readonly outcomes: FollowerOutcomes;
  /** How long the leader waits for followers' KV outcomes (ms). */
  readonly followerBoundMs: number;
  readonly newId: () => string;
  /** Called after each KV write (the mode snapshots shortly after). */
  readonly afterKvWrite: () => void;
  /** Stamps each op (and the agreement step): every node writes the leader's time. */
  readonly wallNow: () => number;
  readonly logger: Logger;
}

/**
 * The engine's {@link RecoveryStore} over the Raft log.
 *
 * @example
 * const store = new RaftRecoveryStore(parts);
 * new RecoveryEngine({ store, kv: raftKvPort(parts), ... });
 */
export class RaftRecoveryStore implements RecoveryStore {
  readonly #p: RaftRecoveryParts;
  // Reads only: the switches every node applied through the log.
  readonly #local: BackendRecoveryStore;

  constructor(parts: RaftRecoveryParts) {
    this.#p = parts;
    this.#local = new BackendRecoveryStore(parts.backend, parts.node);
  }

  async registerDetection(
    ...args: Parameters<RecoveryStore['registerDetection']>
  ): ReturnType<RecoveryStore['registerDetection']> {
    return (await this.#p.propose({
      op: 'register-failure-detection',
      value: { node: this.#p.node, args },
      at: this.#p.wallNow(),
    })) as Awaited<ReturnType<RecoveryStore['registerDetection']>>;
  }

  async registerRecovery(
    ...args: Parameters<RecoveryStore['registerRecovery']>
  ): ReturnType<RecoveryStore['registerRecovery']> {
    const outcome = (await this.#p.propose({
      op: 'write-recovery',
      value: { node: this.#p.node, args },
      at: this.#p.wallNow(),
    })) as Awaited<ReturnType<RecoveryStore['registerRecovery']>>;
    const decision = this.#p.decisions?.decisionFor(args[0].key);
    if (outcome.registered && decision !== undefined && decision.isAgreed) {
      // Proposed before the engine's own steps, so it is the recovery's first line; not awaited,
      // so the agreement's record never delays the promotion.
      const step = { at: this.#p.wallNow(), elapsedMs: 0, name: 'agreement', message: describeDecision(decision) };
      void this.appendStep(outcome.uid, step).catch((err: unknown) =>
        this.#p.logger.warn('agreement step not recorded', { uid: outcome.uid, error: String(err) }),
      );
    }
    return outcome;
  }

  async appendStep(...args: Parameters<RecoveryStore['appendStep']>): Promise<void> {
    await this.#p.propose({ op: 'write-recovery-step', value: { args }, at: this.#p.wallNow() });
  }

  async resolve(...args: Parameters<RecoveryStore['resolve']>): Promise<void> {
    await this.#p.propose({ op: 'resolve-recovery', value: { args }, at: this.#p.wallNow() });
  }

  async acknowledge(...args: Parameters<RecoveryStore['acknowledge']>): Promise<number> {
    return (await this.#p.propose({
      op: 'ack-recovery',
      value: { node: this.#p.node, args },
      at: this.#p.wallNow(),
    })) as number;
  }

  isGlobalRecoveryDisabled(): Promise<boolean> {
    return this.#local.isGlobalRecoveryDisabled();
  }

  isClusterRecoveryDisabled(clusterName: string): Promise<boolean> {
    return this.#local.isClusterRecoveryDisabled(clusterName);
  }

  async beginDowntime(...args: Parameters<RecoveryStore['beginDowntime']>): Promise<void> {
    await this.#p.propose({ op: 'begin-downtime', value: { node: this.#p.node, args }, at: this.#p.wallNow() });
  }
}

/**
 * The engine's KV port over the log: `put-key-value` / `delete-key-value`, applied by every node
 * to its own stores. The result lists the leader's stores, then each follower's as
 * `<node> <store>`; a follower silent past the bound is listed as failed but does not make the
 * write fail (it applies the entry when it catches up).
 *
 * @example
 * const kv = raftKvPort(parts);
 * await kv.publishMaster({ alias: 'shop', host: 'db2', port: 3306 });
 */
export function raftKvPort(p: RaftRecoveryParts): RecoveryKvPublisher {
  const write = async (make: (id: string) => KvOp): Promise<KvPublishResult> => {
    const id = p.newId();
    const followers = p.outcomes.expect(id, p.followers(), p.followerBoundMs);
    let leader: KvPublishResult;
    try {
      leader = (await p.propose(make(id))) as KvPublishResult;
    } catch (err) {
      p.outcomes.cancel(id);
      throw err;
    }
    p.afterKvWrite();
    return withFollowers(leader, await followers, p.followerBoundMs);
  };
  return {
    publishMaster: (master) => write((id) => ({ op: 'put-key-value', value: { id, master: { ...master } } })),
    clearMaster: (alias) => write((id) => ({ op: 'delete-key-value', value: { id, alias } })),
  };
}

/**
 * A leader's KV result with the followers' stores appended.
 *
 * @example
 * withFollowers(leaderResult, [{ node: 'orc2:10008', stores: [{ store: 'zk', ok: true }] }], 1000);
 */
export function withFollowers(
  leader: KvPublishResult,
  followers: readonly FollowerKv[],
  boundMs: number,
): KvPublishResult {
  const stores: KvStoreResult[] = [...leader.stores];
  let ok = leader.ok;
  for (const f of followers) {
    if (f.stores === null) {
      stores.push({ store: f.node, ok: false, durationMs: boundMs, error: `no KV outcome within ${boundMs} ms` });
      continue;
    }
    for (const s of f.stores) {
      stores.push({
        store: `${f.node} ${s.store}`,
        ok: s.ok,
        durationMs: 0,
        ...(s.error === undefined ? {} : { error: s.error }),
      });
      if (!s.ok) ok = false;
    }
  }
  return { ok, stores };
}

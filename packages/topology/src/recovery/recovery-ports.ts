// The ports recovery acts through. The daemon routes the store's writes through Raft later; the
// KV publisher is @orc/kv's fan-out; hooks run in a shell. Each has an in-memory or no-op
// implementation for tests and for using the engine alone.
import type { InstanceKey } from '../instance/instance-key.js';
import type { HookKind } from './recovery-config.js';

/** A failure detection to register (orchestrator's `topology_failure_detection`). */
export interface DetectionInput {
  readonly key: InstanceKey;
  readonly analysis: string;
  readonly clusterName: string;
  readonly clusterAlias: string;
  readonly replicaKeys: readonly InstanceKey[];
  readonly isActionable: boolean;
}

/** A recovery to register (orchestrator's `topology_recovery`). */
export interface RecoveryInput {
  readonly uid: string;
  readonly key: InstanceKey;
  readonly analysis: string;
  readonly clusterName: string;
  readonly clusterAlias: string;
  readonly replicaKeys: readonly InstanceKey[];
  readonly detectionId: number;
}

/** What anti-flapping decided. */
export type RecoveryRegistrationOutcome =
  | { readonly registered: true; readonly uid: string }
  | { readonly registered: false; readonly blockedByUid: string | undefined };

/** One line of a recovery's step log. */
export interface RecoveryStep {
  /** Epoch ms. */
  readonly at: number;
  /** Ms since the recovery started (monotonic): the bench and README read where the time went from these. */
  readonly elapsedMs: number;
  readonly name: string;
  readonly message: string;
}

/** One KV store's part in publishing the new primary. */
export interface KvStoreResult {
  readonly store: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: string;
}

/** What publishing (or clearing) a cluster's KV entry did, store by store. */
export interface KvPublishResult {
  readonly ok: boolean;
  readonly stores: readonly KvStoreResult[];
}

/** How a recovery ended. */
export interface RecoveryResolution {
  /** `successful`: verified; `partial`: promoted and writable, but something after it failed; `failed`. */
  readonly status: 'successful' | 'partial' | 'failed';
  readonly successor: InstanceKey | null;
  readonly successorAlias: string;
  readonly lostReplicas: readonly InstanceKey[];
  readonly participatingInstances: readonly InstanceKey[];
  readonly errors: readonly string[];
  readonly kv: KvPublishResult | null;
}

/** Whose recoveries an acknowledgement covers. */
export type AcknowledgeTarget =
  { readonly uid: string } | { readonly key: InstanceKey } | { readonly clusterName: string } | { readonly all: true };

/**
 * Where every detection, recovery and step is recorded. @orc/backend's repositories back it
 * ({@link BackendRecoveryStore}); the daemon wraps it to route the writes through Raft.
 *
 * @example
 * const store = new InMemoryRecoveryStore(clock);
 * const r = await store.registerRecovery(input, { blockPeriodSeconds: 3600 });
 * if (!r.registered) console.warn('blocked by', r.blockedByUid);
 */
export interface RecoveryStore {
  /** Registers a detection unless one of this instance is active; `registered: false` then. */
  registerDetection(
    input: DetectionInput,
    options: { readonly blockPeriodMinutes: number },
  ): Promise<{ readonly registered: boolean; readonly id: number }>;
  /** Anti-flapping: refuses while a recovery of the cluster or instance is in its active period. `force` skips it. */
  registerRecovery(
    input: RecoveryInput,
    options: { readonly blockPeriodSeconds: number; readonly force?: boolean },
  ): Promise<RecoveryRegistrationOutcome>;
  appendStep(uid: string, step: RecoveryStep): Promise<void>;
  resolve(uid: string, resolution: RecoveryResolution): Promise<void>;
  /** Ends the active periods of the matching recoveries; returns how many. */
  acknowledge(target: AcknowledgeTarget, by: { readonly owner: string; readonly comment: string }): Promise<number>;
  isGlobalRecoveryDisabled(): Promise<boolean>;
  isClusterRecoveryDisabled(clusterName: string): Promise<boolean>;
  /** Downtimes a server (the failed primary and lost replicas, reason `lost-in-recovery`). */
  beginDowntime(key: InstanceKey, durationSeconds: number, reason: string): Promise<void>;
}

/** A cluster's primary for the KV layout. */
export interface KvMaster {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
}

/**
 * Publishes a cluster's primary to every KV store and says what each store did (implemented over
 * @orc/kv's fan-out by {@link kvPublisherPort}).
 *
 * @example
 * const result = await kv.publishMaster({ alias: 'shop', host: 'db2', port: 3306 });
 * result.stores.filter((s) => !s.ok); // the stores the reconciler will repair
 */
export interface RecoveryKvPublisher {
  publishMaster(master: KvMaster): Promise<KvPublishResult>;
  /** Deletes the cluster's entry (the optional fencing signal before promotion). */
  clearMaster(alias: string): Promise<KvPublishResult>;
}

/** What every hook of one recovery is told (orchestrator's placeholders). */
export interface HookContext {
  readonly failureType: string;
  readonly instanceType: string;
  readonly isMaster: boolean;
  readonly isCoMaster: boolean;
  readonly failureDescription: string;
  readonly command: string;
  readonly failedHost: string;
  readonly failedPort: number;
  readonly failureCluster: string;
  readonly failureClusterAlias: string;
  readonly failureClusterDomain: string;
  readonly countReplicas: number;
  readonly isDowntimed: boolean;
  readonly autoMasterRecovery: boolean;
  readonly autoIntermediateMasterRecovery: boolean;
  readonly orchestratorHost: string;
  readonly recoveryUID: string;
  readonly isSuccessful: boolean;
  readonly successorHost: string;
  readonly successorPort: number;
  readonly successorBinlogCoordinates: string;
  readonly successorAlias: string;
  readonly lostReplicas: readonly string[];
  readonly replicaHosts: readonly string[];
}

/** One hook command's outcome, for the audit. */
export interface HookCommandResult {
  readonly command: string;
  readonly isAsync: boolean;
  readonly exitCode: number | null;
  readonly isTimedOut: boolean;
  readonly output: string;
  readonly durationMs: number;
}

/** Runs a hook list. Pre* and OnFailureDetection lists stop at the first failure. */
export interface HookRunner {
  run(kind: HookKind, commands: readonly string[], context: HookContext): Promise<readonly HookCommandResult[]>;
}

/** A hook runner that runs nothing (the default). */
export const noopHookRunner: HookRunner = Object.freeze({ run: async () => [] });

/** A result row as mysql2 returns it. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** One bounded connection to a server, used by one recovery step at a time. */
export interface ServerSession {
  /** Runs one statement; rejects after `timeoutMs` (the connector's default when absent). */
  query(sql: string, timeoutMs?: number): Promise<SqlRow[]>;
  close(): Promise<void>;
}

/** Opens bounded connections (implemented over mysql2 by {@link Mysql2Connector}). */
export interface ServerConnector {
  open(key: InstanceKey): Promise<ServerSession>;
}

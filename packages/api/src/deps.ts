// What the routes read and call: small interfaces the daemon implements. The API holds no state
// of its own, so the same routes serve a single node, a shared backend or a Raft group.
import type {
  CandidateRule,
  ClusterInfo,
  Downtime,
  Instance,
  InstanceKey,
  Maintenance,
  RefactorOps,
  ReplicationAnalysis,
} from '@orc/topology';
import type { CommandBus } from './commands.js';
import type { Logger } from './logger.js';
import type { RecoveryOperations } from './recovery-port.js';

/** Read access to what orc knows. */
export interface OrcView {
  instances(): readonly Instance[];
  instance(key: InstanceKey): Instance | undefined;
  clusters(): Promise<readonly ClusterInfo[]>;
  analysis(): Promise<readonly ReplicationAnalysis[]>;
  downtimes(): Promise<readonly Downtime[]>;
  maintenance(): Promise<readonly (Maintenance & { readonly maintenanceKey: number })[]>;
  candidates(): Promise<readonly CandidateRule[]>;
  /** One page (newest first) of the audit log. */
  audit(page: number, key?: InstanceKey): Promise<readonly AuditLine[]>;
  /** Recent recoveries, newest first, in orchestrator's `TopologyRecovery` shape; `cluster`: a cluster name or alias. */
  recoveries(options: { page: number; cluster?: string; uid?: string }): Promise<readonly RecoveryLine[]>;
  /** The steps of one recovery, oldest first. */
  recoverySteps(uid: string): Promise<readonly RecoveryStepLine[]>;
  /** Whether automated recoveries are switched off (`disable-global-recoveries`). */
  globalRecoveriesDisabled(): Promise<boolean>;
  /** Whether one cluster's own switch is off (`disable-cluster-recoveries`), by cluster name. */
  clusterRecoveriesDisabled(clusterName: string): Promise<boolean>;
  /**
   * Recoveries refused by anti-flapping (`RecoveryPeriodBlockSeconds`), newest first, in
   * orchestrator's `BlockedTopologyRecovery` shape; `clusterName` narrows to one cluster. Absent:
   * `/api/blocked-recoveries` answers 501.
   */
  blockedRecoveries?(clusterName?: string): Promise<readonly BlockedRecoveryLine[]>;
  /** The tags of an instance, by name. */
  instanceTags(key: InstanceKey): Promise<readonly { readonly name: string; readonly value: string }[]>;
  /** The instances holding tag `name` (with `value`, when given). */
  taggedInstances(name: string, value?: string): Promise<readonly InstanceKey[]>;
  /** `DefaultInstancePort`, for keys given without a port. */
  readonly defaultPort: number;
  /** `InstancePollSeconds`, for "recently checked". */
  readonly pollSeconds: number;
}

/** One recovery refused by anti-flapping, in orchestrator's `BlockedTopologyRecovery` field names. */
export interface BlockedRecoveryLine {
  readonly FailedInstanceKey: { readonly Hostname: string; readonly Port: number };
  readonly ClusterName: string;
  readonly Analysis: string;
  readonly LastBlockedTimestamp: string;
  /** The `Id` of the recovery in the way, when still known. */
  readonly BlockingRecoveryId: number | null;
}

/** One audit row in orchestrator's JSON shape. */
export interface AuditLine {
  readonly AuditId: number;
  readonly AuditTimestamp: string;
  readonly AuditType: string;
  readonly AuditInstanceKey: { readonly Hostname: string; readonly Port: number };
  readonly Message: string;
}

/** One recovery in orchestrator's `TopologyRecovery` JSON field names. */
export interface RecoveryLine {
  readonly Id: number;
  readonly UID: string;
  readonly AnalysisEntry: {
    readonly AnalyzedInstanceKey: { readonly Hostname: string; readonly Port: number };
    readonly Analysis: string;
    readonly ClusterDetails: { readonly ClusterName: string; readonly ClusterAlias: string };
  };
  readonly SuccessorKey: { readonly Hostname: string; readonly Port: number } | null;
  readonly SuccessorAlias: string;
  readonly IsActive: boolean;
  readonly IsSuccessful: boolean;
  readonly LostReplicas: readonly string[];
  readonly ParticipatingInstanceKeys: readonly string[];
  readonly AllErrors: readonly string[];
  readonly RecoveryStartTimestamp: string;
  readonly RecoveryEndTimestamp: string;
  readonly ProcessingNodeHostname: string;
  readonly ProcessingNodeToken: string;
  readonly Acknowledged: boolean;
  readonly AcknowledgedAt: string;
  readonly AcknowledgedBy: string;
  readonly AcknowledgedComment: string;
  readonly LastDetectionId: number;
}

/** One step of a recovery (`audit-recovery-steps`). */
export interface RecoveryStepLine {
  readonly RecoveryStepId: number;
  readonly RecoveryUID: string;
  readonly AuditAt: string;
  readonly Message: string;
}

/** orchestrator's `HealthStatus` (the Details of /api/health and /api/status). */
export interface HealthStatus {
  readonly Healthy: boolean;
  readonly Hostname: string;
  readonly Token: string;
  readonly IsActiveNode: boolean;
  readonly ActiveNode: { readonly Hostname: string; readonly Token: string } | null;
  readonly Error: string | null;
  readonly AvailableNodes: readonly { readonly Hostname: string; readonly Token: string }[];
  readonly RaftLeader: string;
  readonly IsRaftLeader: boolean;
  readonly RaftLeaderURI: string;
  readonly RaftAdvertise: string;
  readonly RaftHealthyMembers: readonly string[] | null;
}

/** This node's part: is it up, ready, the active one. */
export interface NodeStatus {
  /** The process serves HTTP (always true once routes answer). */
  isLive(): boolean;
  /** Backend open and discovery running: may take traffic. */
  isReady(): boolean;
  /** The active node: raft leader or shared-backend lease holder (single node: always). */
  isActive(): boolean;
  health(): Promise<HealthStatus>;
}

/** Authentication as orchestrator's `AuthenticationMethod` keys configure it. */
export interface AuthSettings {
  readonly method: '' | 'basic' | 'multi' | 'proxy';
  readonly user: string;
  readonly password: string;
  readonly userHeader: string;
  readonly powerUsers: readonly string[];
}

/** Settings of the routes. */
export interface ApiOptions {
  readonly urlPrefix: string;
  readonly auth: AuthSettings;
  /** `ReadOnly`: refuse every mutation. */
  readonly readOnly: boolean;
  readonly statusEndpoint: string;
  /** Largest request body accepted, bytes. Default 65536. */
  readonly bodyLimit?: number;
  /** A request not fully received in this long gets 408. Default 30000. */
  readonly requestTimeoutMs?: number;
  /** The built web page's folder (apps/web/dist), served at `/web/`; absent: `/web/` is 404. */
  readonly webRoot?: string;
}

/** orchestrator's names for a member's role. */
export type RaftRoleName = 'Leader' | 'Follower' | 'Candidate' | 'Shutdown';

/** This node's part in a Raft group, for the raft routes and the reverse proxy. */
export interface RaftView {
  role(): RaftRoleName;
  /** A member in Leader or Follower role that knows its leader. */
  isHealthy(): boolean;
  /** The leader's Raft address, "" when none is known. */
  leader(): string;
  /** The leader's HTTP URL (replicated by the leader-uri op), "" when unknown. */
  leaderUri(): string;
  /** This node's own HTTP URL (`HTTPAdvertise`). */
  readonly selfUri: string;
  readonly bind: string;
  readonly advertise: string;
  peers(): readonly string[];
  snapshot(): Promise<void>;
  /** Publishes orchestrator's `yield` op: every node but `node` gives up leadership. */
  yieldTo(node: string): Promise<void>;
  /** Publishes `yield-hint`: leadership goes to a node whose address contains `hint`. */
  yieldHint(hint: string): Promise<void>;
  addPeer(address: string): Promise<void>;
  removePeer(address: string): Promise<void>;
}

/**
 * The manual refactoring operations on MySQL (@orc/topology's {@link RefactorOps}, built by the
 * daemon with its connector). Refusals are TopologyErrors, mapped to statuses by errors.ts.
 *
 * @example
 * const refactor: RefactorPort = new RefactorOps({ connector, clock, topology });
 */
export type RefactorPort = Pick<
  RefactorOps,
  | 'relocate'
  | 'moveUp'
  | 'takeMaster'
  | 'repoint'
  | 'setReadOnly'
  | 'setWriteable'
  | 'startReplica'
  | 'stopReplica'
  | 'detachReplica'
  | 'reattachReplica'
>;

/** What the reconciler last found in one store (`lastCheck` absent: not compared by this node yet). */
export interface KvStoreState {
  /** The store's name, unique among the configured stores (`internal`, `zookeeper`, `etcd`, ...). */
  readonly name: string;
  readonly kind: string;
  /** `desired`: orc's internal store, the state the others are compared with; never reconciled. */
  readonly role: 'desired' | 'reconciled';
  /** The reconciler's view: `down` until a probe answers again. */
  readonly state: 'healthy' | 'down';
  /** Consecutive failed writes or comparisons (0 when healthy). */
  readonly failures: number;
  readonly lastCheck?: {
    /** Epoch ms the comparison ended. */
    readonly at: number;
    readonly ok: boolean;
    /** Pairs missing or different that it wrote back. */
    readonly written: number;
    readonly error?: string;
  };
}

/** This node's last fan-out write of a key to one store. */
export interface KvWriteRecord {
  /** Epoch ms the store answered. */
  readonly at: number;
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * This node's KV stores, read for `/api/kv-status` (orc's own route: orchestrator has none). The
 * daemon implements it over its fan-out and reconciler.
 *
 * @example
 * const value = (await kv.read('zookeeper', `${kv.prefix}shop`)).value; // 'db2:3306'
 */
export interface KvStatusSource {
  /** Normalized `KVClusterMasterPrefix` (`mysql/master/`): a cluster's key is this and its alias. */
  readonly prefix: string;
  /** Every configured store, the internal (desired) one first. */
  stores(): readonly KvStoreState[];
  /** Reads `key` from `store` now, bounded in time; rejects with the store's error. */
  read(store: string, key: string): Promise<{ readonly value: string | undefined; readonly at: number }>;
  /** This node's last fan-out write of `key` to `store` since it started, if any. */
  lastWrite(store: string, key: string): KvWriteRecord | undefined;
}

/** Everything {@link buildApi} needs. */
export interface ApiDeps {
  readonly view: OrcView;
  readonly commands: CommandBus;
  readonly node: NodeStatus;
  /** Raft mode: the raft routes answer and followers proxy mutations to the leader. */
  readonly raft?: RaftView;
  /** How the proxy reaches the leader (tests pass a fake). Default: global fetch. */
  readonly proxyFetch?: typeof fetch;
  readonly options: ApiOptions;
  readonly logger?: Logger;
  /** Manual recoveries and takeovers (`/api/recover`, `/api/graceful-master-takeover`, ...); absent: 501. */
  readonly recovery?: RecoveryOperations;
  /** The KV stores' status (`/api/kv-status`); absent: the route answers 404. */
  readonly kvStatus?: KvStatusSource;
  /** Re-reads the config file (`/api/reload-configuration`); absent: not supported. */
  readonly reloadConfiguration?: () => Promise<void>;
  /** Removes secrets from a text before it is sent (a library's error message). */
  readonly scrub?: (text: string) => string;
  /** Called after each response (metrics). `route` is the pattern, not the URL. */
  readonly onResponse?: (route: string, method: string, status: number, ms: number) => void;
  /** relocate, move-up, take-master, ... on MySQL; absent: those routes answer 503. */
  readonly refactor?: RefactorPort;
}

// The public configuration of a Raft node, in milliseconds, validated once with every problem
// reported with its path; translated into the core's tick-based configuration.
import { fieldReader } from '../core/config-fields.js';
import type { NodeId } from '../core/types.js';
import { RaftError, type RaftErrorDetail } from '../errors.js';

/** What a caller may give to `Raft.create` as `config`; every field but `id` has a default. */
export interface RaftConfigInput {
  /** This node's id, unique in the group. */
  readonly id: string;
  /** Addresses of the servers this node knows at start (id → address), itself included or not. */
  readonly peers?: Readonly<Record<string, string>>;
  /**
   * When the stores hold no state yet: start as a group whose voters are this node and every
   * node of `peers`. Every initial member must be given the same set. Default true. A node that
   * joins an existing group later (addVoter / addNonVoter) sets false.
   */
  readonly bootstrap?: boolean;
  /** The core's clock granularity. Default 10 ms. */
  readonly tickMs?: number;
  /** A leader sends heartbeats this often. Default 50 ms. */
  readonly heartbeatMs?: number;
  /** Followers campaign after a random silence in [electionTimeoutMs, 2 × electionTimeoutMs). Default 300 ms. */
  readonly electionTimeoutMs?: number;
  /** Pre-vote: a node returning from a partition cannot depose a healthy leader. Default true. */
  readonly preVote?: boolean;
  /** A leader that cannot reach a quorum for an election timeout steps down. Default true. */
  readonly checkQuorum?: boolean;
  /** Serve linearizable reads from the leader's lease, without a heartbeat round. Default false. */
  readonly leaseRead?: boolean;
  /** Take a snapshot once this many entries were applied since the last one; 0 disables. Default 8192. */
  readonly snapshotThreshold?: number;
  /** Entries kept in the log behind a snapshot, for followers slightly behind. Default 1024. */
  readonly snapshotTrailing?: number;
  /** Bytes per InstallSnapshot chunk. Default 1 MiB. */
  readonly snapshotChunkBytes?: number;
  /** Default timeout of `apply`, `barrier`, membership changes. Default 10000 ms. */
  readonly applyTimeoutMs?: number;
  /**
   * Most log entries held (in memory) before new proposals are refused with LOG_FULL and a
   * follower stops taking new entries: reached only when snapshots keep failing. Default twice
   * the usual peak, 2 × (2 × snapshotThreshold + snapshotTrailing); 0 (the default when
   * snapshotThreshold is 0) for no bound.
   */
  readonly maxLogEntries?: number;
  /** Most entry bytes in one append message. Default 1 MiB. */
  readonly maxAppendBytes?: number;
  /** Append messages in flight per follower. Default 256. */
  readonly maxInflightAppends?: number;
}

/** A validated configuration with every default filled in (frozen). */
export interface RaftConfig {
  readonly id: NodeId;
  readonly peers: Readonly<Record<string, string>>;
  readonly bootstrap: boolean;
  readonly tickMs: number;
  readonly heartbeatMs: number;
  readonly electionTimeoutMs: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly leaseRead: boolean;
  readonly snapshotThreshold: number;
  readonly snapshotTrailing: number;
  readonly snapshotChunkBytes: number;
  readonly applyTimeoutMs: number;
  readonly maxLogEntries: number;
  readonly maxAppendBytes: number;
  readonly maxInflightAppends: number;
}

const KNOWN = new Set([
  'id',
  'peers',
  'bootstrap',
  'tickMs',
  'heartbeatMs',
  'electionTimeoutMs',
  'preVote',
  'checkQuorum',
  'leaseRead',
  'snapshotThreshold',
  'snapshotTrailing',
  'snapshotChunkBytes',
  'applyTimeoutMs',
  'maxLogEntries',
  'maxAppendBytes',
  'maxInflightAppends',
]);

/**
 * Fills defaults and checks every field and the fields against each other (heartbeat below the
 * election timeout, tick dividing both, ...). Throws one `RaftError('INVALID_CONFIG')` whose
 * `details` lists every problem with its path.
 *
 * @example
 * ```ts
 * const config = validateRaftConfig({ id: 'a', peers: { b: '127.0.0.1:7002', c: '127.0.0.1:7003' } });
 * ```
 */
export function validateRaftConfig(input: RaftConfigInput): RaftConfig {
  const details: RaftErrorDetail[] = [];
  const bad = (path: string, message: string): void => {
    details.push({ path, message });
  };
  if (typeof input !== 'object' || input === null) {
    throw new RaftError('INVALID_CONFIG', 'invalid raft config: config must be an object', {
      details: [{ path: '', message: 'must be an object' }],
    });
  }
  const raw = input as unknown as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!KNOWN.has(k)) bad(k, 'is not a known option');
  if (typeof raw['id'] !== 'string' || raw['id'].length === 0) bad('id', 'must be a non-empty string');
  const { num, bool } = fieldReader(raw, bad);
  const int = (key: string, dflt: number, min: number): number =>
    num(
      key,
      dflt,
      (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min,
      `an integer >= ${min}`,
    );
  const peers: Record<string, string> = {};
  const rawPeers = raw['peers'];
  if (rawPeers !== undefined) {
    if (typeof rawPeers !== 'object' || rawPeers === null || Array.isArray(rawPeers))
      bad('peers', 'must be an object of id → address');
    else
      for (const [id, addr] of Object.entries(rawPeers)) {
        if (typeof addr !== 'string' || addr.length === 0) bad(`peers.${id}`, 'must be a non-empty address string');
        else peers[id] = addr;
      }
  }
  const tickMs = int('tickMs', 10, 1);
  const heartbeatMs = int('heartbeatMs', 50, 1);
  const electionTimeoutMs = int('electionTimeoutMs', 300, 1);
  const checkQuorum = bool('checkQuorum', true);
  const leaseRead = bool('leaseRead', false);
  const snapshotThreshold = int('snapshotThreshold', 8192, 0);
  const snapshotTrailing = int('snapshotTrailing', 1024, 0);
  if (heartbeatMs >= electionTimeoutMs)
    bad('heartbeatMs', `must be less than electionTimeoutMs (${electionTimeoutMs})`);
  if (tickMs > heartbeatMs) bad('tickMs', `must be at most heartbeatMs (${heartbeatMs})`);
  if (heartbeatMs % tickMs !== 0) bad('heartbeatMs', `must be a multiple of tickMs (${tickMs})`);
  if (electionTimeoutMs % tickMs !== 0) bad('electionTimeoutMs', `must be a multiple of tickMs (${tickMs})`);
  if (leaseRead && !checkQuorum) bad('leaseRead', 'requires checkQuorum');
  const bootstrap = bool('bootstrap', true);
  const config: RaftConfig = {
    id: raw['id'] as NodeId,
    peers: Object.freeze(peers),
    bootstrap,
    tickMs,
    heartbeatMs,
    electionTimeoutMs,
    preVote: bool('preVote', true),
    checkQuorum,
    leaseRead,
    snapshotThreshold,
    snapshotTrailing,
    snapshotChunkBytes: int('snapshotChunkBytes', 1 << 20, 1),
    applyTimeoutMs: int('applyTimeoutMs', 10_000, 1),
    maxLogEntries: int(
      'maxLogEntries',
      snapshotThreshold === 0 ? 0 : 2 * (2 * snapshotThreshold + snapshotTrailing),
      0,
    ),
    maxAppendBytes: int('maxAppendBytes', 1 << 20, 1),
    maxInflightAppends: int('maxInflightAppends', 256, 1),
  };
  if (details.length > 0) {
    throw new RaftError(
      'INVALID_CONFIG',
      `invalid raft config: ${details.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { details },
    );
  }
  return Object.freeze(config);
}

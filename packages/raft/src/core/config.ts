// The core's configuration: validated once, every problem reported at once with its path.
import { fieldReader } from './config-fields.js';
import { RaftError, type RaftErrorDetail } from '../errors.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import type { NodeId } from './types.js';

/** What a caller may give; every field but `id` has a default. */
export interface RaftCoreConfigInput {
  /** This node's id. */
  readonly id: NodeId;
  /**
   * Election timeouts are drawn uniformly from [electionTickMin, electionTickMax) ticks, anew at
   * every term change. Default 10 and 20. `electionTickMin` is also the check-quorum period and
   * the length of the leader lease.
   */
  readonly electionTickMin?: number;
  readonly electionTickMax?: number;
  /** A leader sends heartbeats every this many ticks. Default 1; must be below electionTickMin. */
  readonly heartbeatTick?: number;
  /** Run a pre-vote round before campaigning (a returning partitioned node cannot depose a leader). Default true. */
  readonly preVote?: boolean;
  /** A leader that has not heard from a quorum within `electionTickMin` ticks steps down. Default true. */
  readonly checkQuorum?: boolean;
  /**
   * Serve ReadIndex requests on the leader without a heartbeat round while its lease holds.
   * Requires checkQuorum, and clocks whose rates differ by less than electionTickMin/electionTickMax
   * allows. Default false.
   */
  readonly leaseRead?: boolean;
  /** Upper bound of entry bytes in one append message (at least one entry is always sent). Default 1 MiB. */
  readonly maxSizePerMsg?: number;
  /** Append messages in flight to one follower in the replicate state. Default 256. */
  readonly maxInflightMsgs?: number;
  /** Bytes of proposed but uncommitted entry data the leader accepts; 0 for no limit. Default 0. */
  readonly maxUncommittedSize?: number;
  /** Upper bound of entry bytes in one Ready's committedEntries (at least one entry). Default 4 MiB. */
  readonly maxCommittedSizePerReady?: number;
  /** The index the state machine has applied up to, on restart. Default: the snapshot's index. */
  readonly applied?: number;
  /** Structured logger; default drops everything. */
  readonly logger?: Logger;
}

/** A validated configuration with every default filled in. */
export interface RaftCoreConfig {
  readonly id: NodeId;
  readonly electionTickMin: number;
  readonly electionTickMax: number;
  readonly heartbeatTick: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly leaseRead: boolean;
  readonly maxSizePerMsg: number;
  readonly maxInflightMsgs: number;
  readonly maxUncommittedSize: number;
  readonly maxCommittedSizePerReady: number;
  readonly applied: number | null;
  readonly logger: Logger;
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Fills defaults and checks every field, and the fields against each other. Throws one
 * `RaftError('INVALID_CONFIG')` whose `details` lists every problem with its path.
 *
 * @example
 * ```ts
 * const config = validateRaftCoreConfig({ id: nodeId('a'), electionTickMin: 10, electionTickMax: 20 });
 * ```
 */
export function validateRaftCoreConfig(input: RaftCoreConfigInput): RaftCoreConfig {
  const details: RaftErrorDetail[] = [];
  const bad = (path: string, message: string): void => {
    details.push({ path, message });
  };
  const raw = (input ?? {}) as Partial<Record<keyof RaftCoreConfigInput, unknown>>;
  if (typeof raw.id !== 'string' || raw.id.length === 0) bad('id', 'must be a non-empty string');
  const { num, bool } = fieldReader(raw, bad);
  const electionTickMin = num('electionTickMin', 10, isPosInt, 'a positive integer');
  const electionTickMax = num('electionTickMax', 2 * electionTickMin, isPosInt, 'a positive integer');
  const heartbeatTick = num('heartbeatTick', 1, isPosInt, 'a positive integer');
  const checkQuorum = bool('checkQuorum', true);
  const leaseRead = bool('leaseRead', false);
  if (electionTickMax <= electionTickMin) bad('electionTickMax', 'must be greater than electionTickMin');
  if (heartbeatTick >= electionTickMin) bad('heartbeatTick', 'must be less than electionTickMin');
  if (leaseRead && !checkQuorum)
    bad('leaseRead', 'requires checkQuorum: a lease is only safe when a leader without a quorum steps down');
  const applied = raw.applied === undefined ? null : num('applied', 0, isNonNegInt, 'a non-negative integer');
  const logger = raw.logger === undefined ? noopLogger : (raw.logger as Logger);
  if (raw.logger !== undefined && (typeof raw.logger !== 'object' || raw.logger === null))
    bad('logger', 'must be a logger object');
  const config: RaftCoreConfig = {
    id: raw.id as NodeId,
    electionTickMin,
    electionTickMax,
    heartbeatTick,
    preVote: bool('preVote', true),
    checkQuorum,
    leaseRead,
    maxSizePerMsg: num('maxSizePerMsg', 1 << 20, isPosInt, 'a positive integer'),
    maxInflightMsgs: num('maxInflightMsgs', 256, isPosInt, 'a positive integer'),
    maxUncommittedSize: num('maxUncommittedSize', 0, isNonNegInt, 'a non-negative integer'),
    maxCommittedSizePerReady: num('maxCommittedSizePerReady', 4 << 20, isPosInt, 'a positive integer'),
    applied,
    logger,
  };
  if (details.length > 0) {
    const summary = details.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new RaftError('INVALID_CONFIG', `invalid raft core config: ${summary}`, { details });
  }
  return Object.freeze(config);
}

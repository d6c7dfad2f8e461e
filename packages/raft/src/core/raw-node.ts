// RawNode: the driver-facing face of the pure core. Inputs are method calls (tick, step,
// propose, ...); outputs are collected into a Ready that the driver persists, sends and applies,
// then acknowledges with advance. See README.md in this folder for the contract.
import { RaftError } from '../errors.js';
import type { RandomSource } from '../ports.js';
import type { RaftCoreConfigInput } from './config.js';
import { validateRaftCoreConfig } from './config.js';
import type { ConfChange } from './conf-change.js';
import { applyConfChange, confChangeProblem, encodeConfChange } from './conf-change.js';
import type { Message } from './messages.js';
import { messageTypes } from './messages.js';
import { RaftCore } from './raft-core.js';
import { handleReadRequest, onCommitAdvanced } from './raft-reads.js';
import {
  bcastAppend,
  bcastHeartbeat,
  stepDownAfterRemoval,
  stepLeader,
  tickHeartbeat,
  transferLeadership,
} from './raft-leader.js';
import { stepCandidate, tickElection } from './raft-candidate.js';
import { stepFollower, stepMessage } from './raft-follower.js';
import type { PeerProgress, ProposeResult, RaftRole, RaftStatus, Ready, SoftState } from './ready-types.js';
import type { RaftStorage } from './storage.js';
import { entriesSize } from './storage.js';
import type { HardState, NodeId, Term } from './types.js';
import { EntryType, logIndex, term as toTerm } from './types.js';

const roles = Object.freeze({
  follower: stepFollower,
  candidate: stepCandidate,
  leader: stepLeader,
  tickElection,
  tickHeartbeat,
  bcastAppend,
  onCommitAdvanced,
  stepDownAfterRemoval,
});

const knownTypes: ReadonlySet<string> = new Set(messageTypes);

/** The result of `transferLeader`. */
export type TransferResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'notLeader' | 'notVoter'; readonly leader: NodeId | null };

/**
 * A Raft node's pure state machine. Synchronous and deterministic: it reads the durable log
 * through `storage`, draws election timeouts from `random`, and never performs I/O. The driver
 * feeds it ticks, messages and requests, and drains `ready()`.
 *
 * @example
 * ```ts
 * const node = new RawNode({ id: nodeId('a') }, storage, Math.random);
 * node.campaign();
 * while (node.hasReady()) {
 *   const rd = node.ready();
 *   storage.append(rd.entries); // after making them durable
 *   if (rd.hardState) storage.setHardState(rd.hardState);
 *   for (const m of rd.messages) transport.send(m.to, encode(m));
 *   for (const e of rd.committedEntries) stateMachine.apply(e);
 *   node.advance(rd);
 * }
 * ```
 */
export class RawNode {
  readonly #r: RaftCore;
  #prevSoft: SoftState;
  #prevHard: HardState;
  #outstanding: Ready | null = null;

  constructor(config: RaftCoreConfigInput, storage: RaftStorage, random: RandomSource) {
    if (typeof random !== 'function')
      throw new RaftError('INVALID_ARGUMENT', 'RawNode: random must be a function returning [0, 1)');
    if (storage === null || typeof storage !== 'object')
      throw new RaftError('INVALID_ARGUMENT', 'RawNode: storage is required');
    const cfg = validateRaftCoreConfig(config);
    try {
      this.#r = new RaftCore(cfg, storage, random, roles);
    } catch (err) {
      throw new RaftError('STORAGE', 'RawNode: the restored state is inconsistent', { cause: err });
    }
    this.#prevSoft = this.#softState();
    this.#prevHard = this.#hardState();
  }

  /** This node's id. */
  get id(): NodeId {
    return this.#r.id;
  }

  /** This node's role now (cheaper than `status()`). */
  get role(): RaftRole {
    return this.#r.role;
  }

  /** This node's current term. */
  get term(): Term {
    return toTerm(this.#r.term);
  }

  /** The leader this node knows of in its current term, or null. */
  get leader(): NodeId | null {
    return this.#r.lead;
  }

  /** Advances logical time by one tick (elections, heartbeats, check-quorum, lease). */
  tick(): void {
    this.#r.ticks++;
    this.#r.tickFn(this.#r);
  }

  /**
   * Feeds a message received from a peer. Messages for another node are ignored; a message of
   * unknown type is refused with a PROTOCOL error (the transport should have rejected it).
   */
  step(msg: Message): void {
    if (msg === null || typeof msg !== 'object' || !knownTypes.has((msg as { type?: unknown }).type as string)) {
      throw new RaftError(
        'PROTOCOL',
        `RawNode.step: unknown message type ${JSON.stringify((msg as { type?: unknown } | null)?.type)}`,
      );
    }
    if (msg.to !== this.#r.id || msg.from === this.#r.id) return;
    stepMessage(this.#r, msg);
  }

  /** Starts an election now (with a pre-vote round first when preVote is on). No-op for a leader or a non-voter. */
  campaign(): void {
    this.#r.hup('election');
  }

  /** Proposes a command. Only a leader accepts; the result says where it went or why not. */
  propose(data: Uint8Array): ProposeResult {
    if (!(data instanceof Uint8Array))
      throw new RaftError('INVALID_ARGUMENT', 'RawNode.propose: data must be a Uint8Array');
    const refused = this.#refuseProposal();
    if (refused !== null) return refused;
    const r = this.#r;
    const limit = r.cfg.maxUncommittedSize;
    if (limit > 0 && r.uncommittedSize > 0 && r.uncommittedSize + data.length > limit) {
      return {
        ok: false,
        reason: 'uncommittedLimit',
        leader: r.id,
        detail: `more than ${limit} bytes are uncommitted`,
      };
    }
    r.uncommittedSize += data.length;
    return this.#append(EntryType.Command, data);
  }

  /**
   * Proposes a single-server membership change. Refused while an earlier change is not yet
   * applied, or when it makes no sense for the current configuration.
   */
  proposeConfChange(cc: ConfChange): ProposeResult {
    if (cc === null || typeof cc !== 'object' || typeof cc.node !== 'string' || cc.node.length === 0) {
      throw new RaftError('INVALID_ARGUMENT', 'RawNode.proposeConfChange: cc.node must be a non-empty string');
    }
    const refused = this.#refuseProposal();
    if (refused !== null) return refused;
    const r = this.#r;
    if (r.pendingConfIndex > r.log.applied) {
      return {
        ok: false,
        reason: 'confChangePending',
        leader: r.id,
        detail: `the change at ${r.pendingConfIndex} is not applied yet`,
      };
    }
    const problem = confChangeProblem(r.conf, cc);
    if (problem !== null) return { ok: false, reason: 'invalidConfChange', leader: r.id, detail: problem };
    const context = cc.context ?? new Uint8Array(0);
    const result = applyConfChange(r.conf, cc);
    const res = this.#append(EntryType.ConfChange, encodeConfChange({ type: cc.type, node: cc.node, context, result }));
    if (res.ok) r.pendingConfIndex = res.index;
    return res;
  }

  /**
   * Requests a linearizable read. Its outcome arrives as a ReadState (with this `context`) in a
   * later Ready: serve the read once the state machine has applied up to its index.
   */
  readIndex(context: Uint8Array): void {
    const r = this.#r;
    if (r.role === 'leader') handleReadRequest(r, context, r.id);
    else if (r.lead !== null) r.send({ type: 'readIndex', to: r.lead, context });
    else r.readStates.push({ context, index: null });
  }

  /** Leader: hands leadership to `to` once it has caught up. Proposals are refused meanwhile. */
  transferLeader(to: NodeId): TransferResult {
    const r = this.#r;
    if (r.role !== 'leader') return { ok: false, reason: 'notLeader', leader: r.lead };
    if (to === r.id) return { ok: true };
    if (!r.isVoter(to)) return { ok: false, reason: 'notVoter', leader: r.id };
    transferLeadership(r, to);
    return { ok: true };
  }

  /** The transport could not reach `id`: stop pipelining to it and probe instead. */
  reportUnreachable(id: NodeId): void {
    const pr = this.#r.role === 'leader' ? this.#r.prs.get(id) : undefined;
    if (pr?.state === 'replicate') pr.becomeProbe();
  }

  /**
   * The driver could not send a snapshot chunk to `id` (`ok` false: e.g. the snapshot was
   * pruned, or the transport failed); the leader restarts the transfer after the next heartbeat.
   * `ok` true is accepted for symmetry and changes nothing: the follower's answer drives the transfer.
   */
  reportSnapshot(id: NodeId, ok: boolean): void {
    const pr = this.#r.role === 'leader' ? this.#r.prs.get(id) : undefined;
    if (pr?.state !== 'snapshot' || ok) return;
    pr.becomeProbe(false);
    pr.probeSent = true;
  }

  /** Whether `ready()` has anything to hand out (false while a Ready is not yet advanced). */
  hasReady(): boolean {
    if (this.#outstanding !== null) return false;
    const r = this.#r;
    this.#flush();
    const u = r.log.unstable;
    return (
      r.msgs.length > 0 ||
      u.entries.length > 0 ||
      u.snapshot !== null ||
      r.snapshotChunks.length > 0 ||
      r.readStates.length > 0 ||
      r.confChanged ||
      r.log.hasNextCommitted() ||
      !sameSoft(this.#softState(), this.#prevSoft) ||
      !sameHard(this.#hardState(), this.#prevHard)
    );
  }

  /** Collects the next batch of work. Call `advance(ready)` when it is done before asking again. */
  ready(): Ready {
    if (this.#outstanding !== null)
      throw new RaftError('INVALID_ARGUMENT', 'RawNode.ready: the previous Ready was not advanced');
    const r = this.#r;
    this.#flush();
    const committedEntries = r.log.nextCommitted(r.cfg.maxCommittedSizePerReady);
    for (const e of committedEntries) {
      if (e.type === EntryType.ConfChange) r.applyConfChange(e.data);
    }
    if (r.role === 'leader') r.uncommittedSize = Math.max(0, r.uncommittedSize - entriesSize(committedEntries));
    this.#flush();
    const soft = this.#softState();
    const hard = this.#hardState();
    const u = r.log.unstable;
    const entries = [...u.entries];
    const hardChanged = !sameHard(hard, this.#prevHard);
    const rd: Ready = {
      softState: sameSoft(soft, this.#prevSoft) ? null : soft,
      hardState: hardChanged ? hard : null,
      snapshotChunks: r.snapshotChunks,
      snapshot: u.snapshot,
      entries,
      messages: r.msgs,
      committedEntries,
      readStates: r.readStates,
      confState: r.confChanged ? r.appliedConf : null,
      mustSync:
        entries.length > 0 ||
        u.snapshot !== null ||
        (hardChanged && (hard.term !== this.#prevHard.term || hard.vote !== this.#prevHard.vote)),
    };
    r.msgs = [];
    r.snapshotChunks = [];
    r.readStates = [];
    r.confChanged = false;
    this.#prevSoft = soft;
    this.#prevHard = hard;
    this.#outstanding = rd;
    return rd;
  }

  /**
   * Acknowledges that `rd` was processed: its entries, hard state and snapshot are durable and
   * reflected in the storage, its messages sent, its committed entries applied.
   */
  advance(rd: Ready): void {
    if (rd !== this.#outstanding)
      throw new RaftError('INVALID_ARGUMENT', 'RawNode.advance: not the Ready last returned by ready()');
    const r = this.#r;
    if (rd.snapshot !== null) {
      if (r.log.storage.snapshot()?.index !== rd.snapshot.index) {
        throw new RaftError(
          'STORAGE',
          `RawNode.advance: storage does not show the installed snapshot at ${rd.snapshot.index}`,
        );
      }
      r.log.unstable.stableSnapTo(rd.snapshot.index);
    }
    const last = rd.entries[rd.entries.length - 1];
    if (last !== undefined) {
      if (r.log.storage.term(last.index) !== last.term) {
        throw new RaftError('STORAGE', `RawNode.advance: storage does not hold entry ${last.index} of the Ready`);
      }
      r.log.stableTo(last.index, last.term);
    }
    const lastApplied = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastApplied !== undefined) r.log.applied = Math.max(r.log.applied, lastApplied.index);
    this.#outstanding = null;
  }

  /** A copy of the node's state, for status pages and tests. */
  status(): RaftStatus {
    const r = this.#r;
    const progress = new Map<NodeId, PeerProgress>();
    for (const [id, pr] of r.prs) {
      progress.set(id, {
        match: logIndex(pr.match),
        next: logIndex(pr.next),
        state: pr.state,
        isLearner: pr.isLearner,
        recentActive: pr.recentActive,
      });
    }
    return {
      id: r.id,
      term: toTerm(r.term),
      vote: r.vote,
      lead: r.lead,
      role: r.role,
      commit: logIndex(r.log.committed),
      applied: logIndex(r.log.applied),
      lastIndex: logIndex(r.log.lastIndex()),
      conf: r.conf,
      leadTransferee: r.leadTransferee,
      progress,
    };
  }

  #refuseProposal(): ProposeResult | null {
    const r = this.#r;
    if (r.role !== 'leader')
      return { ok: false, reason: 'notLeader', leader: r.lead, detail: 'this node is not the leader' };
    if (r.leadTransferee !== null) {
      return {
        ok: false,
        reason: 'transferring',
        leader: r.id,
        detail: `leadership is being transferred to ${r.leadTransferee}`,
      };
    }
    return null;
  }

  #append(type: EntryType, data: Uint8Array): ProposeResult {
    const r = this.#r;
    const [e] = r.appendEntries([{ type, data }]);
    if (e === undefined) throw new Error('raft: append produced no entry');
    r.appendPending = true;
    return { ok: true, index: e.index, term: e.term };
  }

  /** Sends what requests batched since the last Ready: appends for new proposals, a read round. */
  #flush(): void {
    const r = this.#r;
    if (r.role !== 'leader') {
      r.appendPending = false;
      r.readRoundNeeded = false;
      return;
    }
    if (r.appendPending) {
      r.appendPending = false;
      bcastAppend(r, false);
    }
    if (r.readRoundNeeded) bcastHeartbeat(r);
  }

  #softState(): SoftState {
    return { lead: this.#r.lead, role: this.#r.role, term: toTerm(this.#r.term) };
  }

  #hardState(): HardState {
    const r = this.#r;
    return { term: toTerm(r.term), vote: r.vote, commit: logIndex(r.log.committed) };
  }
}

function sameSoft(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role && a.term === b.term;
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

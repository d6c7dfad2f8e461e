// RaftCore, the Raft state machine: terms, roles and the transitions between them, and the
// message plumbing every role shares. Role behaviour lives in step functions swapped on each
// transition (raft-leader.ts, raft-candidate.ts, raft-follower.ts). Internal to the core:
// drivers use RawNode; `Raft` (src/raft.ts) is the node.
import type { RaftCoreConfig } from './config.js';
import { nextConf } from './conf-change.js';
import type { Message } from './messages.js';
import { Progress } from './progress.js';
import { quorumIndexInPlace, voteResult } from './quorum.js';
import { RaftLog } from './raft-log.js';
import { failPendingReads } from './raft-reads.js';
import type { IncomingSnapshotChunk, RaftRole, ReadState } from './ready-types.js';
import type { RaftStorage } from './storage.js';
import type { ConfState, Entry, NodeId, SnapshotMeta } from './types.js';
import { EntryType, logIndex, term as toTerm } from './types.js';
import type { RandomSource } from '../ports.js';

/** Distributes Omit over a union so each message variant keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message before `from` (and possibly `term`) are stamped by `send`. */
export type Outgoing = DistributiveOmit<Message, 'from' | 'term'> & { term?: number };

/** How a campaign starts: a pre-vote round, a real election, or one forced by leadership transfer. */
export type CampaignKind = 'preElection' | 'election' | 'transfer';

/** A read waiting for its heartbeat round (leader) or for a commit in the leader's term. */
export interface PendingRead {
  readonly round: number;
  readonly index: number;
  readonly context: Uint8Array;
  readonly from: NodeId;
}

/** A snapshot being received: which one, and the next byte offset expected. */
export interface IncomingSnapshot {
  readonly index: number;
  readonly term: number;
  nextOffset: number;
}

export type StepFn = (r: RaftCore, m: Message) => void;
export type TickFn = (r: RaftCore) => void;

export class RaftCore {
  readonly cfg: RaftCoreConfig;
  readonly id: NodeId;
  readonly log: RaftLog;
  readonly #rand: RandomSource;

  term = 0;
  vote: NodeId | null = null;
  lead: NodeId | null = null;
  role: RaftRole = 'follower';
  /** The membership as of the entries handed to the driver (reported in Ready.confState). */
  appliedConf: ConfState;
  /** The configuration the leader's progress map was last built for. */
  #prsConf: ConfState | null = null;
  /** Reused by maybeCommit, which runs on every proposal and acknowledgement. */
  readonly #matchScratch: number[] = [];
  /** Leader only: progress of every member, self included. */
  prs = new Map<NodeId, Progress>();
  votes = new Map<NodeId, boolean>();
  msgs: Message[] = [];

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  /** Ticks since this core was built: the leader lease is measured in it. */
  ticks = 0;

  leadTransferee: NodeId | null = null;
  pendingConfIndex = 0;
  uncommittedSize = 0;
  /** Proposals were appended since the last flush: send appends at the next Ready (batching). */
  appendPending = false;

  // ReadIndex machinery (leader).
  readRound = 0;
  readRoundNeeded = false;
  readonly roundTick = new Map<number, number>();
  readonly ackedRound = new Map<NodeId, number>();
  pendingReads: PendingRead[] = [];
  readsAwaitingCommit: { context: Uint8Array; from: NodeId }[] = [];
  readStates: ReadState[] = [];
  /** A timeoutNow was sent in this term: lease reads are off until the next term. */
  leaseBroken = false;

  // Snapshot reception (follower).
  incoming: IncomingSnapshot | null = null;
  snapshotChunks: IncomingSnapshotChunk[] = [];

  /** Set when a committed ConfChange was applied; reported once in the next Ready. */
  confChanged = false;

  step: StepFn;
  tickFn: TickFn;
  readonly roles: RoleTable;

  constructor(cfg: RaftCoreConfig, storage: RaftStorage, rand: RandomSource, roles: RoleTable) {
    this.cfg = cfg;
    this.id = cfg.id;
    this.#rand = rand;
    this.roles = roles;
    const { hardState, conf } = storage.initialState();
    this.log = new RaftLog(storage, cfg.applied);
    const snap = storage.snapshot();
    this.appliedConf = snap !== null && (conf.voters.length === 0 || snap.index >= this.log.applied) ? snap.conf : conf;
    if (hardState.commit > this.log.lastIndex()) {
      throw new RangeError(
        `raft: hard state commit ${hardState.commit} is beyond the last log index ${this.log.lastIndex()}`,
      );
    }
    this.log.commitTo(hardState.commit);
    if (this.log.applied > this.log.committed) this.log.applied = this.log.committed;
    this.term = hardState.term;
    this.vote = hardState.vote;
    this.step = roles.follower;
    this.tickFn = roles.tickElection;
    this.becomeFollower(this.term, null);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The configuration in force: the latest membership change in the log (see RaftLog). */
  get conf(): ConfState {
    return this.log.latestConf();
  }

  isVoter(id: NodeId = this.id): boolean {
    return this.conf.voters.includes(id);
  }

  /**
   * Every member but self (voters and learners), in a stable order. A leader also keeps sending
   * to a server it is removing until the removal is applied, so that the server learns of it.
   */
  peers(): NodeId[] {
    if (this.role === 'leader') return [...this.prs.keys()].filter((p) => p !== this.id);
    const all = [...this.conf.voters, ...this.conf.learners];
    return all.filter((p) => p !== this.id);
  }

  send(m: Outgoing): void {
    const out = { ...m, from: this.id, term: toTerm(m.term ?? this.term) } as Message;
    this.msgs.push(out);
  }

  /** Whether this node hears from a live leader (and so refuses to help depose it). */
  inLease(): boolean {
    if (this.lead !== null && this.lead !== this.id) return this.electionElapsed < this.cfg.electionTickMin;
    if (this.role === 'leader') return true;
    // With lease reads on, a node that just (re)started may have promised a lease before it crashed.
    return this.cfg.leaseRead && this.ticks < this.cfg.electionTickMin;
  }

  #resetRandomizedElectionTimeout(): void {
    const span = this.cfg.electionTickMax - this.cfg.electionTickMin;
    const r = this.#rand();
    const jitter = Math.min(span - 1, Math.max(0, Math.floor(r * span)));
    this.randomizedElectionTimeout = this.cfg.electionTickMin + jitter;
  }

  // ---- transitions ---------------------------------------------------------------------------

  reset(t: number): void {
    if (this.term !== t) {
      this.term = t;
      this.vote = null;
    }
    this.lead = null;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.#resetRandomizedElectionTimeout();
    this.leadTransferee = null;
    this.votes.clear();
    this.prs.clear();
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    failPendingReads(this);
  }

  becomeFollower(t: number, lead: NodeId | null): void {
    this.step = this.roles.follower;
    this.tickFn = this.roles.tickElection;
    this.reset(t);
    this.lead = lead;
    this.role = 'follower';
  }

  becomePreCandidate(): void {
    if (this.role === 'leader') throw new Error('raft: leader cannot become pre-candidate');
    this.step = this.roles.candidate;
    this.tickFn = this.roles.tickElection;
    this.votes.clear();
    this.lead = null;
    this.role = 'preCandidate';
  }

  becomeCandidate(): void {
    if (this.role === 'leader') throw new Error('raft: leader cannot become candidate');
    this.step = this.roles.candidate;
    this.tickFn = this.roles.tickElection;
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  becomeLeader(): void {
    if (this.role === 'follower') throw new Error('raft: follower cannot become leader directly');
    this.step = this.roles.leader;
    this.tickFn = this.roles.tickHeartbeat;
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    const last = this.log.lastIndex();
    for (const id of [...this.conf.voters, ...this.conf.learners]) this.#addProgress(id, last);
    this.#prsConf = this.conf;
    const self = this.prs.get(this.id);
    if (self !== undefined) {
      self.match = last;
      self.becomeReplicate();
    }
    this.ackedRound.clear();
    this.roundTick.clear();
    this.leaseBroken = false;
    // Conservatively assume the tail of the log may hold an unapplied membership change.
    this.pendingConfIndex = last;
    this.appendEntries([{ type: EntryType.Noop, data: new Uint8Array(0) }]);
  }

  #addProgress(id: NodeId, last: number): void {
    const pr = new Progress(last + 1, this.conf.learners.includes(id), this.cfg.maxInflightMsgs);
    // A new peer gets a full election timeout of grace before check-quorum counts it as silent.
    pr.lastActiveTick = this.ticks;
    pr.recentActive = true;
    this.prs.set(id, pr);
  }

  // ---- elections -----------------------------------------------------------------------------

  /** Starts an election (or a pre-vote round first, when enabled) if this node may. */
  hup(kind: CampaignKind): void {
    if (this.role === 'leader') return;
    if (!this.isVoter()) return;
    if (kind === 'election' && this.cfg.preVote) kind = 'preElection';
    this.campaign(kind);
  }

  campaign(kind: CampaignKind): void {
    let voteTerm: number;
    let type: 'vote' | 'preVote';
    if (kind === 'preElection') {
      this.becomePreCandidate();
      type = 'preVote';
      voteTerm = this.term + 1;
    } else {
      this.becomeCandidate();
      type = 'vote';
      voteTerm = this.term;
    }
    if (this.poll(this.id, true) === 'won') {
      this.wonElection(kind);
      return;
    }
    const lastIndex = logIndex(this.log.lastIndex());
    const lastTerm = toTerm(this.log.lastTerm());
    for (const v of this.conf.voters) {
      if (v === this.id) continue;
      this.send({ type, to: v, term: voteTerm, lastIndex, lastTerm, isTransfer: kind === 'transfer' });
    }
  }

  wonElection(kind: CampaignKind): void {
    if (kind === 'preElection') {
      this.campaign('election');
    } else {
      this.becomeLeader();
      this.roles.bcastAppend(this);
    }
  }

  /** Records a vote; returns whether the election is won, lost or still open. */
  poll(from: NodeId, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(from)) this.votes.set(from, granted);
    let yes = 0;
    let no = 0;
    for (const v of this.conf.voters) {
      const got = this.votes.get(v);
      if (got === true) yes++;
      else if (got === false) no++;
    }
    return voteResult(yes, no, this.conf.voters.length);
  }

  // ---- log -----------------------------------------------------------------------------------

  /** Appends new entries on the leader, assigning indexes and its term. */
  appendEntries(es: readonly { type: EntryType; data: Uint8Array }[]): Entry[] {
    let index = this.log.lastIndex();
    const t = toTerm(this.term);
    const entries: Entry[] = es.map((e) => ({ index: logIndex(++index), term: t, type: e.type, data: e.data }));
    this.log.append(entries);
    this.prs.get(this.id)?.maybeUpdate(this.log.lastIndex());
    if (this.#prsConf !== null && this.#prsConf !== this.conf) this.#syncProgress();
    this.maybeCommit();
    return entries;
  }

  /** Leader: advances commit to what a quorum of voters holds, if of the current term. */
  maybeCommit(): boolean {
    const matches = this.#matchScratch;
    matches.length = 0;
    for (const v of this.conf.voters) matches.push(this.prs.get(v)?.match ?? 0);
    const qi = quorumIndexInPlace(matches);
    if (!Number.isFinite(qi)) return false;
    const moved = this.log.maybeCommit(qi, this.term);
    if (moved) this.roles.onCommitAdvanced(this);
    return moved;
  }

  committedInTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  // ---- membership ----------------------------------------------------------------------------

  /**
   * Leader: the configuration changed (a membership change was appended). Tracks new members,
   * forgets removed ones. The leader keeps leading even if it removed itself, without counting
   * itself, until that change commits.
   */
  #syncProgress(): void {
    const conf = this.conf;
    this.#prsConf = conf;
    const last = this.log.lastIndex();
    for (const id of [...conf.voters, ...conf.learners]) {
      const pr = this.prs.get(id);
      if (pr === undefined) this.#addProgress(id, last);
      else pr.isLearner = conf.learners.includes(id);
    }
    this.#dropLeftMembers();
    if (this.leadTransferee !== null && !this.isVoter(this.leadTransferee)) this.leadTransferee = null;
  }

  /** Forgets the progress of servers that are neither in the configuration nor still leaving it. */
  #dropLeftMembers(): void {
    const keep = (id: NodeId): boolean =>
      id === this.id ||
      this.conf.voters.includes(id) ||
      this.conf.learners.includes(id) ||
      this.appliedConf.voters.includes(id) ||
      this.appliedConf.learners.includes(id);
    for (const id of [...this.prs.keys()]) {
      if (!keep(id)) {
        this.prs.delete(id);
        this.ackedRound.delete(id);
      }
    }
  }

  /** A committed membership change is handed to the driver: it is now applied. */
  applyConfChange(data: Uint8Array): void {
    this.appliedConf = nextConf(this.appliedConf, data);
    this.confChanged = true;
    if (this.role === 'leader') this.#dropLeftMembers();
    // A leader that removed itself steps down once the removal is committed (and applied).
    if (this.role === 'leader' && !this.isVoter() && !this.appliedConf.voters.includes(this.id)) {
      this.roles.stepDownAfterRemoval(this);
    }
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /** Follower: installs a snapshot fully received. Returns false when it brings nothing new. */
  restore(meta: SnapshotMeta): boolean {
    if (meta.index <= this.log.committed) return false;
    if (this.log.matchTerm(meta.index, meta.term)) {
      // We hold the entry already: just fast-forward the commit index.
      this.log.commitTo(meta.index);
      return false;
    }
    this.log.restore(meta);
    this.appliedConf = meta.conf;
    this.confChanged = true;
    return true;
  }
}

/** The role behaviours, injected to keep this file about state and transitions. */
export interface RoleTable {
  readonly follower: StepFn;
  readonly candidate: StepFn;
  readonly leader: StepFn;
  readonly tickElection: TickFn;
  readonly tickHeartbeat: TickFn;
  bcastAppend(r: RaftCore, sendIfEmpty?: boolean): void;
  onCommitAdvanced(r: RaftCore): void;
  stepDownAfterRemoval(r: RaftCore): void;
}

// The node driver: owns every effect around the pure core. It ticks the core from the clock,
// steps received messages into it, and processes each Ready in the documented order: snapshot
// chunks, snapshot install, durable entries and hard state, THEN messages, then applying
// committed entries (settling each proposal with the state machine's result), reads, events.
import { applyConfChange, decodeConfChange } from '../core/conf-change.js';
import { fillSnapshotChunk, type Message } from '../core/messages.js';
import type { RawNode } from '../core/raw-node.js';
import type { Ready, RaftRole } from '../core/ready-types.js';
import type { LogMirror } from './log-mirror.js';
import {
  EntryType,
  type ConfState,
  type Entry,
  type HardState,
  type LogIndex,
  type NodeId,
  type Term,
} from '../core/types.js';
import type { Clock, LogStore, StableStore, StateMachine, Transport } from '../ports.js';
import { encodeMessage, decodeMessage } from '../codec/message-codec.js';
import { RaftError } from '../errors.js';
import { errorField, type Logger } from '../logger.js';
import type { RaftConfig } from './raft-config.js';
import type { RaftEventEmitter, RaftState } from './events.js';
import type { Snapshotter } from './snapshotter.js';
import { Waiters } from './waiters.js';

export interface DriverDeps {
  readonly config: RaftConfig;
  readonly core: RawNode;
  readonly storage: LogMirror;
  readonly logStore: LogStore;
  readonly stableStore: StableStore;
  readonly stateMachine: StateMachine;
  readonly transport: Transport;
  readonly snapshotter: Snapshotter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: RaftEventEmitter;
  readonly addresses: Map<NodeId, string>;
  readonly applied: number;
  readonly conf: ConfState;
}

const toPublicState = (role: RaftRole): RaftState =>
  role === 'leader' ? 'leader' : role === 'follower' ? 'follower' : 'candidate';
const utf8 = new TextDecoder();

export class NodeDriver {
  readonly d: DriverDeps;
  readonly waiters = new Waiters();
  role: RaftRole = 'follower';
  leaderId: NodeId | null = null;
  term = 0 as Term;
  commit = 0;
  applied: number;
  appliedConf: ConfState;
  stopped = false;
  #scheduled = false;
  #processing: Promise<void> | null = null;
  #tickTimer: { cancel(): void } | null = null;
  #unsavedHardState: HardState | null = null;
  #fatal: unknown = null;
  #capturing: Promise<void> | null = null;
  #again = false;
  vote: NodeId | null = null;

  constructor(deps: DriverDeps) {
    this.d = deps;
    this.applied = deps.applied;
    this.appliedConf = deps.conf;
  }

  start(): void {
    this.#scheduleTick();
    this.schedule();
  }

  /**
   * Runs the Ready loop soon (a microtask: inputs stepped in the same synchronous run share one
   * Ready), once however often it is asked; a request during a pass makes that pass look again.
   */
  schedule(): void {
    if (this.stopped) return;
    if (this.#processing !== null) {
      this.#again = true;
      return;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.#processing === null && !this.stopped)
        this.#processing = this.#run().finally(() => (this.#processing = null));
      else this.#again = true;
    });
  }

  /** Delivers one received payload; throws (refusing it, the transport closes the connection) on garbage. */
  receive(from: NodeId, payload: Uint8Array): void {
    if (this.stopped) return;
    const m: Message = decodeMessage(payload);
    if (m.from !== from)
      throw new RaftError('PROTOCOL', `message claims sender ${m.from} on a connection from ${from}`);
    this.d.core.step(m);
    this.schedule();
  }

  peerUnreachable(peer: NodeId, reason: string): void {
    if (this.stopped) return;
    this.d.core.reportUnreachable(peer);
    this.d.events.emit('peerUnreachable', { peer, reason });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.#tickTimer?.cancel();
    await this.#processing;
    this.waiters.failAll(new RaftError('SHUTDOWN', 'raft node stopped'));
    if (this.#unsavedHardState !== null)
      await this.d.stableStore.saveHardState(this.#unsavedHardState).catch(() => undefined);
    await this.d.snapshotter.close();
    this.#setRole('follower', null, true);
  }

  get fatalError(): unknown {
    return this.#fatal;
  }

  /**
   * Ticks on a grid of `tickMs` from the start: a timer that fires late shortens the next wait,
   * so the delays of a busy event loop (~20% per tick on a loaded 2-core machine) do not add up
   * into longer election timeouts. After a stall longer than a tick the grid restarts from now:
   * the ticks missed are dropped, never replayed in a burst.
   */
  #scheduleTick(due?: number): void {
    const { clock, config } = this.d;
    const now = clock.now();
    let next = (due ?? now) + config.tickMs;
    if (next <= now) next = now + config.tickMs;
    this.#tickTimer = clock.setTimer(Math.min(config.tickMs, next - now), () => {
      if (this.stopped) return;
      this.d.core.tick();
      this.waiters.expire(clock.now());
      this.schedule();
      this.#scheduleTick(next);
    });
  }

  async #run(): Promise<void> {
    const core = this.d.core;
    try {
      do {
        this.#again = false;
        while (!this.stopped && core.hasReady()) {
          const rd = core.ready();
          await this.#handle(rd);
          core.advance(rd);
        }
      } while (this.#again && !this.stopped);
    } catch (err) {
      // A store failed or the state is inconsistent: continuing could break Raft's promises.
      this.#fatal = err;
      this.d.logger.error('raft node stopping after a fatal error', { reason: errorField(err) });
      void this.stop();
    }
  }

  async #handle(rd: Ready): Promise<void> {
    const d = this.d;
    for (const c of rd.snapshotChunks) await d.snapshotter.receive(c);
    if (rd.snapshot !== null) {
      await d.snapshotter.install(rd.snapshot);
      this.applied = rd.snapshot.index;
      this.appliedConf = rd.snapshot.conf;
      this.waiters.applied(this.applied);
      d.logger.info('raft snapshot installed', { index: rd.snapshot.index, term: rd.snapshot.term });
      d.events.emit('snapshotInstalled', { index: rd.snapshot.index, term: rd.snapshot.term });
    }
    // Persist before sending: a vote or an ack must never precede the state it promises. A
    // leader whose term and vote are unchanged may send its appends while its own write is in
    // flight (Raft thesis 10.2.1): what it counts of itself becomes visible (commit index,
    // applies, client answers) only through later Readies, handled after this write is durable.
    const isLeaderFastPath =
      this.role === 'leader' &&
      rd.softState === null &&
      rd.snapshot === null &&
      (rd.hardState === null || (rd.hardState.term === this.term && rd.hardState.vote === this.vote));
    if (isLeaderFastPath) for (const m of rd.messages) this.#send(m);
    // Otherwise encode now, send after the write: entry data are views into the log mirror,
    // whose segments are reused once compacted (a snapshot may finish during the write).
    const later = isLeaderFastPath
      ? []
      : rd.messages.map((m) => (m.type === 'snapshot' ? m : { peer: m.to, payload: encodeMessage(m) }));
    if (rd.entries.length > 0 || rd.mustSync) {
      const hs = rd.hardState ?? this.#unsavedHardState;
      this.#unsavedHardState = null;
      await Promise.all([
        rd.entries.length > 0 ? d.logStore.append(rd.entries) : undefined,
        hs !== null ? d.stableStore.saveHardState(hs) : undefined,
      ]);
    } else if (rd.hardState !== null) {
      // Only the commit index moved: it need not be durable now (it is re-learned from the leader).
      this.#unsavedHardState = rd.hardState;
    }
    d.storage.append(rd.entries);
    this.#learnAddresses(rd.entries);
    if (rd.hardState !== null) {
      d.storage.setHardState(rd.hardState);
      this.term = rd.hardState.term;
      this.vote = rd.hardState.vote;
      this.commit = rd.hardState.commit;
    }
    for (const m of later) {
      if ('peer' in m) d.transport.send(m.peer, m.payload);
      else this.#send(m);
    }
    if (rd.committedEntries.length > 0) await this.#apply(rd.committedEntries, rd.confState);
    else if (rd.confState !== null) this.appliedConf = rd.confState;
    for (const rs of rd.readStates) this.#settleRead(rs.context, rs.index);
    if (rd.softState !== null) this.#setRole(rd.softState.role, rd.softState.lead, false);
    this.#maybeSnapshot();
  }

  #send(m: Message): void {
    const d = this.d;
    if (m.type !== 'snapshot') {
      d.transport.send(m.to, encodeMessage(m));
      return;
    }
    d.snapshotter.readChunk(m.meta, m.offset, d.config.snapshotChunkBytes).then(
      (chunk) => {
        if (this.stopped) return;
        if (chunk === null) {
          d.logger.warn('raft snapshot to send is no longer held', { peer: m.to, index: m.meta.index });
          d.core.reportSnapshot(m.to, false);
          this.schedule();
          return;
        }
        d.transport.send(m.to, encodeMessage(fillSnapshotChunk(m, chunk.data, chunk.size)));
      },
      (err: unknown) => {
        d.logger.warn('raft snapshot chunk read failed', { peer: m.to, reason: errorField(err) });
        if (!this.stopped) d.core.reportSnapshot(m.to, false);
      },
    );
  }

  async #apply(entries: readonly Entry[], confAfter: ConfState | null): Promise<void> {
    const d = this.d;
    const proposals = this.waiters.proposals;
    if (this.#capturing !== null) await this.#capturing;
    for (const e of entries) {
      if (e.index <= this.applied) continue;
      let result: unknown;
      let failed = false;
      if (e.type === EntryType.Command) {
        try {
          // A copy: the entry's bytes may be a view into a log mirror segment, reused later.
          const r = d.stateMachine.apply({ index: e.index, term: e.term, data: Buffer.from(e.data) });
          result = r instanceof Promise ? await r : r;
        } catch (err) {
          result = err;
          failed = true;
        }
      } else if (e.type === EntryType.ConfChange) {
        result = this.#applyConfChange(e);
      }
      this.applied = e.index;
      const p = proposals.take(e.index);
      if (p !== undefined) {
        if (p.term !== e.term)
          p.reject(new RaftError('LEADERSHIP_LOST', 'the entry was replaced by a new leader; it was not applied'));
        else if (failed) p.reject(result);
        else p.resolve(result);
      }
    }
    if (confAfter !== null) this.appliedConf = confAfter;
    this.waiters.applied(this.applied);
  }

  /**
   * A membership change is in force as soon as it is in the log (ADR 0200): the leader starts
   * replicating to a new member then, so every node learns its address from the appended entry.
   */
  #learnAddresses(entries: readonly Entry[]): void {
    const d = this.d;
    for (const e of entries) {
      if (e.type !== EntryType.ConfChange) continue;
      const cc = decodeConfChange(e.data);
      if (cc.type === 'removeNode' || cc.node === d.config.id || cc.context.length === 0) continue;
      const address = utf8.decode(cc.context);
      if (d.addresses.get(cc.node) === address) continue;
      d.addresses.set(cc.node, address);
      d.transport.setPeer(cc.node, address);
    }
  }

  #applyConfChange(e: Entry): { index: LogIndex } {
    const d = this.d;
    const cc = decodeConfChange(e.data);
    const address = cc.context.length > 0 ? utf8.decode(cc.context) : null;
    if (cc.type === 'removeNode') {
      if (cc.node !== d.config.id) d.transport.removePeer(cc.node);
    } else if (address !== null && cc.node !== d.config.id) {
      d.addresses.set(cc.node, address);
      d.transport.setPeer(cc.node, address);
    }
    // The membership as of this entry (the core's `status().conf` may already include later,
    // uncommitted changes: the configuration in force is the latest one in the log).
    const conf = cc.result ?? applyConfChange(this.appliedConf, cc);
    this.appliedConf = conf;
    d.logger.info('raft membership changed', {
      index: e.index,
      type: cc.type,
      node: cc.node,
      voters: conf.voters,
      learners: conf.learners,
    });
    d.events.emit('membershipChanged', { index: e.index, conf, change: { type: cc.type, node: cc.node, address } });
    return { index: e.index };
  }

  #settleRead(context: Uint8Array, index: LogIndex | null): void {
    const key = Buffer.from(context).toString('hex');
    const r = this.waiters.reads.get(key);
    if (r === undefined) return;
    this.waiters.reads.delete(key);
    if (index === null) r.reject(this.notLeader('the read could not be confirmed by a leader'));
    else r.resolve(index);
  }

  #setRole(role: RaftRole, lead: NodeId | null, shutdown: boolean): void {
    const d = this.d;
    const wasLeader = this.role === 'leader';
    const roleChanged = role !== this.role || shutdown;
    const leaderChanged = lead !== this.leaderId;
    this.role = role;
    this.leaderId = lead;
    if (wasLeader && (role !== 'leader' || shutdown)) {
      this.waiters.failProposals(
        new RaftError('LEADERSHIP_LOST', 'leadership was lost before the entry was applied; its outcome is unknown', {
          leaderId: lead,
          leaderAddress: this.addressOf(lead),
        }),
      );
    }
    if (roleChanged)
      d.events.emit('stateChanged', { state: shutdown ? 'shutdown' : toPublicState(role), term: this.term });
    if (leaderChanged) {
      d.logger.info('raft leader changed', { leader: lead, term: this.term, role });
      d.events.emit('leaderChanged', { leaderId: lead, leaderAddress: this.addressOf(lead), term: this.term });
    }
  }

  #maybeSnapshot(force = false): void {
    const d = this.d;
    const threshold = d.config.snapshotThreshold;
    if (d.snapshotter.isTaking || this.stopped) return;
    if (!force && (threshold === 0 || this.applied - d.snapshotter.lastIndex < threshold)) return;
    void this.takeSnapshot().catch((err: unknown) =>
      d.logger.warn('raft snapshot failed', { reason: errorField(err) }),
    );
  }

  /**
   * Snapshots the state machine at the applied index. Resolves once it is durable and the log
   * compacted. Must be called between Readies (the capture is synchronous with applies).
   */
  takeSnapshot(): Promise<{ index: LogIndex; term: Term }> {
    const d = this.d;
    const index = this.applied as LogIndex;
    const term = d.storage.term(index);
    if (term === undefined || index === 0)
      return Promise.reject(new RaftError('ABORTED', 'nothing applied to snapshot'));
    if (index <= d.snapshotter.lastIndex) return Promise.resolve({ index, term });
    const meta = { index, term, conf: this.appliedConf };
    return new Promise((resolve, reject) => {
      const capture = d.snapshotter.take(meta, (err, compactedTo) => {
        if (err !== null) {
          reject(err);
          return;
        }
        d.logger.info('raft snapshot taken', { index, term, compactedTo });
        d.events.emit('snapshotTaken', { index, term, compactedTo: compactedTo as LogIndex });
        resolve({ index, term });
      });
      this.#capturing = capture.then(
        () => undefined,
        (err: unknown) => reject(err),
      );
      void this.#capturing.finally(() => (this.#capturing = null));
    });
  }

  addressOf(id: NodeId | null): string | null {
    if (id === null) return null;
    if (id === this.d.config.id) return this.d.transport.localAddress;
    return this.d.addresses.get(id) ?? null;
  }

  notLeader(message: string): RaftError {
    return new RaftError('NOT_LEADER', message, {
      leaderId: this.leaderId,
      leaderAddress: this.addressOf(this.leaderId),
    });
  }

  /** Waits for the current processing pass (used between a snapshot request and the capture). */
  async idle(): Promise<void> {
    while (this.#processing !== null) await this.#processing;
  }
}

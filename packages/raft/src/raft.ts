// The public face of @orc/raft, in hashicorp/raft's shape: one factory naming every part,
// typed results that keep Raft's failures apart from the state machine's, and typed events.
import type { ConfChange } from './core/conf-change.js';
import { RawNode } from './core/raw-node.js';
import { LogMirror } from './node/log-mirror.js';
import { logIndex, type LogIndex, type NodeId, type Term } from './core/types.js';
import type { Clock, LogStore, RandomSource, SnapshotStore, StableStore, StateMachine, Transport } from './ports.js';
import { systemClock } from './clock.js';
import { RaftError } from './errors.js';
import { noopLogger, type Logger } from './logger.js';
import { RaftEventEmitter, type RaftEventName, type RaftEvents, type RaftState } from './node/events.js';
import { NodeDriver } from './node/node-driver.js';
import { validateRaftConfig, type RaftConfig, type RaftConfigInput } from './node/raft-config.js';
import { Snapshotter } from './node/snapshotter.js';
import { loadState } from './node/startup.js';

/** Everything a node is made of. */
export interface RaftOptions<R = unknown> {
  readonly config: RaftConfigInput;
  readonly stateMachine: StateMachine<R>;
  readonly logStore: LogStore;
  readonly stableStore: StableStore;
  readonly snapshotStore: SnapshotStore;
  readonly transport: Transport;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: Math.random. Election timeouts are drawn from it. */
  readonly random?: RandomSource;
  /** Default: drops everything. */
  readonly logger?: Logger;
}

/** Per-call options. */
export interface CallOptions {
  /** Default: `config.applyTimeoutMs`. On expiry the call fails with TIMEOUT (outcome unknown). */
  readonly timeoutMs?: number;
}

/** Counters and positions for status pages and metrics. */
export interface RaftStats {
  readonly id: NodeId;
  readonly address: string;
  readonly state: RaftState;
  readonly term: Term;
  readonly leaderId: NodeId | null;
  readonly commitIndex: LogIndex;
  readonly appliedIndex: LogIndex;
  readonly lastLogIndex: LogIndex;
  readonly firstLogIndex: LogIndex;
  readonly lastSnapshotIndex: LogIndex;
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
  readonly pendingCalls: number;
}

/**
 * A Raft node. Create it with `Raft.create`; every result is typed: Raft's own failures are
 * `RaftError`s (`NOT_LEADER` with the leader's address, `LEADERSHIP_LOST`: outcome unknown,
 * `TIMEOUT`, `SHUTDOWN`, `ABORTED`), anything else comes from your state machine.
 *
 * @example
 * ```ts
 * const raft = await Raft.create({
 *   config: { id: 'a', peers: { b: '127.0.0.1:7002', c: '127.0.0.1:7003' } },
 *   stateMachine, logStore: store, stableStore: store,
 *   snapshotStore: new FileSnapshotStore({ dir: 'data/snapshots' }),
 *   transport: new TcpTransport({ localId: nodeId('a'), bind: { host: '127.0.0.1', port: 7001 }, clusterId: 'demo' }),
 * });
 * const previous = await raft.apply(Buffer.from('{"set":"x","to":1}'), { timeoutMs: 2000 });
 * ```
 */
export class Raft<R = unknown> {
  readonly #config: RaftConfig;
  readonly #driver: NodeDriver;
  readonly #events: RaftEventEmitter;
  readonly #transport: Transport;
  #readSeq = 0;
  #stopping: Promise<void> | null = null;

  private constructor(config: RaftConfig, driver: NodeDriver, events: RaftEventEmitter, transport: Transport) {
    this.#config = config;
    this.#driver = driver;
    this.#events = events;
    this.#transport = transport;
  }

  /**
   * Validates the configuration, restores the newest snapshot into the state machine, loads the
   * log after it, starts listening and starts the node. Throws INVALID_CONFIG listing every problem.
   */
  static async create<R>(options: RaftOptions<R>): Promise<Raft<R>> {
    const problems: { path: string; message: string }[] = [];
    let config: RaftConfig | undefined;
    try {
      config = validateRaftConfig(options?.config);
    } catch (err) {
      if (err instanceof RaftError)
        problems.push(...err.details.map((p) => ({ path: `config.${p.path}`.replace(/\.$/, ''), message: p.message })));
      else throw err;
    }
    for (const part of ['stateMachine', 'logStore', 'stableStore', 'snapshotStore', 'transport'] as const) {
      if (typeof options?.[part] !== 'object' || options[part] === null)
        problems.push({ path: part, message: 'is required' });
    }
    if (config !== undefined && options?.transport && options.transport.localId !== config.id) {
      problems.push({ path: 'transport.localId', message: `must equal config.id (${config.id})` });
    }
    if (problems.length > 0 || config === undefined) {
      throw new RaftError(
        'INVALID_CONFIG',
        `invalid raft options: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        { details: problems },
      );
    }
    const logger = options.logger ?? noopLogger;
    const clock = options.clock ?? systemClock;
    const events = new RaftEventEmitter(logger);
    let driver: NodeDriver | null = null;
    await options.transport.listen({
      // Until the node is built, drop what arrives: Raft resends.
      onFrame: (from, payload) => driver?.receive(from, payload),
      onPeerUnreachable: (peer, reason) => driver?.peerUnreachable(peer, reason),
    });
    let state;
    try {
      state = await loadState(config, options, logger);
    } catch (err) {
      await options.transport.close().catch(() => undefined);
      throw err;
    }
    const storage = new LogMirror({
      hardState: state.hardState,
      conf: state.conf,
      snapshot: state.snapshot,
      entries: state.entries,
    });
    const ticks = (ms: number): number => Math.max(1, Math.round(ms / config.tickMs));
    const core = new RawNode(
      {
        id: config.id,
        electionTickMin: ticks(config.electionTimeoutMs),
        electionTickMax: 2 * ticks(config.electionTimeoutMs),
        heartbeatTick: ticks(config.heartbeatMs),
        preVote: config.preVote,
        checkQuorum: config.checkQuorum,
        leaseRead: config.leaseRead,
        maxSizePerMsg: config.maxAppendBytes,
        maxInflightMsgs: config.maxInflightAppends,
        applied: state.applied,
        logger,
      },
      storage,
      options.random ?? Math.random,
    );
    const addresses = new Map<NodeId, string>();
    for (const [id, addr] of Object.entries(config.peers)) {
      if (id === config.id) continue;
      addresses.set(id as NodeId, addr);
      options.transport.setPeer(id as NodeId, addr);
    }
    const snapshotter = new Snapshotter(
      {
        store: options.snapshotStore,
        logStore: options.logStore,
        storage,
        stateMachine: options.stateMachine as StateMachine,
        logger,
        trailing: config.snapshotTrailing,
      },
      state.snapshot?.index ?? 0,
    );
    driver = new NodeDriver({
      config,
      core,
      storage,
      logStore: options.logStore,
      stableStore: options.stableStore,
      stateMachine: options.stateMachine as StateMachine,
      transport: options.transport,
      snapshotter,
      clock,
      logger,
      events,
      addresses,
      applied: state.applied,
      conf: state.conf,
    });
    driver.term = state.hardState.term;
    driver.vote = state.hardState.vote;
    // Like etcd's initial election tick advance: a starting node does not sit out a whole
    // election timeout before its first campaign (pre-vote keeps this from disturbing a leader).
    // Not with leaseRead: a restarted node must then wait out a full timeout before voting, so
    // that no old leader's lease can still be running.
    if (!config.leaseRead) for (let i = 0; i < Math.floor(ticks(config.electionTimeoutMs) / 2); i++) core.tick();
    driver.start();
    logger.info('raft node started', {
      id: config.id,
      address: options.transport.localAddress,
      term: state.hardState.term,
      applied: state.applied,
      lastIndex: storage.lastIndex(),
    });
    return new Raft<R>(config, driver, events, options.transport);
  }

  /** This node's id. */
  get id(): NodeId {
    return this.#config.id;
  }

  /** This node's role: follower, candidate, leader, or shutdown after `stop`. */
  get state(): RaftState {
    if (this.#driver.stopped) return 'shutdown';
    const r = this.#driver.role;
    return r === 'leader' ? 'leader' : r === 'follower' ? 'follower' : 'candidate';
  }

  /** The known leader and its address, or null during an election. */
  leader(): { readonly id: NodeId; readonly address: string | null } | null {
    const id = this.#driver.leaderId;
    return id === null ? null : { id, address: this.#driver.addressOf(id) };
  }

  /**
   * Replicates `data` and resolves with what the state machine's `apply` returned for it (or
   * rejects with what it threw). Raft's failures are `RaftError`s: NOT_LEADER (nothing was
   * written; `leaderAddress` says where to go), LEADERSHIP_LOST or TIMEOUT (outcome unknown),
   * SHUTDOWN, BUSY (a leadership transfer is in progress).
   */
  apply(data: Uint8Array, options: CallOptions = {}): Promise<R> {
    if (!(data instanceof Uint8Array))
      return Promise.reject(new RaftError('INVALID_ARGUMENT', 'apply: data must be a Uint8Array'));
    const d = this.#driver;
    if (d.stopped) return Promise.reject(new RaftError('SHUTDOWN', 'raft node stopped'));
    const res = d.d.core.propose(data);
    if (!res.ok) return Promise.reject(this.#refusal(res.reason, res.detail));
    d.schedule();
    return new Promise<R>((resolve, reject) => {
      d.waiters.proposals.set(res.index, {
        term: res.term,
        deadline: this.#deadline(options),
        resolve: resolve as (r: unknown) => void,
        reject,
      });
    });
  }

  /**
   * Leader: resolves once every entry accepted before the call is applied on this node, and
   * leadership is confirmed. Returns the applied index.
   */
  async barrier(options: CallOptions = {}): Promise<LogIndex> {
    const d = this.#driver;
    this.#checkLeader();
    const target = d.d.storage.lastIndex() > d.applied ? d.d.core.status().lastIndex : d.applied;
    const index = await this.#readIndex(options);
    return d.waiters.waitApplied(Math.max(target, index), this.#deadline(options), d.applied);
  }

  /** Leader: confirms with a quorum that this node is still the leader (a ReadIndex round). */
  async verifyLeader(options: CallOptions = {}): Promise<void> {
    this.#checkLeader();
    await this.#readIndex(options);
  }

  /**
   * A linearizable read point (ReadIndex), on the leader or on a follower (asked of the leader):
   * once it resolves, reading the local state machine observes every write acknowledged before
   * the call. Resolves with the index applied.
   */
  async linearizableRead(options: CallOptions = {}): Promise<LogIndex> {
    const d = this.#driver;
    const index = await this.#readIndex(options);
    return d.waiters.waitApplied(index, this.#deadline(options), d.applied);
  }

  /** Adds a voting member (reachable at `address`); resolves once the change is applied here. */
  addVoter(id: string, address: string, options: CallOptions = {}): Promise<{ index: LogIndex }> {
    return this.#confChange(
      { type: 'addVoter', node: id as NodeId, context: Buffer.from(address, 'utf8') },
      address,
      options,
    );
  }

  /** Adds a non-voting member that receives the log (promote it later with `addVoter`). */
  addNonVoter(id: string, address: string, options: CallOptions = {}): Promise<{ index: LogIndex }> {
    return this.#confChange(
      { type: 'addLearner', node: id as NodeId, context: Buffer.from(address, 'utf8') },
      address,
      options,
    );
  }

  /** Removes a member; a leader removing itself steps down once the change commits. */
  removeServer(id: string, options: CallOptions = {}): Promise<{ index: LogIndex }> {
    return this.#confChange({ type: 'removeNode', node: id as NodeId, context: new Uint8Array(0) }, null, options);
  }

  /**
   * Hands leadership to `to` (default: the most up-to-date voter) and resolves when another node
   * leads. Fails with TIMEOUT when no transfer happened within the timeout.
   */
  async transferLeadership(to?: string, options: CallOptions = {}): Promise<{ leaderId: NodeId }> {
    const d = this.#driver;
    this.#checkLeader();
    let target = to as NodeId | undefined;
    if (target === undefined) {
      let best = -1;
      for (const [id, pr] of d.d.core.status().progress) {
        if (id !== this.id && !pr.isLearner && pr.match > best) {
          best = pr.match;
          target = id;
        }
      }
      if (target === undefined) throw new RaftError('ABORTED', 'transferLeadership: no other voter to transfer to');
    }
    const res = d.d.core.transferLeader(target);
    if (!res.ok) {
      if (res.reason === 'notLeader') throw d.notLeader('transferLeadership: this node is not the leader');
      throw new RaftError('INVALID_ARGUMENT', `transferLeadership: ${target} is not a voter`);
    }
    d.schedule();
    const timeoutMs = options.timeoutMs ?? this.#config.electionTimeoutMs * 4;
    return new Promise((resolve, reject) => {
      const timer = d.d.clock.setTimer(timeoutMs, () => {
        off();
        reject(new RaftError('TIMEOUT', `transferLeadership: ${target} did not take over within ${timeoutMs} ms`));
      });
      const off = this.on('leaderChanged', (e) => {
        if (e.leaderId !== null && e.leaderId !== this.id) {
          timer.cancel();
          off();
          resolve({ leaderId: e.leaderId });
        }
      });
    });
  }

  /** Takes a snapshot now; resolves once it is durable and the log compacted. */
  snapshot(): Promise<{ index: LogIndex; term: Term }> {
    if (this.#driver.stopped) return Promise.reject(new RaftError('SHUTDOWN', 'raft node stopped'));
    return this.#driver.takeSnapshot();
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends RaftEventName>(event: K, listener: (payload: RaftEvents[K]) => void): () => void {
    return this.#events.on(event, listener);
  }

  stats(): RaftStats {
    const d = this.#driver;
    const st = d.d.storage;
    return {
      id: this.id,
      address: this.#transport.localAddress,
      state: this.state,
      term: d.term,
      leaderId: d.leaderId,
      commitIndex: logIndex(Math.max(d.commit, d.applied)),
      appliedIndex: logIndex(d.applied),
      lastLogIndex: st.lastIndex(),
      firstLogIndex: st.firstIndex(),
      lastSnapshotIndex: logIndex(d.d.snapshotter.lastIndex),
      voters: d.appliedConf.voters,
      learners: d.appliedConf.learners,
      pendingCalls: d.waiters.size,
    };
  }

  /**
   * Stops the node: pending calls fail with SHUTDOWN, the transport is closed. The stores are
   * left open for their owner to close. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#driver.stop();
      await this.#transport.close();
    })();
    return this.#stopping;
  }

  #deadline(options: CallOptions): number {
    const t = options.timeoutMs ?? this.#config.applyTimeoutMs;
    return this.#driver.d.clock.now() + t;
  }

  #checkLeader(): void {
    const d = this.#driver;
    if (d.stopped) throw new RaftError('SHUTDOWN', 'raft node stopped');
    if (d.role !== 'leader') throw d.notLeader('this node is not the leader');
  }

  #readIndex(options: CallOptions): Promise<LogIndex> {
    const d = this.#driver;
    if (d.stopped) return Promise.reject(new RaftError('SHUTDOWN', 'raft node stopped'));
    const ctx = Buffer.alloc(8);
    ctx.writeDoubleBE(++this.#readSeq);
    const p = new Promise<LogIndex>((resolve, reject) => {
      d.waiters.reads.set(ctx.toString('hex'), { deadline: this.#deadline(options), resolve, reject });
    });
    d.d.core.readIndex(ctx);
    d.schedule();
    return p;
  }

  #refusal(reason: string, detail: string): RaftError {
    const d = this.#driver;
    if (reason === 'notLeader') return d.notLeader(detail);
    if (reason === 'invalidConfChange') return new RaftError('INVALID_ARGUMENT', detail);
    return new RaftError('BUSY', detail, { leaderId: d.leaderId, leaderAddress: d.addressOf(d.leaderId) });
  }

  #confChange(cc: ConfChange, address: string | null, options: CallOptions): Promise<{ index: LogIndex }> {
    const d = this.#driver;
    if (typeof cc.node !== 'string' || cc.node.length === 0)
      return Promise.reject(new RaftError('INVALID_ARGUMENT', 'membership change: id must be a non-empty string'));
    if (address !== null && (typeof address !== 'string' || address.length === 0))
      return Promise.reject(new RaftError('INVALID_ARGUMENT', 'membership change: address must be a non-empty string'));
    if (d.stopped) return Promise.reject(new RaftError('SHUTDOWN', 'raft node stopped'));
    // The leader must reach the new member before the change commits.
    if (address !== null && cc.node !== this.id) {
      d.d.addresses.set(cc.node, address);
      this.#transport.setPeer(cc.node, address);
    }
    const res = d.d.core.proposeConfChange(cc);
    if (!res.ok) return Promise.reject(this.#refusal(res.reason, res.detail));
    d.schedule();
    return new Promise((resolve, reject) => {
      d.waiters.proposals.set(res.index, {
        term: res.term,
        deadline: this.#deadline(options),
        resolve: resolve as (r: unknown) => void,
        reject,
      });
    });
  }
}

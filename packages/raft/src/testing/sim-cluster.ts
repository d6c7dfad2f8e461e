// A deterministic cluster simulation: seeded network faults, partitions, crashes and restarts,
// clock drift, membership changes and snapshots, with KV clients whose histories are checked
// for linearizability and a safety checker run after every step.
import type { RaftCoreConfigInput } from '../core/config.js';
import type { ConfState, NodeId } from '../core/types.js';
import { nodeId } from '../core/types.js';
import type { KvOperation } from './linearizability.js';
import { checkKvLinearizable } from './linearizability.js';
import { encodeKvPut } from './kv-state-machine.js';
import type { Prng } from './prng.js';
import { createPrng } from './prng.js';
import type { SafetyViolation } from './safety-checker.js';
import { SafetyChecker } from './safety-checker.js';
import type { SimNetworkOptions } from './sim-network.js';
import { SimNetwork } from './sim-network.js';
import { SimNode } from './sim-node.js';
import { SimClients } from './sim-clients.js';

/** What a simulation run does; every field but `seed` has a default. */
export interface SimOptions {
  readonly seed: number;
  /** Steps to run. Default 2000. */
  readonly steps?: number;
  /** Servers in the pool; the first `initialVoters` start as voters. Default 5 and 3. */
  readonly nodes?: number;
  readonly initialVoters?: number;
  readonly network?: SimNetworkOptions;
  /** Core settings shared by every node. Default: a mix drawn from the seed. */
  readonly core?: Omit<RaftCoreConfigInput, 'id' | 'applied'>;
  /** Tick-rate spread between nodes: each ticks at a rate in [1 - drift, 1 + drift] per step. Default 0.1. */
  readonly drift?: number;
  /** Probabilities per step. Defaults are modest. */
  readonly faults?: Partial<SimFaultRates>;
  /** Client operations: probability per step that an idle client starts one. Default 0.3. */
  readonly clientRate?: number;
  readonly clients?: number;
  /** Take a snapshot once this many entries were applied since the last one. Default 25. */
  readonly snapshotEvery?: number;
  /** Steps allowed for the cluster to recover once faults stop. Default 400. */
  readonly settleSteps?: number;
  /** See `SimNodeOptions.persistChance`. Default: 1 or 0.5, drawn from the seed. */
  readonly persistChance?: number;
  /** See `SimNodeOptions.leaderSendsBeforePersist`. Default: drawn from the seed. */
  readonly leaderSendsBeforePersist?: boolean;
  /** Receives one line per step describing every node (for replaying a failing seed). */
  readonly trace?: (line: string) => void;
}

/** Per-step fault probabilities. */
export interface SimFaultRates {
  readonly partition: number;
  readonly oneWayCut: number;
  readonly heal: number;
  readonly crash: number;
  readonly restart: number;
  readonly confChange: number;
  readonly transfer: number;
  /** A random node is told to campaign now (an operator's forced election). */
  readonly campaign: number;
}

const defaultFaults: SimFaultRates = {
  partition: 0.004,
  oneWayCut: 0.002,
  heal: 0.01,
  crash: 0.003,
  restart: 0.03,
  confChange: 0.004,
  transfer: 0.002,
  campaign: 0.002,
};

/** What a run found. */
export interface SimResult {
  readonly seed: number;
  readonly violations: readonly SafetyViolation[];
  readonly linearizable: { ok: true } | { ok: false; key: string; reason: string };
  /**
   * After the faulty phase the network is healed and made reliable and every node restarted:
   * null when a leader then commits a new entry on every member within `settleSteps`, else what
   * was stuck.
   */
  readonly liveness: string | null;
  readonly history: readonly KvOperation[];
  readonly stats: {
    readonly steps: number;
    readonly leadersElected: number;
    readonly committed: number;
    readonly completedOps: number;
    readonly snapshotsSent: number;
    readonly messages: number;
  };
}

/** Draws a core configuration from the seed, so that runs cover the options' combinations. */
function coreFor(rng: Prng): Omit<RaftCoreConfigInput, 'id' | 'applied'> {
  const checkQuorum = rng.chance(0.75);
  return {
    electionTickMin: 10,
    electionTickMax: 20,
    heartbeatTick: 2,
    preVote: rng.chance(0.75),
    checkQuorum,
    leaseRead: checkQuorum && rng.chance(0.3),
    maxSizePerMsg: rng.pick([64, 256, 1 << 20]),
    maxInflightMsgs: rng.pick([1, 4, 64]),
    maxUncommittedSize: rng.pick([0, 0, 512]),
    maxCommittedSizePerReady: rng.pick([64, 4 << 20]),
  };
}

/**
 * One simulation run.
 *
 * @example
 * ```ts
 * const res = new SimCluster({ seed: 42 }).run();
 * expect(res.violations).toEqual([]);
 * expect(res.linearizable.ok).toBe(true);
 * ```
 */
export class SimCluster {
  readonly nodes: SimNode[];
  readonly network: SimNetwork;
  readonly checker = new SafetyChecker();
  readonly #rng: Prng;
  readonly #opts: SimOptions;
  readonly #faults: SimFaultRates;
  readonly #rates: number[];
  readonly #tickAcc: number[];
  readonly #clients: SimClients;
  #now = 0;
  #leadersElected = 0;
  #snapshotsSent = 0;
  #lastSnapshot = new Map<NodeId, number>();
  #faultsOn = true;

  constructor(opts: SimOptions) {
    this.#opts = opts;
    this.#rng = createPrng(opts.seed);
    this.#faults = { ...defaultFaults, ...opts.faults };
    const n = opts.nodes ?? 5;
    const ids = Array.from({ length: n }, (_, i) => nodeId(String(i + 1)));
    const voters = ids.slice(0, opts.initialVoters ?? 3);
    const core = opts.core ?? coreFor(this.#rng);
    const persistChance = opts.persistChance ?? (this.#rng.chance(0.5) ? 1 : 0.5);
    const leaderSendsBeforePersist = opts.leaderSendsBeforePersist ?? this.#rng.chance(0.5);
    this.network = new SimNetwork(this.#rng.fork(), opts.network);
    this.nodes = ids.map(
      (id) =>
        new SimNode({
          id,
          initialConf: voters.includes(id) ? { voters, learners: [], votersOutgoing: [] } : emptyConf,
          rng: this.#rng.fork(),
          config: core,
          snapshotChunkSize: 48,
          persistChance,
          leaderSendsBeforePersist,
        }),
    );
    const drift = opts.drift ?? 0.1;
    this.#rates = ids.map(() => 1 - drift + this.#rng.next() * 2 * drift);
    this.#tickAcc = ids.map(() => this.#rng.next());
    this.#clients = new SimClients(this.#rng.fork(), opts.clients ?? 3, opts.clientRate ?? 0.3);
  }

  /** Runs every step, checking safety after each, then the clients' history. */
  run(): SimResult {
    const steps = this.#opts.steps ?? 2000;
    for (let i = 0; i < steps; i++) {
      this.step();
      if (this.checker.violations.length > 0) break;
    }
    const liveness = this.checker.violations.length > 0 ? null : this.#settle();
    const history = this.#clients.history();
    return {
      seed: this.#opts.seed,
      violations: this.checker.violations,
      linearizable: checkKvLinearizable(history),
      liveness,
      history,
      stats: {
        steps: this.#now,
        leadersElected: this.#leadersElected,
        committed: Math.max(0, ...this.nodes.map((n) => n.kv.applied)),
        completedOps: history.filter((o) => o.response !== Infinity).length,
        snapshotsSent: this.#snapshotsSent,
        messages: this.network.stats.sent,
      },
    };
  }

  /** One step: ticks (at each node's rate), due messages, client requests, faults, then Ready processing. */
  step(): void {
    const now = ++this.#now;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      if (node === undefined || !node.isUp) continue;
      this.#tickAcc[i] = (this.#tickAcc[i] ?? 0) + (this.#rates[i] ?? 1);
      while ((this.#tickAcc[i] ?? 0) >= 1) {
        this.#tickAcc[i] = (this.#tickAcc[i] ?? 0) - 1;
        node.raw.tick();
      }
    }
    for (const m of this.network.due(now)) {
      const target = this.#byId(m.to);
      if (target?.isUp === true) target.raw.step(m);
    }
    this.#clients.step(now, this.nodes);
    if (this.#faultsOn) this.#injectFaults();
    for (const node of this.nodes) this.#process(node);
    this.#opts.trace?.(`${now} ${this.describe()}`);
  }

  /** One line: each node's role, term, commit, applied index, last index and voters. */
  describe(): string {
    return this.nodes
      .map((n) => {
        if (!n.isUp) return `${n.id}:down`;
        const s = n.raw.status();
        return `${n.id}:${s.role}/t${s.term}/c${s.commit}/a${n.kv.applied}/l${s.lastIndex}/v=${s.conf.voters.join(',')}`;
      })
      .join(' ');
  }

  /** Stops every fault, restarts every node, and waits for a leader to commit on every member. */
  #settle(): string | null {
    this.#faultsOn = false;
    this.#clients.pause();
    this.network.heal();
    this.network.calm();
    for (const n of this.nodes) {
      if (!n.isUp) {
        n.start();
        this.#lastSnapshot.set(n.id, n.kv.applied);
      }
    }
    const limit = this.#opts.settleSteps ?? 400;
    let marker: { leader: SimNode; index: number } | null = null;
    for (let i = 0; i < limit; i++) {
      this.step();
      if (this.checker.violations.length > 0) return null;
      const leader = this.nodes.find((n) => n.raw.role === 'leader');
      if (leader === undefined) continue;
      if (marker === null || marker.leader !== leader) {
        const res = leader.raw.propose(encodeKvPut({ key: 'settle', value: `${i}`, id: `settle-${i}` }));
        if (res.ok) marker = { leader, index: res.index };
        continue;
      }
      const conf = leader.raw.status().conf;
      const members = this.nodes.filter((n) => conf.voters.includes(n.id) || conf.learners.includes(n.id));
      if (members.every((n) => n.kv.applied >= (marker?.index ?? 0))) return null;
    }
    return `no leader committed a new entry on every member within ${limit} steps of calm: ${this.describe()}`;
  }

  #byId(id: NodeId): SimNode | undefined {
    return this.nodes[Number(id) - 1];
  }

  #process(node: SimNode): void {
    if (!node.isUp) return;
    const { messages, events } = node.processReady();
    for (const m of messages) {
      if (m.type === 'snapshot' && m.offset === 0) this.#snapshotsSent++;
      // A cut link looks to a real transport like a failed connection: report it.
      if (this.network.isCut(m.from, m.to)) node.raw.reportUnreachable(m.to);
      this.network.send(m, this.#now);
    }
    for (const ev of events) {
      switch (ev.kind) {
        case 'leaderElected':
          this.#leadersElected++;
          this.checker.onLeader(node, ev.term, ev.termAt);
          break;
        case 'softState':
          break;
        case 'persisted':
          this.checker.onPersisted(node, ev.entries, ev.prevTerm);
          break;
        case 'applied':
          this.checker.onApplied(node, ev.entry);
          this.#clients.onApplied(node, ev.entry, this.#now);
          break;
        case 'read':
          this.#clients.onRead(node, ev.read);
          break;
        case 'snapshotInstalled':
          this.checker.onSnapshot(node, ev.meta.index, ev.meta.term);
          break;
        case 'conf':
          break;
      }
    }
    this.#clients.afterProcess(node, this.#now);
    const every = this.#opts.snapshotEvery ?? 25;
    const last = this.#lastSnapshot.get(node.id) ?? 0;
    if (node.kv.applied - last >= every) {
      node.takeSnapshot(5);
      this.#lastSnapshot.set(node.id, node.kv.applied);
    }
  }

  #injectFaults(): void {
    const rng = this.#rng;
    const f = this.#faults;
    const ids = this.nodes.map((n) => n.id);
    if (rng.chance(f.partition)) {
      const shuffled = [...ids].sort(() => rng.next() - 0.5);
      const cut = 1 + rng.int(Math.floor(ids.length / 2));
      this.network.partition(shuffled.slice(0, cut), shuffled.slice(cut));
    }
    if (rng.chance(f.oneWayCut)) this.network.cutOneWay(rng.pick(ids), rng.pick(ids));
    if (rng.chance(f.heal)) this.network.heal();
    if (rng.chance(f.crash)) {
      const up = this.nodes.filter((n) => n.isUp);
      if (up.length > 0) {
        const victim = rng.pick(up);
        victim.crash();
        this.#clients.onCrash(victim);
      }
    }
    if (rng.chance(f.restart)) {
      const down = this.nodes.filter((n) => !n.isUp);
      if (down.length > 0) {
        const n = rng.pick(down);
        n.start();
        this.#lastSnapshot.set(n.id, n.kv.applied);
      }
    }
    if (rng.chance(f.campaign)) {
      const up = this.nodes.filter((n) => n.isUp);
      if (up.length > 0) rng.pick(up).raw.campaign();
    }
    const leader = this.nodes.find((n) => n.isUp && n.raw.role === 'leader');
    if (leader === undefined) return;
    if (rng.chance(f.confChange)) this.#changeMembership(leader);
    if (rng.chance(f.transfer)) {
      const voters = leader.raw.status().conf.voters.filter((v) => v !== leader.id);
      if (voters.length > 0) leader.raw.transferLeader(rng.pick(voters));
    }
  }

  /** Adds a learner, promotes a caught-up learner, or removes a member (possibly the leader). */
  #changeMembership(leader: SimNode): void {
    const rng = this.#rng;
    const st = leader.raw.status();
    const conf: ConfState = st.conf;
    const members = new Set([...conf.voters, ...conf.learners]);
    const outsiders = this.nodes.map((n) => n.id).filter((id) => !members.has(id));
    const choice = rng.int(3);
    if (choice === 0 && outsiders.length > 0) {
      leader.raw.proposeConfChange({ type: 'addLearner', node: rng.pick(outsiders), context: new Uint8Array(0) });
    } else if (choice === 1 && conf.learners.length > 0) {
      const l = rng.pick(conf.learners);
      const pr = st.progress.get(l);
      if (pr !== undefined && st.lastIndex - pr.match <= 5) {
        leader.raw.proposeConfChange({ type: 'addVoter', node: l, context: new Uint8Array(0) });
      }
    } else if (choice === 2 && conf.voters.length > 3) {
      leader.raw.proposeConfChange({ type: 'removeNode', node: rng.pick(conf.voters), context: new Uint8Array(0) });
    } else if (choice === 2 && conf.learners.length > 0) {
      leader.raw.proposeConfChange({ type: 'removeNode', node: rng.pick(conf.learners), context: new Uint8Array(0) });
    }
  }
}

const emptyConf: ConfState = { voters: [], learners: [], votersOutgoing: [] };

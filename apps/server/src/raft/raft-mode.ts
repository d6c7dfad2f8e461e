// Raft mode assembled: the state machine over this node's own backend, topology and KV stores,
// the member of the group, the command bus that proposes, the view the raft routes and the
// reverse proxy read, and the group ops (leader-uri, yield, async-snapshot) each node applies;
// the failover gate with each node's analysis reporter, the recovery engine's ports over the log,
// and the signed peer routes that carry analysis reports and followers' KV outcomes.
import { randomUUID } from 'node:crypto';
import type { RaftRoleName, RaftView } from '@orc/api';
import type { Backend } from '@orc/backend';
import type { OrcTopology, RecoveryKvPublisher, RecoveryStore } from '@orc/topology';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { CommandTargets } from '../commands/apply-command.js';
import type { RaftSettings } from '../config/keys/raft.js';
import type { Logger } from '../logging.js';
import type { DaemonMetrics } from '../metrics.js';
import type { ActiveNode } from '../node/active-node.js';
import { isFailureSign } from '../node/recovery-trigger.js';
import { FollowerOutcomes } from './follower-outcomes.js';
import type { KvStoreOutcome } from './orc-state-machine.js';
import { RaftRecoveryStore, raftKvPort } from './raft-recovery-store.js';
import { leaderMasters, type RecoveryOp } from './recovery-ops.js';
import { countAgreementRefusals } from './agreement-metrics.js';
import { AnalysisReporter } from './analysis-reporter.js';
import { FailoverAgreement } from './failover-agreement.js';
import { OrcStateMachine } from './orc-state-machine.js';
import { PEER_PATHS, PeerChannel } from './peer-channel.js';
import { RaftCommandBus } from './raft-command-bus.js';
import { startRaftGroup, type RaftGroup } from './raft-group.js';
import { encodeOp, type GroupOp } from './replicated-op.js';

/** The raft fields of orchestrator's HealthStatus. */
export interface RaftHealthFields {
  readonly RaftLeader: string;
  readonly IsRaftLeader: boolean;
  readonly RaftLeaderURI: string;
  readonly RaftAdvertise: string;
  readonly RaftHealthyMembers: readonly string[] | null;
}

/** A running Raft mode. */
export interface RaftMode {
  readonly bus: RaftCommandBus;
  readonly node: ActiveNode;
  readonly view: RaftView;
  readonly group: RaftGroup;
  /** The failover gate (ExpectFailureAnalysisConcensus); undefined when it is off. */
  readonly agreement: FailoverAgreement | undefined;
  /** The recovery engine's store and KV ports over the log. */
  readonly recoveryPorts: { readonly store: RecoveryStore; readonly kv: RecoveryKvPublisher };
  /** Adds the signed node-to-node routes (analysis reports, KV outcomes) to the API. */
  servePeers(app: FastifyInstance, prefix: string): void;
  healthFields(): RaftHealthFields;
  /** Closes the bus, hands leadership over, stops the member. */
  stop(): Promise<void>;
}

/** What {@link startRaftMode} takes. */
export interface RaftModeParts {
  readonly settings: RaftSettings;
  readonly targets: CommandTargets & { readonly backend: Backend; readonly topology: OrcTopology };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: DaemonMetrics;
  readonly hostname: string;
  /** This node's HTTP URL (HTTPAdvertise), replicated as the leader URI when it leads. */
  readonly httpAdvertise: string;
}

// A peer that failed to answer within this long is not counted among the healthy members.
const HEALTHY_WINDOW_MS = 20_000;
// How long a node's report of a dead server counts toward agreement, and how often a node
// repeats a report that still holds (well inside the window, so one lost message does not matter).
const AGREEMENT_WINDOW_MS = 10_000;
const REPORT_REFRESH_MS = 3_000;
// How long the leader waits for followers' KV outcomes of a write, and how long after a
// failover's KV write the group snapshots (so the PrimaryPublisher's follow-up write is covered).
const FOLLOWER_KV_BOUND_MS = 1_000;
const SNAPSHOT_AFTER_KV_MS = 1_500;

/**
 * Starts Raft mode; throws NO_QUORUM (naming the peers) when no leader appears within the bound.
 *
 * @example
 * const raftMode = await startRaftMode({ settings: config.raft, targets, clock, logger, metrics, hostname, httpAdvertise });
 */
export async function startRaftMode(parts: RaftModeParts): Promise<RaftMode> {
  const { settings, clock, logger } = parts;
  // Filled once the member exists; group ops applied while it starts (log replay) find it unset.
  const started: { group?: RaftGroup; channel?: PeerChannel } = {};
  let leaderUri = { uri: '', by: '' };
  const later = (what: string, fn: () => Promise<unknown>): void => {
    // Never from inside apply: the driver waits for apply before it can transfer or snapshot.
    clock.setTimer(0, () => {
      fn().catch((err: unknown) => logger.warn(`${what} failed`, { error: String(err) }));
    });
  };
  const yieldTo = (target: string | undefined): void => {
    const raft = started.group?.raft;
    if (raft === undefined || raft.state !== 'leader' || target === undefined || target === settings.self) return;
    later('yield', () => raft.transferLeadership(target));
  };
  const onGroupOp = (op: GroupOp): void => {
    if (op.op === 'leader-uri') leaderUri = { uri: op.value, by: op.by };
    else if (op.op === 'yield') yieldTo(settings.members.find((m) => m.address === op.value || m.id === op.value)?.id);
    else if (op.op === 'yield-hint') {
      if (!settings.self.includes(op.value)) yieldTo(settings.members.find((m) => m.address.includes(op.value))?.id);
    } else if (op.op === 'async-snapshot' && started.group !== undefined) {
      const raft = started.group.raft;
      later('async snapshot', () => raft.snapshot());
    }
  };
  const sentKv = (id: string, stores: readonly KvStoreOutcome[]): void => {
    const raft = started.group?.raft;
    // The leader's own outcome is its apply's result; a replay at start has nobody waiting.
    if (raft === undefined || raft.state === 'leader') return;
    void started.channel?.send(PEER_PATHS.kvOutcome, { id, stores });
  };
  const stateMachine = new OrcStateMachine({
    targets: parts.targets,
    hooks: { onGroupOp, onKvOutcome: sentKv },
    logger,
  });
  const group = await startRaftGroup(settings, stateMachine, { clock, logger, hostname: parts.hostname });
  started.group = group;
  const { raft } = group;
  const outcomes = new FollowerOutcomes(clock);
  const others = (): string[] => [...raft.stats().voters].filter((v) => v !== settings.self);
  const bus = new RaftCommandBus(
    raft,
    parts.metrics,
    logger,
    10_000,
    { outcomes, followers: others, boundMs: FOLLOWER_KV_BOUND_MS, newId: randomUUID },
    (cluster) => leaderMasters(parts.targets.topology, cluster),
    () => clock.wallNow(),
  );
  const propose = (op: GroupOp | RecoveryOp): Promise<unknown> => raft.apply(encodeOp(op), { timeoutMs: 10_000 });
  let snapshotTimer: { cancel(): void } | undefined;
  const recoveryParts = {
    propose,
    backend: parts.targets.backend,
    node: parts.targets.node,
    followers: others,
    outcomes,
    followerBoundMs: FOLLOWER_KV_BOUND_MS,
    newId: randomUUID,
    // One snapshot shortly after a failover's KV write: a restart then starts from it and never
    // replays the write (failover, failback, restart must not bring an old primary back).
    afterKvWrite: () => {
      snapshotTimer?.cancel();
      snapshotTimer = clock.setTimer(SNAPSHOT_AFTER_KV_MS, () => {
        if (raft.state === 'leader')
          propose({ op: 'async-snapshot', value: null }).catch((err: unknown) =>
            logger.warn('snapshot after failover not proposed', { error: String(err) }),
          );
      });
    },
    wallNow: () => clock.wallNow(),
    logger,
  };

  const publishLeaderUri = (): void => {
    if (raft.state === 'leader')
      later('publishing the leader URI', () =>
        propose({ op: 'leader-uri', value: parts.httpAdvertise, by: settings.self }),
      );
  };
  raft.on('stateChanged', publishLeaderUri);
  publishLeaderUri();
  const unreachableAt = new Map<string, number>();
  raft.on('peerUnreachable', (e) => unreachableAt.set(e.peer, clock.now()));

  const voters = (): string[] => [...raft.stats().voters];
  const agreement = settings.expectConsensus
    ? new FailoverAgreement({
        self: settings.self,
        voters,
        windowMs: AGREEMENT_WINDOW_MS,
        clock,
        logger,
        onDecision: countAgreementRefusals(parts.metrics.registry),
      })
    : undefined;
  const channel = new PeerChannel({
    self: settings.self,
    secret: settings.secret,
    members: voters,
    leaderUri: () => (raft.state === 'leader' ? '' : view.leaderUri()),
    clock,
    logger,
  });
  started.channel = channel;
  const reporter =
    agreement === undefined
      ? undefined
      : new AnalysisReporter({
          analysis: () => parts.targets.topology.analysis(),
          deliver: async (entries) => {
            if (raft.state !== 'leader') return channel.send(PEER_PATHS.analysis, { entries });
            agreement.report({ node: settings.self, entries });
            return true;
          },
          clock,
          logger,
          refreshMs: REPORT_REFRESH_MS,
        });
  // A failed probe of a server seen before, or a replica whose stream stopped, can change what
  // this node calls dead (the same signs that wake the recovery loop).
  const stopWatching = parts.targets.topology.onProbe((e) => {
    if (isFailureSign(e)) reporter?.poke();
  });
  // A new leader has no reports yet: every node sends what it sees again.
  raft.on('leaderChanged', () => reporter?.poke());

  const role = (): RaftRoleName =>
    raft.state === 'leader'
      ? 'Leader'
      : raft.state === 'follower'
        ? 'Follower'
        : raft.state === 'shutdown'
          ? 'Shutdown'
          : 'Candidate';
  const isHealthy = (): boolean => (raft.state === 'leader' || raft.state === 'follower') && raft.leader() !== null;
  const peers = voters;
  const view: RaftView = {
    role,
    isHealthy,
    leader: () => raft.leader()?.address ?? raft.leader()?.id ?? '',
    leaderUri: () => {
      if (raft.state === 'leader') return parts.httpAdvertise;
      return raft.leader()?.id === leaderUri.by ? leaderUri.uri : '';
    },
    selfUri: parts.httpAdvertise,
    bind: `${settings.bind.host}:${settings.bind.port}`,
    advertise: settings.self,
    peers,
    snapshot: async () => {
      await raft.snapshot();
    },
    yieldTo: async (node) => {
      await propose({ op: 'yield', value: node });
    },
    yieldHint: async (hint) => {
      await propose({ op: 'yield-hint', value: hint });
    },
    addPeer: async (address) => {
      await raft.addVoter(address, address);
    },
    removePeer: async (address) => {
      await raft.removeServer(address);
    },
  };
  return {
    bus,
    node: group.activeNode,
    view,
    group,
    agreement,
    recoveryPorts: (() => {
      const withDecisions = agreement === undefined ? recoveryParts : { ...recoveryParts, decisions: agreement };
      return { store: new RaftRecoveryStore(withDecisions), kv: raftKvPort(withDecisions) };
    })(),
    servePeers: (app, prefix) =>
      channel.serve(app, prefix, {
        analysis: (m) => {
          const body = m.body as { entries?: unknown };
          if (agreement === undefined || !Array.isArray(body.entries)) return;
          agreement.report({
            node: m.from,
            entries: body.entries.filter(
              (e): e is { key: string; analysis: string } =>
                typeof e === 'object' &&
                e !== null &&
                typeof (e as { key?: unknown }).key === 'string' &&
                typeof (e as { analysis?: unknown }).analysis === 'string',
            ),
          });
        },
        kvOutcome: (m) => {
          const body = m.body as { id?: unknown; stores?: unknown };
          if (typeof body.id === 'string' && Array.isArray(body.stores))
            outcomes.add(m.from, body.id, body.stores as KvStoreOutcome[]);
        },
      }),
    healthFields: () => ({
      RaftLeader: view.leader(),
      IsRaftLeader: raft.state === 'leader',
      RaftLeaderURI: view.leaderUri(),
      RaftAdvertise: settings.self,
      RaftHealthyMembers:
        raft.state !== 'leader'
          ? null
          : peers().filter(
              (p) => p === settings.self || clock.now() - (unreachableAt.get(p) ?? -Infinity) > HEALTHY_WINDOW_MS,
            ),
    }),
    stop: async () => {
      stopWatching();
      reporter?.stop();
      snapshotTimer?.cancel();
      await bus.close();
      await group.activeNode.stop();
      await group.stop();
    },
  };
}

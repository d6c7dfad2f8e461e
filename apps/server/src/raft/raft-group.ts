// One node of the Raft group: opens the log (SQLite in RaftDataDir, never the backend), the file
// snapshots and the authenticated TCP transport, starts @orc/raft, and waits (bounded) until a
// quorum has a leader. Member addresses stay host names: the transport resolves them at each
// connect, so a member restarted under the same name with a new IP is reached again.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSnapshotStore, nodeId, Raft, SqliteLogStore, TcpTransport, type StateMachine } from '@orc/raft';
import type { Clock } from '../clock.js';
import type { RaftSettings } from '../config/keys/raft.js';
import { ServerError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { ActiveNode } from '../node/active-node.js';
import { hostsFileLookup, resolveListenHost } from './hosts-file.js';

/** A started member. */
export interface RaftGroup {
  readonly raft: Raft<unknown>;
  readonly settings: RaftSettings;
  /** Leadership as the daemon's active-node seam sees it. */
  readonly activeNode: ActiveNode;
  /** Closes Raft, then the log store. */
  stop(): Promise<void>;
}

/**
 * Starts this node's member and waits for a leader within `settings.quorumBailOutMs`; throws
 * NO_QUORUM naming the peers otherwise (the daemon exits non-zero).
 *
 * @example
 * const group = await startRaftGroup(config.raft, stateMachine, { clock, logger });
 */
export async function startRaftGroup(
  settings: RaftSettings,
  stateMachine: StateMachine<unknown>,
  deps: { clock: Clock; logger: Logger; hostname: string },
): Promise<RaftGroup> {
  const { logger, clock } = deps;
  mkdirSync(settings.dataDir, { recursive: true });
  const store = SqliteLogStore.open({ dir: settings.dataDir });
  const peers = Object.fromEntries(settings.members.map((m) => [m.id, m.address]));
  const others = Object.fromEntries(
    settings.members.filter((m) => m.id !== settings.self).map((m) => [m.id, m.address]),
  );
  let raft: Raft<unknown>;
  try {
    const transport = new TcpTransport({
      localId: nodeId(settings.self),
      bind: await listenAddress(settings),
      ...(settings.hostsFile === undefined ? {} : { lookup: hostsFileLookup(settings.hostsFile) }),
      advertiseAddress: settings.self,
      clusterId: settings.clusterId,
      peers: others,
      ...(settings.secret === undefined ? {} : { secret: settings.secret }),
      ...(settings.tls === undefined
        ? {}
        : {
            tls: {
              cert: readFileSync(settings.tls.certFile),
              key: readFileSync(settings.tls.keyFile),
              ca: readFileSync(settings.tls.caFile),
            },
          }),
      logger,
    });
    raft = await Raft.create({
      config: {
        id: settings.self,
        peers,
        heartbeatMs: settings.heartbeatMs,
        electionTimeoutMs: settings.electionTimeoutMs,
        // Snapshots are small (the replicated tables); taking them often keeps a restart from
        // replaying old KV writes.
        snapshotThreshold: 256,
        snapshotTrailing: 128,
      },
      stateMachine,
      logStore: store,
      stableStore: store,
      snapshotStore: new FileSnapshotStore({ dir: join(settings.dataDir, 'snapshots') }),
      transport,
      logger,
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const group: RaftGroup = {
    raft,
    settings,
    activeNode: raftActiveNode(raft, deps.hostname, settings.self, logger),
    stop: async () => {
      await raft.stop();
      await store.close();
    },
  };
  try {
    await waitForLeader(raft, settings, clock);
  } catch (err) {
    await group.stop();
    throw err;
  }
  logger.info('raft group joined', {
    self: settings.self,
    leader: raft.leader()?.id ?? null,
    members: settings.members.length,
  });
  return group;
}

// RaftBind may name this node as the others do ("orc3:10008"): with RaftHostsFile the name is
// looked up there, so a restarted member keeps its configuration and listens on its new address.
async function listenAddress(settings: RaftSettings): Promise<{ host: string; port: number }> {
  if (settings.hostsFile === undefined) return settings.bind;
  try {
    return { host: await resolveListenHost(settings.bind.host, settings.hostsFile), port: settings.bind.port };
  } catch (err) {
    throw new ServerError('LISTEN_FAILED', `RaftBind host ${settings.bind.host} not resolved: ${String(err)}`, {
      details: [{ path: 'RaftBind', message: `${settings.bind.host} is not in ${settings.hostsFile} nor in DNS` }],
      cause: err,
    });
  }
}

async function waitForLeader(raft: Raft<unknown>, settings: RaftSettings, clock: Clock): Promise<void> {
  if (raft.leader() !== null) return;
  await new Promise<void>((resolve, reject) => {
    const off = raft.on('leaderChanged', (e) => {
      if (e.leaderId === null) return;
      off();
      timer.cancel();
      resolve();
    });
    const timer = clock.setTimer(settings.quorumBailOutMs, () => {
      off();
      const peers = settings.members.filter((m) => m.id !== settings.self).map((m) => m.address);
      reject(
        new ServerError(
          'NO_QUORUM',
          `no Raft quorum within ${settings.quorumBailOutMs / 1000} s: could not join a majority of ${peers.join(', ')} (this node: ${settings.self})`,
          { details: peers.map((p) => ({ path: 'RaftNodes', message: `${p}: no quorum reached with it` })) },
        ),
      );
    });
  });
}

/**
 * The daemon's active-node seam over Raft leadership: recovery and the periodic jobs follow it.
 *
 * @example
 * const node = raftActiveNode(raft, 'orc1', 'orc1:10008', logger);
 */
export function raftActiveNode(raft: Raft<unknown>, hostname: string, self: string, logger: Logger): ActiveNode {
  const listeners: ((active: boolean) => void)[] = [];
  let was = raft.state === 'leader';
  raft.on('stateChanged', (e) => {
    const now = e.state === 'leader';
    if (now === was) return;
    was = now;
    for (const l of listeners) l(now);
  });
  return {
    mode: 'raft',
    isActive: () => raft.state === 'leader',
    holder: async () => {
      const leader = raft.leader();
      if (leader === null) return undefined;
      return {
        hostname: leader.id === self ? hostname : (leader.address ?? leader.id),
        token: leader.id,
        firstSeenActive: 0,
        lastSeenActive: 0,
        dbNow: 0,
        isExpired: false,
      };
    },
    onChange: (listener) => {
      listeners.push(listener);
      if (was) listener(true);
    },
    start: () => undefined,
    // Handing leadership over at once spares the others an election timeout.
    stop: async () => {
      if (raft.state !== 'leader') return;
      await raft.transferLeadership(undefined, { timeoutMs: 1000 }).then(
        (r) => logger.info('raft leadership handed over', { to: r.leaderId }),
        (err: unknown) => logger.warn('raft leadership not handed over; the others will elect', { error: String(err) }),
      );
    },
  };
}

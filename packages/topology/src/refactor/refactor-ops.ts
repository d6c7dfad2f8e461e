// The manual refactoring operations (orchestrator's relocate, move-up, take-master, repoint,
// set-read-only, set-writeable, start/stop-replica, detach/reattach-replica) on GTID topologies.
// Each checks discovery's view and the servers' live state before touching anything, acts through
// the recovery engine's connector and dialect, waits on conditions with deadlines through the
// injected clock, and reports success only once the outcome is verified on the servers.
import type { Clock } from '../clock.js';
import { TopologyError } from '../errors.js';
import type { InstanceKey } from '../instance/instance-key.js';
import { splitInstanceKey } from '../instance/instance-key.js';
import type { Logger } from '../logger.js';
import { noopLogger } from '../logger.js';
import type { Participant } from '../recovery/promotion-steps.js';
import type { ServerConnector } from '../recovery/recovery-ports.js';
import type { RefactorOperation, RefactorTopology } from './refactor-plan.js';
import type { RefactorContext, RefactorResult } from './refactor-session.js';
import { checkMoveBelow, planMoveUp, planTakeMaster, refusal, TopologySnapshot } from './refactor-plan.js';
import {
  changeSourceAndStart,
  openParticipant,
  refresh,
  requireCanReplicateFrom,
  requireGtid,
  run,
  sourceOf,
  verifyReplicating,
  waitSourceCovers,
} from './refactor-session.js';
import { replicationControl } from './replication-control.js';
import type { RefactorHooks } from './take-master-hook.js';
import { runPostTakeMaster } from './take-master-hook.js';

/**
 * Everything {@link RefactorOps} acts through.
 *
 * @example
 * const parts: RefactorOpsParts = { connector, clock: systemClock, topology, verifySeconds: 30 };
 */
export interface RefactorOpsParts {
  readonly connector: ServerConnector;
  readonly clock: Clock;
  /** Discovery's view: cluster membership and ancestry. */
  readonly topology: RefactorTopology;
  readonly logger?: Logger;
  /** Bound on waiting for a new source to hold everything the moved replica executed. Default 10. */
  readonly catchUpTimeoutSeconds?: number;
  /** Bound on seeing a replica's threads run against its new source. Default 10. */
  readonly verifySeconds?: number;
  /** Runs `PostTakeMasterProcesses` after a verified take-master; absent: no hooks. */
  readonly hooks?: RefactorHooks;
}

function seconds(name: string, value: number | undefined): number {
  if (value === undefined) return 10;
  if (!(Number.isFinite(value) && value > 0))
    throw new TopologyError('INVALID_CONFIG', `${name}: must be a positive number of seconds`, {
      details: [{ path: name, message: 'must be a positive number of seconds' }],
    });
  return value;
}

/**
 * The manual refactoring operations. Every refusal is a {@link TopologyError}: `UNKNOWN_INSTANCE`,
 * `OPERATION_REFUSED` (self, other cluster, below itself, file:pos, must_not, ...) or the
 * connection's code for an unreachable server; a refusal has changed nothing. An operation that
 * ran but could not be verified is `VERIFICATION_FAILED`. Two operations on one server at once are
 * refused.
 *
 * @example
 * const ops = new RefactorOps({ connector, clock: systemClock, topology });
 * const done = await ops.relocate(instanceKey('db3', 3306), instanceKey('db2', 3306));
 * done.source; // 'db2:3306'
 */
export class RefactorOps {
  readonly #ctx: RefactorContext;
  readonly #topology: RefactorTopology;
  readonly #logger: Logger;
  readonly #catchUpSeconds: number;
  readonly #busy = new Set<InstanceKey>();
  readonly #hooks: RefactorHooks | undefined;
  #taken = 0;

  constructor(parts: RefactorOpsParts) {
    this.#ctx = {
      connector: parts.connector,
      clock: parts.clock,
      verifySeconds: seconds('verifySeconds', parts.verifySeconds),
    };
    this.#catchUpSeconds = seconds('catchUpTimeoutSeconds', parts.catchUpTimeoutSeconds);
    this.#topology = parts.topology;
    this.#logger = parts.logger ?? noopLogger;
    this.#hooks = parts.hooks;
  }

  /** Moves `key` below `below` by GTID (any server of the cluster that is not below `key`). */
  async relocate(key: InstanceKey, below: InstanceKey): Promise<RefactorResult> {
    const snapshot = new TopologySnapshot(this.#topology.instances());
    const { instance } = checkMoveBelow('relocate', snapshot, key, below);
    if (instance.masterKey === below) return this.#repoint('relocate', key, below, false);
    return this.#exclusive('relocate', [key, below], () => this.#moveBelow('relocate', key, below));
  }

  /** Moves `key` up one level: below its source's source. */
  async moveUp(key: InstanceKey): Promise<RefactorResult> {
    const grand = planMoveUp(new TopologySnapshot(this.#topology.instances()), key);
    return this.#exclusive('move-up', [key, grand], () => this.#moveBelow('move-up', key, grand));
  }

  /** `key` swaps places with its source: it replicates from its grandparent and its old source from it. */
  async takeMaster(key: InstanceKey): Promise<RefactorResult> {
    const { master, grand } = planTakeMaster(new TopologySnapshot(this.#topology.instances()), key);
    const done = await this.#exclusive('take-master', [key, master.key, grand], () =>
      this.#takeMaster(key, master.key, grand),
    );
    if (this.#hooks !== undefined)
      await runPostTakeMaster(this.#hooks, this.#logger, {
        successor: key,
        demoted: master,
        uid: `take-master-${this.#ctx.clock.wallNow()}-${++this.#taken}`,
      });
    return done;
  }

  /**
   * Points `key` at `below` (default: its current source) by GTID without waiting for `below`
   * to catch up: the server itself refuses a source that lacks its position.
   */
  async repoint(key: InstanceKey, below?: InstanceKey): Promise<RefactorResult> {
    const snapshot = new TopologySnapshot(this.#topology.instances());
    const instance = snapshot.known('repoint', key, 'key');
    const target = below ?? instance.masterKey;
    if (target === null) throw refusal('repoint', 'below', `${key} is not a replica: name the server to repoint it to`);
    checkMoveBelow('repoint', snapshot, key, target);
    return this.#repoint('repoint', key, target, true);
  }

  /** `SET GLOBAL read_only=1` (and super_read_only on MySQL), verified by reading it back. */
  async setReadOnly(key: InstanceKey): Promise<RefactorResult> {
    return this.#control('set-read-only', key);
  }

  /** `read_only=0` (and super_read_only on MySQL), verified by reading it back. */
  async setWriteable(key: InstanceKey): Promise<RefactorResult> {
    return this.#control('set-writeable', key);
  }

  /** Starts replication, verified by both threads running against its source. */
  async startReplica(key: InstanceKey): Promise<RefactorResult> {
    return this.#control('start-replica', key);
  }

  /** Stops replication, verified by both threads stopped. */
  async stopReplica(key: InstanceKey): Promise<RefactorResult> {
    return this.#control('stop-replica', key);
  }

  /** Stops replication and sets the source host to orchestrator's reversible `//host`. */
  async detachReplica(key: InstanceKey): Promise<RefactorResult> {
    return this.#control('detach-replica', key);
  }

  /** Undoes {@link detachReplica}: the source host without `//`, replication started and verified. */
  async reattachReplica(key: InstanceKey): Promise<RefactorResult> {
    return this.#control('reattach-replica', key);
  }

  async #control(op: Parameters<typeof replicationControl>[1], key: InstanceKey): Promise<RefactorResult> {
    new TopologySnapshot(this.#topology.instances()).known(op, key, 'key');
    return this.#exclusive(op, [key], () => replicationControl(this.#ctx, op, key));
  }

  async #exclusive(op: RefactorOperation, keys: readonly InstanceKey[], act: () => Promise<RefactorResult>) {
    const taken = keys.find((k) => this.#busy.has(k));
    if (taken !== undefined) throw refusal(op, 'key', `another operation is changing ${taken}; try again when it ends`);
    for (const k of keys) this.#busy.add(k);
    try {
      const result = await act();
      this.#logger.info('refactoring operation done', { op, key: result.key, source: result.source });
      return result;
    } catch (error) {
      this.#logger.warn('refactoring operation failed', { op, keys, error: String(error) });
      throw error;
    } finally {
      for (const k of keys) this.#busy.delete(k);
    }
  }

  async #withParticipants<T>(
    op: RefactorOperation,
    targets: readonly (readonly [InstanceKey, string])[],
    act: (ps: Participant[]) => Promise<T>,
  ): Promise<T> {
    const opened: Participant[] = [];
    try {
      for (const [key, path] of targets) opened.push(await openParticipant(this.#ctx.connector, op, key, path));
      return await act(opened);
    } finally {
      await Promise.all(opened.map((p) => p.session.close()));
    }
  }

  // relocate and move-up: stop the replica, wait until the new source holds everything it
  // executed (else it replicates from its old source again, unchanged), repoint, verify.
  #moveBelow(op: RefactorOperation, key: InstanceKey, below: InstanceKey): Promise<RefactorResult> {
    const { clock } = this.#ctx;
    return this.#withParticipants(
      op,
      [
        [key, 'key'],
        [below, 'below'],
      ],
      async ([replica, target]) => {
        const r = replica!;
        const t = target!;
        if (t.state.replication !== null && sourceOf(t) === key)
          throw refusal(op, 'below', `${below} replicates from ${key}: it is below the instance being moved`);
        await requireGtid(op, r, 'key');
        await requireGtid(op, t, 'below');
        requireCanReplicateFrom(op, r, t, 'below');
        const wasRunning = r.state.replication?.ioThreadState !== 'No' && r.state.replication !== null;
        await run(r, r.dialect.stopReplica);
        await refresh(r);
        const position = r.state.position;
        const deadline = clock.now() + this.#catchUpSeconds * 1000;
        if (!(await waitSourceCovers(clock, deadline, t, position))) {
          if (wasRunning) await run(r, r.dialect.startReplica);
          throw refusal(
            op,
            'below',
            `${below} did not get ${key}'s executed position ${position} within ${this.#catchUpSeconds} s (it has ${t.state.binlogPosition}); ${key} was left replicating as before`,
          );
        }
        await changeSourceAndStart(r, below);
        await verifyReplicating(op, r, below, t.state.binlogPosition, this.#ctx);
        return { op, key, source: below, changed: [key], message: `${key} replicates from ${below}` };
      },
    );
  }

  #repoint(op: RefactorOperation, key: InstanceKey, below: InstanceKey, force: boolean): Promise<RefactorResult> {
    return this.#exclusive(op, [key, below], () =>
      this.#withParticipants(
        op,
        [
          [key, 'key'],
          [below, 'below'],
        ],
        async ([replica, target]) => {
          const r = replica!;
          const t = target!;
          await requireGtid(op, r, 'key');
          await requireGtid(op, t, 'below');
          requireCanReplicateFrom(op, r, t, 'below');
          const { host, port } = splitInstanceKey(below);
          const current = r.state.replication;
          const isRunningThere =
            current !== null &&
            current.masterHost === host &&
            current.masterPort === port &&
            current.ioThreadState === 'Yes' &&
            current.isSqlThreadRunning;
          // relocate below the current source is orchestrator's no-op; repoint re-applies it.
          if (force || !isRunningThere) await changeSourceAndStart(r, below);
          await verifyReplicating(op, r, below, '', this.#ctx);
          return { op, key, source: below, changed: [key], message: `${key} replicates from ${below}` };
        },
      ),
    );
  }

  // take-master on I < M < G: M stops, I applies everything M executed, I goes below G and M
  // below I. A timeout before any CHANGE restarts M and leaves the topology as it was.
  #takeMaster(key: InstanceKey, masterKey: InstanceKey, grand: InstanceKey): Promise<RefactorResult> {
    const op = 'take-master';
    const { clock } = this.#ctx;
    return this.#withParticipants(
      op,
      [
        [key, 'key'],
        [masterKey, 'key'],
        [grand, 'key'],
      ],
      async ([ip, mp, gp]) => {
        const [i, m, g] = [ip!, mp!, gp!];
        if (sourceOf(i) !== masterKey || sourceOf(m) !== grand)
          throw refusal(
            op,
            'key',
            `live replication differs from discovery (${key} < ${sourceOf(i)}, ${masterKey} < ${sourceOf(m)}): refresh and retry`,
          );
        for (const p of [i, m]) await requireGtid(op, p, 'key');
        requireCanReplicateFrom(op, i, g, 'key');
        requireCanReplicateFrom(op, m, i, 'key');
        await run(m, m.dialect.stopReplica);
        await refresh(m);
        const deadline = clock.now() + this.#catchUpSeconds * 1000;
        if (!(await waitSourceCovers(clock, deadline, i, m.state.binlogPosition))) {
          await run(m, m.dialect.startReplica);
          throw refusal(
            op,
            'key',
            `${key} did not apply ${masterKey}'s position ${m.state.binlogPosition} within ${this.#catchUpSeconds} s; ${masterKey} replicates again, nothing moved`,
          );
        }
        try {
          await changeSourceAndStart(i, grand);
          await refresh(g);
          await verifyReplicating(op, i, grand, g.state.binlogPosition, this.#ctx);
        } catch (error) {
          // The source was only stopped so far: it replicates from its own source again, and the
          // error says where the instance stands.
          await run(m, m.dialect.startReplica).catch((restart: unknown) => {
            throw new TopologyError(
              'VERIFICATION_FAILED',
              `${String(error)}; restarting ${masterKey} also failed: ${String(restart)}`,
              {
                cause: error,
              },
            );
          });
          throw error;
        }
        await changeSourceAndStart(m, key);
        await refresh(i);
        await verifyReplicating(op, m, key, i.state.binlogPosition, this.#ctx);
        return {
          op,
          key,
          source: grand,
          changed: [key, masterKey],
          message: `${key} replicates from ${grand}; ${masterKey} replicates from ${key}`,
        };
      },
    );
  }
}
